from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from reciprocity.core.models import TimeStampedModel


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    FOUNDATION = "foundation", _("Foundation")
    PUBLIC_BODY = "public_body", _("Public body")
    GIP = "gip", _("Public interest grouping (GIP)")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    INTERNATIONAL_ORGANISATION = "international", _("International organisation")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def hosts(self) -> "OrganisationQuerySet":
        return self.filter(is_host=True)


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.ASSOCIATION
    )
    # Kinds are not exclusive: a national agency usually both sends and hosts.
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_national_agency = models.BooleanField(_("national agency"), default=False)
    is_host = models.BooleanField(_("host"), default=False)
    is_sending = models.BooleanField(_("sending organisation"), default=False)
    is_intermediary = models.BooleanField(_("intermediary"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    # The organisation's code in the work-camp networks (Alliance "Annex A" style, e.g. `SJ`,
    # `SDA`, `AU-IVP`): exchange files name organisations by it (docs/exchange.md).
    exchange_code = models.CharField(
        _("exchange code"), max_length=20, unique=True, null=True, blank=True,
        help_text=_("The organisation's code in VEF, PEF and free-places files (e.g. SJ, SDA)."),
    )

    # IANA name (e.g. "Africa/Abidjan"); empty means the platform's settings.TIME_ZONE. Its members'
    # pages show times in it (partners/timezones.py). Dates are calendar days and do not move.
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True,
        help_text=_("IANA time zone, e.g. Africa/Abidjan. Empty: the platform's time zone."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(exchange_code=""), name="organisation_exchange_code_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.name

    @property
    def kinds(self) -> list[str]:
        flags = {
            "coordinator": self.is_coordinator,
            "national_agency": self.is_national_agency,
            "host": self.is_host,
            "sending": self.is_sending,
            "intermediary": self.is_intermediary,
        }
        return [kind for kind, on in flags.items() if on]


class AccreditationKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")
    INTERMEDIATION = "intermediation", _("Intermediation")


class Accreditation(TimeStampedModel):
    """An agrément: which scheme, how many volunteers at once, for which period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="accreditations"
    )
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=AccreditationKind.choices)
    number = models.CharField(_("number"), max_length=60)
    authorised_volunteers = models.PositiveIntegerField(_("authorised volunteers"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    issuer = models.CharField(_("issuer"), max_length=150)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="accreditation_unique_number"),
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_to")), name="accreditation_valid_period"
            ),
            models.CheckConstraint(
                condition=Q(authorised_volunteers__gte=0), name="accreditation_count_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccreditationKind.values), name="accreditation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.scheme_id})"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class AffiliationKind(models.TextChoices):
    # A host that belongs to a coordinator's network (a French host of the France Volontaires
    # network): the coordinator's agreements cover the placements it hosts or sends.
    NETWORK_MEMBER = "network_member", _("Member of the network")
    # An intermediary's accreditation covers a host that has none of its own (intermédiation).
    HOSTED_UNDER_ACCREDITATION = "hosted_under_accreditation", _("Hosted under its accreditation")


class Affiliation(TimeStampedModel):
    """`member` belongs to `parent` (a network, an accrediting intermediary) for a period."""

    member = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliations",
        verbose_name=_("member"),
    )
    parent = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="affiliates",
        verbose_name=_("belongs to"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AffiliationKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(member=F("parent")), name="affiliation_two_organisations"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="affiliation_valid_period",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AffiliationKind.values), name="affiliation_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["member", "parent", "kind", "valid_from"], name="affiliation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.parent}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
