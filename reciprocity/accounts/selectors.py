"""Who belongs where: the organisations a user may act for.

Every rule that depends on a user's organisations reads them through `memberships_of`, and every
staff check goes through `is_platform_staff`: a request authenticated by an API token is narrowed
there, once, to the token's organisation (see `User.api_token`)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from reciprocity.accounts import identity
from reciprocity.accounts.models import ApiToken, Membership, MembershipRole, User

AnyUser = User | AnonymousUser


def request_token(user: AnyUser) -> ApiToken | None:
    """The API token the current request authenticated with, if any."""
    return getattr(user, "api_token", None)


def memberships_of(user: AnyUser) -> QuerySet[Membership]:
    """The user's memberships, narrowed to the API token's organisation during a token request
    (a token without organisation is a platform-staff token: it acts for no organisation)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    memberships = Membership.objects.filter(user=user)
    token = request_token(user)
    if token is None:
        return memberships
    if token.organisation_id is None:
        return Membership.objects.none()
    return memberships.filter(organisation_id=token.organisation_id)


def member_organisation_ids(user: AnyUser, *, writable: bool = False) -> set[int]:
    """Organisations the user is a member of (with a role that may write, if asked)."""
    if not writable and request_token(user) is None:
        # A signed-in user's copy carries them (accounts/identity.py), checked this request.
        cached = getattr(user, identity.ORGANISATIONS, None)
        if cached is not None:
            return set(cached)
    memberships = memberships_of(user)
    if writable:
        memberships = memberships.filter(role__in=[MembershipRole.ADMIN, MembershipRole.OFFICER])
    return set(memberships.values_list("organisation_id", flat=True))


def is_platform_staff(user: AnyUser) -> bool:
    """Staff rights; a staff user's token bound to an organisation acts as its member only."""
    token = request_token(user)
    if token is not None and token.organisation_id is not None:
        return False
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones too, for the record)."""
    return ApiToken.objects.filter(user=user).select_related("organisation").order_by(
        "-created_at", "-pk"
    )
