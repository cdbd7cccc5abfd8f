"""Use-cases of the volunteers who register themselves: sign-up and the profile they edit.

Kept apart from services.py (personal-data access, export, anonymisation): these are the
volunteer's own writes. docs/accounts.md describes the flow."""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.consents import current_texts
from reciprocity.accounts.models import User
from reciprocity.accounts.services import consent_give, email_verification_send
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
) -> Volunteer:
    """Create the account (its username is the e-mail address) and the volunteer record linked
    to it, record each consent given in the current wording, and e-mail the confirmation link.
    The account may sign in at once but applies only once the address is confirmed."""
    email = User.objects.normalize_email(email.strip()).lower()
    if not email:
        raise ApplicationError(_("Give your e-mail address."), code="invalid_input",
                               details={"email": [_("This field is required.")]})
    if not first_name.strip() or not last_name.strip():
        raise ApplicationError(_("Give your first and last names."), code="invalid_input")
    if gender not in Gender.values:
        raise ApplicationError(_("Choose a valid gender."), code="invalid_input")
    if birth_date >= now.date():
        raise ApplicationError(_("The birth date must be in the past."), code="invalid_input",
                               details={"birth_date": [str(birth_date)]})
    texts = current_texts()
    missing = [t.purpose for t in texts if t.required and t.purpose not in consents]
    if missing:
        raise ApplicationError(
            _("Accepting how your applications are handled is needed to apply."),
            code="consent_required", details={"consents": missing},
        )
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(
        username__iexact=email
    ).exists():
        raise ApplicationError(
            _("An account already uses this e-mail address. Sign in, or reset your password."),
            code="email_taken", details={"email": [email]},
        )
    user = User(username=email, email=email, first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150], email_verification_pending=True)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="invalid_input",
                               details={"password": exc.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ApplicationError(
            _("An account already uses this e-mail address. Sign in, or reset your password."),
            code="email_taken",
        ) from None
    volunteer = Volunteer(
        user=user, reference=_reference(), first_name=user.first_name, last_name=user.last_name,
        email=email, birth_date=birth_date, gender=gender, nationality=nationality,
        residence_country=residence_country, languages=_languages(languages),
    )
    volunteer.full_clean(exclude=["user", "sending_organisation"])
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
