"""Use-cases of accounts: API tokens (create, revoke)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.models import API_TOKEN_MAX_DAYS, ApiToken, TokenScope, User
from reciprocity.accounts.selectors import is_platform_staff, memberships_of
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.partners.models import Organisation


def api_token_expiry(expires_on: datetime.date) -> datetime.datetime:
    """A token is valid through its expiry day (in the platform's time zone) and stops at the
    midnight that follows it."""
    return timezone.make_aware(
        datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time.min)
    )


def api_token_create(
    *,
    user: User,
    name: str,
    organisation: Organisation | None,
    scope: str,
    expires_on: datetime.date,
    today: datetime.date,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token of `user`, acting for `organisation` (one of the user's) or, for platform
    staff only, for the whole platform (`organisation=None`). Returns the row and the clear token,
    which is never stored (only its SHA-256 and a prefix to recognise it) and cannot be shown again.
    """
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name."), code="invalid_input",
                               details={"name": [_("This field is required.")]})
    if scope not in TokenScope.values:
        raise ApplicationError(_("Choose a scope: read, or read and write."), code="invalid_input",
                               details={"scope": [_("Choose a valid scope.")]})
    if organisation is None:
        if not is_platform_staff(user):
            raise NotAllowed(_("A token acts for one of your organisations: choose it."),
                             code="organisation_required")
    elif not memberships_of(user).filter(organisation=organisation).exists():
        raise NotAllowed(_("You are not a member of this organisation."), code="not_a_member")
    latest = today + datetime.timedelta(days=API_TOKEN_MAX_DAYS)
    if not today < expires_on <= latest:
        raise ApplicationError(
            _("The expiry date must be after today and at most %(days)d days ahead.")
            % {"days": API_TOKEN_MAX_DAYS},
            code="invalid_input", details={"expires_on": [str(latest)]},
        )
    key = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=ApiToken.hash(key), prefix=key[:8],
        organisation=organisation, scope=scope, expires_at=api_token_expiry(expires_on),
        created_by=created_by or user,
    )
    return token, key


def api_token_revoke(*, user: User, token: ApiToken, now: datetime.datetime | None = None) -> ApiToken:
    """Revoke one of the user's own tokens (platform staff may revoke anyone's); revoking twice
    keeps the first date."""
    if token.user_id != user.pk and not is_platform_staff(user):
        raise NotAllowed(_("This token is not yours."), code="not_owner")
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token
