from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from reciprocity.core.fields import EncryptedTextField, mask
from reciprocity.core.models import TimeStampedModel


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other or not stated")


class IdentityDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")


class Volunteer(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="volunteer",
    )
    # A stable external reference (spreadsheets, partner systems); imports match on it.
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    nationality = CountryField(_("nationality"))
    other_nationalities = models.JSONField(_("other nationalities"), default=list, blank=True)
    residence_country = CountryField(_("country of residence"))
    languages = models.JSONField(
        _("languages"), default=list, blank=True,
        help_text=_('List of {"code": "fr", "level": "B2"}'),
    )
    has_disability = models.BooleanField(_("disability"), default=False)
    prior_service_civique = models.BooleanField(_("has done a Service Civique"), default=False)
    prior_vsi_months = models.PositiveSmallIntegerField(_("months of VSI already done"), default=0)
    sending_organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sent_volunteers",
    )
    id_document_kind = models.CharField(
        _("identity document"), max_length=20, choices=IdentityDocumentKind.choices, blank=True
    )
    id_document_number = EncryptedTextField(_("document number"), blank=True)
    id_document_expiry = models.DateField(_("document expiry"), null=True, blank=True)
    # Set once the personal data were erased after the retention period (docs/data-protection.md).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.CheckConstraint(condition=Q(gender__in=["F", "M", "X"]), name="volunteer_gender_valid"),
            models.CheckConstraint(condition=~Q(reference=""), name="volunteer_reference_not_empty"),
        ]
        indexes = [models.Index(fields=["nationality"]), models.Index(fields=["last_name"])]

    def __str__(self) -> str:
        return self.full_name or self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def nationalities(self) -> list[str]:
        primary = str(self.nationality)  # a Country's str() is its code
        return [primary, *[c for c in self.other_nationalities if c != primary]]

    @property
    def id_document_number_masked(self) -> str:
        return mask(self.id_document_number)


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    EXPORT = "export", _("Exported")
    DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
    ANONYMISE = "anonymise", _("Anonymised")


class AccessChannel(models.TextChoices):
    PAGE = "page", _("Web page")
    API = "api", _("API")
    COMMAND = "command", _("Command line")
    ADMIN = "admin", _("Admin site")


class PersonalDataAccess(models.Model):
    """One access to a volunteer's personal data: who, when, what, through which face.

    Append-only. The actor is null when a command did it (operators run them on the server).
    The row goes with the volunteer if the record is ever deleted outright: keeping "someone
    read X's file" for a person who no longer exists would itself keep X in the database.
    """

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="data_accesses",
        verbose_name=_("volunteer"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    action = models.CharField(_("what"), max_length=20, choices=AccessAction.choices)
    channel = models.CharField(_("from"), max_length=10, choices=AccessChannel.choices)
    # Which document, page or endpoint, and whether the identity-document number was in full
    # (e.g. "invitation (fr), document number in full"; "GET /api/v1/placements/12").
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values), name="personal_data_access_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=AccessChannel.values),
                name="personal_data_access_channel_valid",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.action} ({self.channel})"


class PersonalDataBulkAccess(models.Model):
    """One read of many people's data at once (a CSV or XLSX export, a page of an API list, an
    admin list): one row per request with the number of people, not one row per person.

    `volunteer_ids` says who was in it, so that a person's question "who read my data?" can be
    answered (PostgreSQL: `volunteer_ids @> '[42]'`); ids alone say nothing once a record is
    anonymised. Append-only, like `PersonalDataAccess`.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    action = models.CharField(_("what"), max_length=20, choices=AccessAction.choices)
    channel = models.CharField(_("from"), max_length=10, choices=AccessChannel.choices)
    # The address asked, query included (the filters say which people were wanted).
    source = models.CharField(_("source"), max_length=500)
    persons = models.PositiveIntegerField(_("persons"))
    volunteer_ids = models.JSONField(_("volunteers"), default=list, blank=True)
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bulk personal data access")
        verbose_name_plural = _("bulk personal data accesses")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[AccessAction.LIST, AccessAction.EXPORT]),
                name="personal_data_bulk_access_action_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=AccessChannel.values),
                name="personal_data_bulk_access_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} of {self.persons} ({self.channel})"


class VolunteerDocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    PASSPORT_SCAN = "passport_scan", _("Passport scan")


# The same bound as procedure documents (procedures/models.py MAX_UPLOAD_BYTES).
VOLUNTEER_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class VolunteerDocument(models.Model):
    """A file the volunteer uploads on their profile: one current file per kind (a new upload
    replaces it). Served only to the volunteer, their sending organisation's members, hosts
    that accepted them and staff (volunteers/documents.py); every download is logged."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=VolunteerDocumentKind.choices)
    file = models.FileField(_("file"), upload_to="volunteers/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer document")
        verbose_name_plural = _("volunteer documents")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "kind"], name="volunteer_document_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=VolunteerDocumentKind.values), name="volunteer_document_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=VOLUNTEER_DOCUMENT_MAX_BYTES),
                name="volunteer_document_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.kind}"
