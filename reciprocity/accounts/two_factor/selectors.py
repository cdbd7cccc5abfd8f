"""Reads about a user's second factor."""

from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.models import MembershipRole, User


def two_factor_mandatory(user: User) -> bool:
    """Platform staff and organisation administrators must use a second factor: they can see
    or grant access to every volunteer's data of the platform or of their organisation."""
    return user.is_platform_staff or user.memberships.filter(role=MembershipRole.ADMIN).exists()


def totp_device_of(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()
    )


def two_factor_pending(user: User) -> str | None:
    """What a signed-in user whose session has passed no second factor must do before anything
    else: "verify" (they have a device), "enrol" (they must and have none), or None.

    Called on every request of such users: one query for most of them (neither administrator
    nor enrolled), two otherwise."""
    if not user.is_platform_staff and not (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(memberships__role=MembershipRole.ADMIN)
            | Q(totpdevice__confirmed=True)
        )
        .exists()
    ):
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "verify"
    return "enrol"  # no device: the query above matched because they are an administrator


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
