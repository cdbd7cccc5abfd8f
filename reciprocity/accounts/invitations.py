"""Following an invitation's link: the pending invitation a token names, accepted by a new
person (their account is created) or by the signed-in person with the invited address. The
organisation's side (invite, revoke, roles, removal) is partners/membership.py; this side needs
only accounts' own rows (Invitation, Membership, User), so it stays below partners."""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import Invitation, Membership, User
from reciprocity.core.exceptions import ApplicationError, NotAllowed


class InvitationUnusable(ApplicationError):
    """The link cannot be used; `code` says why (invalid, expired, used, revoked)."""

    status = 410


def _usable(invitation: Invitation | None, now: datetime.datetime) -> Invitation:
    if invitation is None:
        raise InvitationUnusable(
            _("This invitation link is not valid. Check that it was copied completely."),
            code="invitation_invalid")
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("This invitation was already used. Sign in with the account it created."),
            code="invitation_used")
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _("This invitation was withdrawn by the organisation. Ask its administrators for a "
              "new one if needed."), code="invitation_revoked")
    if now >= invitation.expires_at:
        raise InvitationUnusable(
            _("This invitation has expired. Ask the organisation's administrators for a new "
              "one."), code="invitation_expired")
    return invitation


def invitation_for_token(*, token: str, now: datetime.datetime) -> Invitation:
    """The pending invitation a link names, or InvitationUnusable saying why not."""
    invitation = (Invitation.objects.select_related("organisation")
                  .filter(token_hash=Invitation.hash(token)).first())
    return _usable(invitation, now)


def _lock_for_token(token: str, now: datetime.datetime) -> Invitation:
    # Locked so that two tabs following the same link cannot both use it.
    invitation = (Invitation.objects.select_for_update()
                  .filter(token_hash=Invitation.hash(token)).first())
    return _usable(invitation, now)


def existing_account_for(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).order_by("pk").first() or (
        User.objects.filter(username__iexact=email).order_by("pk").first())


def invitation_accept_new_account(*, token: str, password: str, first_name: str, last_name: str,
                                  now: datetime.datetime) -> User:
    """Create the invited person's account (username and e-mail: the invited address, already
    proven by the link) with the invitation's membership. Refused when an account already uses
    the address: that person signs in and accepts instead."""
    with transaction.atomic():
        invitation = _lock_for_token(token, now)
        if existing_account_for(invitation.email) is not None:
            raise ApplicationError(
                _("An account already uses this address: sign in to accept the invitation."),
                code="account_exists")
        user = User(username=invitation.email, email=invitation.email,
                    first_name=first_name.strip()[:150], last_name=last_name.strip()[:150],
                    email_verified_at=now)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), code="invalid_input",
                                   details={"password": list(exc.messages)}) from None
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, organisation=invitation.organisation,
                                  role=invitation.role)
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def invitation_accept(*, token: str, user: User, now: datetime.datetime) -> Membership:
    """Attach the invitation's membership to the signed-in `user`, whose e-mail address must be
    the invited one (the link alone proves nothing about who follows it). A person who became a
    member meanwhile keeps their role; the invitation is used either way."""
    with transaction.atomic():
        invitation = _lock_for_token(token, now)
        if user.email.strip().lower() != invitation.email:
            raise NotAllowed(
                _("This invitation was sent to another e-mail address. Sign in with the account "
                  "of that address."), code="wrong_account")
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation_id=invitation.organisation_id,
            defaults={"role": invitation.role})
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
