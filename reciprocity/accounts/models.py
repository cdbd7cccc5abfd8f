import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocity.core.models import TimeStampedModel


class User(AbstractUser):
    """`is_staff` marks platform staff: they see and manage everything."""

    # One of settings.LANGUAGES (checked by accounts.services.user_set_preferred_language; not
    # `choices`, which would freeze the list into migrations); blank until the person chooses or
    # signs in: the browser's language applies meanwhile (accounts/language.py).
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True,
                                          default="")
    # Accounts people create themselves (volunteer sign-up) prove their address before they may
    # apply; accounts made by staff, imports or invitations never wait (the flag stays False).
    email_verification_pending = models.BooleanField(
        _("e-mail address not yet confirmed"), default=False
    )
    email_verified_at = models.DateTimeField(_("e-mail address confirmed at"), null=True,
                                             blank=True)

    # The API token this request authenticated with (set by core.api_auth.TokenAuth on the
    # request's user object, never saved): accounts.selectors reads it to narrow the user's
    # organisations and staff rights to the token's for the length of the request.
    api_token: "ApiToken | None" = None

    @property
    def is_platform_staff(self) -> bool:
        if self.api_token is not None and self.api_token.organisation_id is not None:
            return False  # a staff user's token bound to an organisation acts as its member
        return self.is_active and (self.is_staff or self.is_superuser)


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer")


class Membership(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in {MembershipRole.ADMIN, MembershipRole.OFFICER}


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read-write", _("Read and write")


API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 366


def api_token_default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=API_TOKEN_DEFAULT_DAYS)


class ApiToken(TimeStampedModel):
    """A bearer token; only its SHA-256 and a short prefix are stored, the clear token is shown
    once. It acts for one organisation (`organisation`), or platform-wide when it has none, which
    only a platform-staff user's token may (checked by `api_token_create`: a database constraint
    cannot see the user's flags). Expired or revoked tokens authenticate nobody."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="api_tokens", verbose_name=_("organisation"),
    )
    scope = models.CharField(_("scope"), max_length=16, choices=TokenScope.choices,
                             default=TokenScope.READ)
    expires_at = models.DateTimeField(_("expires at"), default=api_token_default_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values), name="api_token_scope_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "rcp_" + secrets.token_urlsafe(32)

    def is_usable_at(self, moment: datetime.datetime) -> bool:
        return self.revoked_at is None and moment < self.expires_at

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")


class Consent(models.Model):
    """One consent a person gave to one processing purpose, in the wording of one text version
    (accounts/consents.py holds the purposes and their texts). Never edited but to record its
    withdrawal: giving consent again after a withdrawal is a new row, so the history stays."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents",
                             verbose_name=_("person"))
    purpose = models.CharField(_("purpose"), max_length=40)
    text_version = models.CharField(_("text version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(condition=models.Q(method__in=ConsentMethod.values),
                                   name="consent_method_valid"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            # At most one standing consent per person and purpose.
            models.UniqueConstraint(fields=["user", "purpose"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="consent_one_standing_per_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.purpose} v{self.text_version}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


INVITATION_VALID_DAYS = 7


class Invitation(models.Model):
    """An invitation to join an organisation with a role, sent by e-mail as a single-use link.
    Only the SHA-256 of the link's token is stored: the clear token exists in the e-mail alone.
    Pending means neither accepted nor revoked (an expired one is still pending in the database
    until `invitation_create` revokes it to invite the same address again)."""

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=MembershipRole.values),
                                   name="invitation_role_valid"),
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="invitation_expires_after_creation"),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            # One pending invitation per organisation and address (addresses stored lower-case).
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation #{self.pk} ({self.role})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_pending_at(self, moment: datetime.datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and moment < self.expires_at


def calendar_feed_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(TimeStampedModel):
    """The secret in a person's private calendar URL (docs/exports-and-calendars.md). Calendar
    applications cannot sign in, so the URL alone opens the feed: the secret is kept in clear
    to be shown again on the account page, one per person, and "reset" replaces it (the old URL
    then answers 404). Never recorded in the audit log."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=calendar_feed_secret)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of user #{self.user_id}"
