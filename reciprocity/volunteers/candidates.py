"""Use-cases of a sending organisation (or national agency) registering and editing the
candidates it sends, before nominating them (docs/accounts.md): a Volunteer record without an
account, whose sending organisation is theirs."""

import datetime
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, memberships_of
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.models import Gender, Volunteer
from reciprocity.volunteers.signup import Language, _languages

CANDIDATE_REFERENCE_PREFIX = "CAND-"
# What the sending organisation certifies and may therefore write.
CANDIDATE_FIELDS = ("first_name", "last_name", "email", "phone", "birth_date", "gender",
                    "nationality", "residence_country", "languages")


def sending_organisations_of(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations for which `user` registers candidates: sending organisations and national
    agencies where they are administrator or officer (all of them for platform staff)."""
    sending = Q(is_sending=True) | Q(is_national_agency=True)
    if is_platform_staff(user):
        return Organisation.objects.filter(sending).order_by("name")
    ids = memberships_of(user).filter(
        role__in=[MembershipRole.ADMIN, MembershipRole.OFFICER]).values("organisation_id")
    return Organisation.objects.filter(sending, pk__in=ids).order_by("name")


def can_register_candidates(user: AnyUser) -> bool:
    return sending_organisations_of(user).exists()


def can_edit_candidate(user: AnyUser, volunteer: Volunteer) -> bool:
    return volunteer.sending_organisation_id is not None and volunteer.anonymised_at is None and (
        sending_organisations_of(user).filter(pk=volunteer.sending_organisation_id).exists())


def _clean(*, first_name: str, last_name: str, email: str, birth_date: datetime.date,
           gender: str, nationality: str, residence_country: str,
           languages: Sequence[Language], phone: str) -> dict[str, object]:
    if gender not in Gender.values:
        raise ApplicationError(_("Choose a gender."), code="invalid_input",
                               details={"gender": [_("Choose a valid value.")]})
    if not first_name.strip() or not last_name.strip():
        raise ApplicationError(_("Give the candidate's first and last names."),
                               code="invalid_input")
    return {"first_name": first_name.strip()[:100], "last_name": last_name.strip()[:100],
            "email": email.strip().lower(), "phone": phone.strip()[:40],
            "birth_date": birth_date, "gender": gender, "nationality": nationality,
            "residence_country": residence_country, "languages": _languages(languages)}


def candidate_register(*, by: AnyUser, organisation: Organisation, first_name: str,
                       last_name: str, email: str, birth_date: datetime.date, gender: str,
                       nationality: str, residence_country: str,
                       languages: Sequence[Language], phone: str = "") -> Volunteer:
    """A new candidate sent by `organisation`, with no account (the person may claim one later).
    Only its administrators and officers (and platform staff) register for it."""
    if not sending_organisations_of(by).filter(pk=organisation.pk).exists():
        raise NotAllowed(_("You cannot register candidates for this organisation."),
                         code="not_a_sender")
    fields = _clean(first_name=first_name, last_name=last_name, email=email,
                    birth_date=birth_date, gender=gender, nationality=nationality,
                    residence_country=residence_country, languages=languages, phone=phone)
    with transaction.atomic():
        if fields["email"] and Volunteer.objects.filter(
                sending_organisation=organisation, email__iexact=fields["email"]).exists():
            raise ApplicationError(
                _("Your organisation already registered a candidate with this e-mail address."),
                code="duplicate_candidate")
        return Volunteer.objects.create(
            reference=CANDIDATE_REFERENCE_PREFIX + secrets.token_hex(5).upper(),
            sending_organisation=organisation, **fields)


def candidate_update(*, by: AnyUser, volunteer: Volunteer, first_name: str, last_name: str,
                     email: str, birth_date: datetime.date, gender: str, nationality: str,
                     residence_country: str, languages: Sequence[Language],
                     phone: str = "") -> Volunteer:
    """The sending organisation corrects what it certifies about a candidate it sends."""
    if not can_edit_candidate(by, volunteer):
        raise NotAllowed(_("Only the candidate's sending organisation can edit this record."),
                         code="not_the_sender")
    fields = _clean(first_name=first_name, last_name=last_name, email=email,
                    birth_date=birth_date, gender=gender, nationality=nationality,
                    residence_country=residence_country, languages=languages, phone=phone)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        for name, value in fields.items():
            setattr(volunteer, name, value)
        volunteer.save(update_fields=[*CANDIDATE_FIELDS, "updated_at"])
    return volunteer


# --- claiming the record: the candidate gets an account by e-mail ---------------------------

CLAIM_SALT = "reciprocity.volunteers.claim"
CLAIM_MAX_AGE = datetime.timedelta(days=7)


class ClaimFailed(ApplicationError):
    status = 410


def claim_link_send(*, by: AnyUser, volunteer: Volunteer, base_url: str) -> None:
    """E-mail the candidate a link (signed, 7 days) to create their account on this record.
    Works once: the link stops working when the record has an account or its address changes."""
    if not can_edit_candidate(by, volunteer):
        raise NotAllowed(_("Only the candidate's sending organisation can edit this record."),
                         code="not_the_sender")
    if volunteer.user_id is not None:
        raise ApplicationError(_("This candidate already has an account."), code="has_account")
    if not volunteer.email:
        raise ApplicationError(_("Record the candidate's e-mail address first."),
                               code="no_email")
    token = signing.TimestampSigner(salt=CLAIM_SALT).sign_object(
        {"volunteer": volunteer.pk, "email": volunteer.email})
    link = base_url.rstrip("/") + reverse("volunteers:claim", kwargs={"token": token})
    subject = _("Your account on Reciprocity")
    body = _(
        "Hello,\n\n%(organisation)s registered you as a candidate on Reciprocity. To create your "
        "account and follow your applications, open this link within %(days)d days:\n\n"
        "%(link)s\n\nIf you do not expect this message, ignore it."
    ) % {"organisation": volunteer.sending_organisation, "days": CLAIM_MAX_AGE.days, "link": link}
    address = volunteer.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))


def claim_target(*, token: str) -> Volunteer:
    """The record a claim link names, or ClaimFailed saying why not."""
    try:
        payload = signing.TimestampSigner(salt=CLAIM_SALT).unsign_object(
            token, max_age=CLAIM_MAX_AGE)
    except signing.SignatureExpired:
        raise ClaimFailed(_("This link has expired. Ask your sending organisation for a new "
                            "one."), code="link_expired") from None
    except signing.BadSignature:
        raise ClaimFailed(_("This link is not valid."), code="link_invalid") from None
    volunteer = Volunteer.objects.filter(pk=payload.get("volunteer"),
                                         anonymised_at__isnull=True).first()
    if volunteer is None or volunteer.email.lower() != str(payload.get("email", "")).lower():
        raise ClaimFailed(_("This link is not valid."), code="link_invalid")
    if volunteer.user_id is not None:
        raise ClaimFailed(_("This link was already used: sign in with your account."),
                          code="link_used")
    return volunteer


def candidate_claim(*, token: str, password: str, now: datetime.datetime) -> User:
    """Create the candidate's account on their record (username and e-mail: the record's
    address, proven by the link)."""
    with transaction.atomic():
        volunteer = claim_target(token=token)
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.user_id is not None:
            raise ClaimFailed(_("This link was already used: sign in with your account."),
                              code="link_used")
        email = volunteer.email.lower()
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise ApplicationError(
                _("An account already uses this address. Ask the platform staff to link it to "
                  "your record."), code="account_exists")
        user = User(username=email, email=email, first_name=volunteer.first_name,
                    last_name=volunteer.last_name, email_verified_at=now)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), code="invalid_input",
                                   details={"password": list(exc.messages)}) from None
        user.set_password(password)
        user.save()
        volunteer.user = user
        volunteer.save(update_fields=["user", "updated_at"])
    return user
