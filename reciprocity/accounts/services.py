"""Use-cases of accounts: API tokens (create, revoke), e-mail verification, consents."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciprocity.accounts.consents import text_of
from reciprocity.accounts.mail import account_email_send
from reciprocity.accounts.models import (
    API_TOKEN_MAX_DAYS,
    ApiToken,
    CalendarFeedToken,
    Consent,
    ConsentMethod,
    TokenScope,
    User,
    calendar_feed_secret,
)
from reciprocity.accounts.selectors import is_platform_staff, memberships_of
from reciprocity.core.exceptions import ApplicationError, NotAllowed


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
    organisation_id: int | None,
    scope: str,
    expires_on: datetime.date,
    today: datetime.date,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token of `user`, acting for the organisation `organisation_id` (one of the user's;
    an id, because organisations belong to partners, above this app) or, for platform staff
    only, for the whole platform (`organisation_id=None`). Returns the row and the clear token,
    which is never stored (only its SHA-256 and a prefix to recognise it) and cannot be shown again.
    """
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name."), code="invalid_input",
                               details={"name": [_("This field is required.")]})
    if scope not in TokenScope.values:
        raise ApplicationError(_("Choose a scope: read, or read and write."), code="invalid_input",
                               details={"scope": [_("Choose a valid scope.")]})
    if organisation_id is None:
        if not is_platform_staff(user):
            raise NotAllowed(_("A token acts for one of your organisations: choose it."),
                             code="organisation_required")
    elif not memberships_of(user).filter(organisation_id=organisation_id).exists():
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
        organisation_id=organisation_id, scope=scope, expires_at=api_token_expiry(expires_on),
        created_by=created_by or user,
    )
    return token, key


def api_token_revoke(*, user: User, token: ApiToken, now: datetime.datetime) -> ApiToken:
    """Revoke one of the user's own tokens (platform staff may revoke anyone's) as of `now`;
    revoking twice keeps the first date."""
    if token.user_id != user.pk and not is_platform_staff(user):
        raise NotAllowed(_("This token is not yours."), code="not_owner")
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


# --- interface language -----------------------------------------------------------------------


def is_interface_language(language: str) -> bool:
    """One of the languages the site is offered in (settings.LANGUAGES)."""
    return language in dict(settings.LANGUAGES)


def user_set_preferred_language(*, user: User, language: str) -> User:
    """Remember the person's interface language: pages after sign-in and their e-mails use it."""
    if not is_interface_language(language):
        raise ApplicationError(_("This language is not offered."), code="unknown_language")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


# --- e-mail verification and consents ------------------------------------------------------

EMAIL_VERIFICATION_SALT = "reciprocity.accounts.email-verification"
EMAIL_VERIFICATION_MAX_AGE = datetime.timedelta(days=3)


def email_verification_token(*, user: User) -> str:
    """A signed token naming the account and the address it confirms; it expires after
    EMAIL_VERIFICATION_MAX_AGE, and stops working once the address changes or is confirmed."""
    return signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).sign_object(
        {"user": user.pk, "email": user.email}
    )


def email_verification_send(*, user: User, base_url: str) -> None:
    """E-mail the confirmation link (after commit: no link to an account that was not saved)."""
    link = base_url.rstrip("/") + reverse(
        "accounts:verify_email", kwargs={"token": email_verification_token(user=user)}
    )
    # In the person's language when they have chosen one, else in the page's (the sign-up).
    with translation.override(user.preferred_language or translation.get_language()):
        subject = _("Confirm your e-mail address for Reciprocity")
        body = _(
            "Hello,\n\nTo confirm that this address is yours and start applying for missions, "
            "open this link within %(days)d days:\n\n%(link)s\n\nIf you did not create an "
            "account on Reciprocity, ignore this message."
        ) % {"days": EMAIL_VERIFICATION_MAX_AGE.days, "link": link}
    address = user.email
    # Through a worker when one is configured: the sign-up answers as fast as for a known
    # address, whose owner notice is queued too (accounts/mail.py).
    transaction.on_commit(lambda: account_email_send(subject=subject, body=body, to=address))


class VerificationFailed(ApplicationError):
    pass


def email_verify(*, token: str, now: datetime.datetime) -> User:
    """Confirm the address a token names. Refused when the link expired, was altered, or the
    account's address changed since it was sent; confirming twice is harmless."""
    signer = signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT)
    try:
        payload = signer.unsign_object(token, max_age=EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise VerificationFailed(
            _("This link has expired. Sign in and ask for a new one."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise VerificationFailed(_("This link is not valid."), code="link_invalid") from None
    user = User.objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or user.email.lower() != str(payload.get("email", "")).lower():
        raise VerificationFailed(_("This link is not valid."), code="link_invalid")
    if user.email_verification_pending:
        user.email_verification_pending = False
        user.email_verified_at = now
        user.save(update_fields=["email_verification_pending", "email_verified_at"])
    return user


def consent_give(*, user: User, purpose: str, version: str, now: datetime.datetime,
                 method: str = ConsentMethod.WEB_FORM) -> Consent:
    """Record a consent to a purpose in the wording of `version`; a standing consent to the same
    purpose is kept as it is."""
    if text_of(purpose, version) is None:
        raise ApplicationError(_("Unknown purpose or text version."), code="invalid_input")
    standing = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
    if standing is not None:
        return standing
    return Consent.objects.create(user=user, purpose=purpose, text_version=version,
                                  given_at=now, method=method)


@transaction.atomic
def consent_withdraw(*, user: User, consent: Consent, now: datetime.datetime) -> Consent:
    """Withdraw one of the user's own consents (recorded, never deleted)."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.user_id != user.pk:
        raise NotAllowed(_("This consent is not yours."), code="not_owner")
    if consent.withdrawn_at is None:
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
    return consent


# --- Private calendar feed (docs/exports-and-calendars.md) ---------------------------------------


def calendar_feed_token(*, user: User) -> CalendarFeedToken:
    """The person's feed secret, made on first use."""
    feed, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeedToken:
    """A new secret: the old URL stops working at once (it answers 404), for a link shared by
    mistake or a lost device."""
    feed, _created = CalendarFeedToken.objects.select_for_update().get_or_create(user=user)
    feed.token = calendar_feed_secret()
    feed.save(update_fields=["token", "updated_at"])
    return feed


def calendar_feed_revoke(*, user: User) -> None:
    """No feed at all until the person asks for one again."""
    CalendarFeedToken.objects.filter(user=user).delete()
