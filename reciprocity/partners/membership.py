"""Use-cases of an organisation's members: invitations by e-mail (create, revoke), role changes
and removals, never leaving an organisation without an administrator. Following an invitation's
link (accepting it as a new or an existing person) is the account's side: accounts/invitations.py.
Every write goes through these two modules, so the audit log records it (Membership and
Invitation are registered in audit/registry.py). They live here, next to the organisations,
rather than in accounts, which sits below partners (ADR 0005, ignore 4 removed)."""

import datetime
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reciprocity.accounts.models import (
    INVITATION_VALID_DAYS,
    Invitation,
    Membership,
    MembershipRole,
    User,
)
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, memberships_of
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.partners.models import Organisation


def can_manage_members(user: AnyUser, organisation: Organisation) -> bool:
    """Administrators of the organisation and platform staff invite, change roles and remove."""
    if is_platform_staff(user):
        return True
    return memberships_of(user).filter(organisation=organisation,
                                       role=MembershipRole.ADMIN).exists()


def can_see_members(user: AnyUser, organisation: Organisation) -> bool:
    """Members of any role see who else belongs (read-only for officers and viewers); others,
    even signed in, do not: the list names people."""
    return is_platform_staff(user) or memberships_of(user).filter(
        organisation=organisation).exists()


def _require_manager(user: AnyUser, organisation: Organisation) -> None:
    if not can_manage_members(user, organisation):
        raise NotAllowed(_("Only the organisation's administrators can manage its members."),
                         code="not_an_administrator")


def _check_role(role: str) -> None:
    if role not in MembershipRole.values:
        raise ApplicationError(_("Choose a role: administrator, officer or viewer."),
                               code="invalid_input", details={"role": [_("Choose a valid role.")]})


def _invitee_language(email: str) -> str:
    """The language of an invitation e-mail: the invitee's own when they already have an
    account with a chosen language, else the site's default (settings.LANGUAGE_CODE), never
    the page language of the administrator who sends it (a coordinator reading the site in
    French invites a colleague abroad). Organisations and invitations have no language of
    their own; one would be a field, a migration and a form."""
    chosen = (User.objects.filter(email__iexact=email).exclude(preferred_language="")
              .order_by("pk").values_list("preferred_language", flat=True).first())
    return chosen or settings.LANGUAGE_CODE


def invitation_create(*, organisation: Organisation, email: str, role: str, invited_by: User,
                      now: datetime.datetime, base_url: str) -> Invitation:
    """Invite `email` to join `organisation` with `role`; the link is e-mailed after commit.
    Refused for an address that already belongs to a member, or that has a pending (unexpired)
    invitation; an expired one is revoked so the address can be invited again."""
    _require_manager(invited_by, organisation)
    _check_role(role)
    email = email.strip().lower()
    if not email or "@" not in email:
        raise ApplicationError(_("Enter a valid e-mail address."), code="invalid_input",
                               details={"email": [_("Enter a valid e-mail address.")]})
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        if Membership.objects.filter(organisation=organisation,
                                     user__email__iexact=email).exists():
            raise ApplicationError(_("This person is already a member of the organisation."),
                                   code="already_member")
        pending = Invitation.objects.filter(organisation=organisation, email=email,
                                            accepted_at__isnull=True, revoked_at__isnull=True)
        for old in pending:
            if old.is_pending_at(now):
                raise ApplicationError(
                    _("An invitation to this address is already waiting for an answer. Revoke it "
                      "first to send a new one."), code="already_invited")
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, token_hash=Invitation.hash(token),
            invited_by=invited_by, created_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
        )
        link = base_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token})
        with translation.override(_invitee_language(email)):
            subject = _("You are invited to join %(organisation)s on Reciprocity") % {
                "organisation": organisation.name}
            body = _(
                "Hello,\n\n%(inviter)s invites you to join %(organisation)s on Reciprocity as "
                "%(role)s.\n\nTo accept, open this link within %(days)d days (it works "
                "once):\n\n%(link)s\n\nIf you do not expect this invitation, ignore this "
                "message."
            ) % {"inviter": invited_by.get_full_name() or invited_by.username,
                 "organisation": organisation.name, "role": MembershipRole(role).label,
                 "days": INVITATION_VALID_DAYS, "link": link}
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User, now: datetime.datetime) -> Invitation:
    """Revoke a pending invitation: its link stops working. Revoking twice keeps the first date;
    an accepted invitation cannot be revoked (remove the member instead)."""
    _require_manager(by, invitation.organisation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ApplicationError(
                _("This invitation was already accepted: remove the member instead."),
                code="already_accepted")
        if invitation.revoked_at is None:
            invitation.revoked_at = now
            invitation.save(update_fields=["revoked_at"])
    return invitation


def _lock_admins(organisation_id: int) -> list[int]:
    """Lock the organisation and its administrators' memberships; their ids. Every change of a
    membership of the organisation takes the organisation's row lock first, so two
    administrators demoting each other at once are serialised and the second sees the first."""
    Organisation.objects.select_for_update().get(pk=organisation_id)
    return list(Membership.objects.select_for_update()
                .filter(organisation_id=organisation_id, role=MembershipRole.ADMIN)
                .values_list("pk", flat=True))


def _last_admin(organisation: Organisation) -> ApplicationError:
    return ApplicationError(
        _("%(organisation)s must keep at least one administrator: make someone else "
          "administrator first.") % {"organisation": organisation.name},
        code="last_administrator")


def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Give a member another role; the last administrator cannot be demoted."""
    _check_role(role)
    _require_manager(by, membership.organisation)
    with transaction.atomic():
        admins = _lock_admins(membership.organisation_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == MembershipRole.ADMIN and admins == [membership.pk]:
            raise _last_admin(membership.organisation)
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    return membership


def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member from the organisation; the last administrator cannot be removed."""
    _require_manager(by, membership.organisation)
    with transaction.atomic():
        admins = _lock_admins(membership.organisation_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == MembershipRole.ADMIN and admins == [membership.pk]:
            raise _last_admin(membership.organisation)
        membership.delete()
