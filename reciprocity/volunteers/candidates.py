"""Use-cases of a sending organisation (or national agency) registering and editing the
candidates it sends, before nominating them (docs/accounts.md): a Volunteer record without an
account, whose sending organisation is theirs."""

import datetime
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from reciprocity.accounts.models import MembershipRole
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
