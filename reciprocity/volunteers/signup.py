"""Use-cases of the volunteers who register themselves: sign-up and the profile they edit.

Kept apart from services.py (personal-data access, export, anonymisation): these are the
volunteer's own writes. docs/accounts.md describes the flow."""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciprocity.accounts.consents import current_texts
from reciprocity.accounts.models import User
from reciprocity.accounts.services import consent_give, email_verification_send
from reciprocity.accounts.signals import account_security_event
from reciprocity.core.exceptions import ApplicationError
from reciprocity.volunteers.models import Gender, Volunteer

SELF_REFERENCE_PREFIX = "SELF-"
LANGUAGE_LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
# What a volunteer changes on their own; the rest (name, birth date, nationality, gender) is
# what their sending organisation certifies and corrects (docs/accounts.md).
SELF_EDITABLE = ("phone", "residence_country", "languages")


@dataclass(frozen=True)
class Language:
    code: str
    level: str


def _languages(languages: Sequence[Language]) -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for language in languages:
        code = language.code.strip().lower()
        if not code:
            continue
        if not (2 <= len(code) <= 3 and code.isalpha()):
            raise ApplicationError(_("A language is a code of two or three letters (fr, en, ewe)."),
                                   code="invalid_input", details={"languages": [code]})
        if language.level not in LANGUAGE_LEVELS:
            raise ApplicationError(_("Choose a level for each language."), code="invalid_input",
                                   details={"languages": [code]})
        seen[code] = language.level
    return [{"code": code, "level": level} for code, level in seen.items()]


def _reference() -> str:
    return SELF_REFERENCE_PREFIX + secrets.token_hex(5).upper()


def _refuse_invalid(*, email: str, first_name: str, last_name: str, gender: str,
                    birth_date: datetime.date, consents: Sequence[str],
                    today: datetime.date) -> None:
    if not email:
        raise ApplicationError(_("Give your e-mail address."), code="invalid_input",
                               details={"email": [_("This field is required.")]})
    if not first_name.strip() or not last_name.strip():
        raise ApplicationError(_("Give your first and last names."), code="invalid_input")
    if gender not in Gender.values:
        raise ApplicationError(_("Choose a valid gender."), code="invalid_input")
    if birth_date >= today:
        raise ApplicationError(_("The birth date must be in the past."), code="invalid_input",
                               details={"birth_date": [str(birth_date)]})
    missing = [t.purpose for t in current_texts() if t.required and t.purpose not in consents]
    if missing:
        raise ApplicationError(
            _("Accepting how your applications are handled is needed to apply."),
            code="consent_required", details={"consents": missing},
        )


def _refuse_weak_password(password: str, *, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="invalid_input",
                               details={"password": exc.messages}) from None


def _account_of(email: str) -> User | None:
    return (User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
            .order_by("pk").first())


def _tell_owner_of_sign_up_attempt(*, user: User, password: str | None) -> None:
    if password is not None:
        # Spend the time a new account's password hash takes, so the answer is not faster
        # for a known address.
        make_password(password)
    account_security_event.send(
        sender=User, user=user, verb="sign_up_attempted",
        subject=gettext_lazy("Someone tried to create an account with your address"),
        body=gettext_lazy(
            "Someone, maybe you, tried to create a volunteer account on Reciprocity with this "
            "e-mail address, which already has an account. If it was you, sign in; if you "
            "forgot your password, reset it from the sign-in page. If it was not you, you can "
            "ignore this message: nothing changed in your account."
        ),
    )


@transaction.atomic
def volunteer_sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    birth_date: datetime.date,
    gender: str,
    nationality: str,
    residence_country: str,
    languages: Sequence[Language],
    consents: Sequence[str],
    now: datetime.datetime,
    base_url: str,
) -> Volunteer | None:
    """Create the account (its username is the e-mail address) and the volunteer record linked
    to it, record each consent given in the current wording, and e-mail the confirmation link.
    The account may sign in with its password at once, and applies once the address is
    confirmed.

    When the address already has an account, nothing is created and None is returned: the
    account's owner is told by e-mail (and in the app) that someone tried to sign up with it,
    and the caller answers exactly as for a new account, so the sign-up never tells a visitor
    whether an address is registered (OWASP ASVS 2.1: no account enumeration)."""
    email = User.objects.normalize_email(email.strip()).lower()
    _refuse_invalid(email=email, first_name=first_name, last_name=last_name, gender=gender,
                    birth_date=birth_date, consents=consents, today=now.date())
    texts = current_texts()
    user = User(username=email, email=email, first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150], email_verification_pending=True)
    # The password and the record are judged before the address is looked up, so a known
    # address gets the same refusals as an unknown one.
    _refuse_weak_password(password, user=user)
    volunteer = Volunteer(
        reference=_reference(), first_name=user.first_name, last_name=user.last_name,
        email=email, birth_date=birth_date, gender=gender, nationality=nationality,
        residence_country=residence_country, languages=_languages(languages),
    )
    volunteer.full_clean(exclude=["user", "sending_organisation"])
    existing = _account_of(email)
    if existing is not None:
        _tell_owner_of_sign_up_attempt(user=existing, password=password)
        return None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Taken between the look-up and the insert (two sign-ups at once): the same answer.
        existing = _account_of(email)
        if existing is not None:
            _tell_owner_of_sign_up_attempt(user=existing, password=None)
        return None
    volunteer.user = user
    volunteer.save()
    for text in texts:
        if text.purpose in consents:
            consent_give(user=user, purpose=text.purpose, version=text.version, now=now)
    email_verification_send(user=user, base_url=base_url)
    return volunteer


def volunteer_profile_update(
    *, user: User, volunteer: Volunteer, phone: str, residence_country: str,
    languages: Sequence[Language],
) -> Volunteer:
    """The volunteer changes what is theirs to change (SELF_EDITABLE) on their own record."""
    if volunteer.user_id != user.pk:
        raise ApplicationError(_("This is not your profile."), code="not_owner")
    volunteer.phone = phone.strip()[:40]
    volunteer.residence_country = residence_country
    volunteer.languages = _languages(languages)
    volunteer.full_clean(exclude=["user", "sending_organisation"])
    volunteer.save(update_fields=[*SELF_EDITABLE, "updated_at"])
    return volunteer
