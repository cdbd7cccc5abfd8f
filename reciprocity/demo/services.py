"""Build the demo network: deterministic for a given seed and reference day."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.models import API_TOKEN_DEFAULT_DAYS, Membership, TokenScope, User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.accounts.services import api_token_create
from reciprocity.accounts.two_factor.codes import totp_code
from reciprocity.accounts.two_factor.selectors import totp_device_of, two_factor_mandatory
from reciprocity.agreements.models import Agreement, Programme
from reciprocity.applications.models import Application
from reciprocity.balance.services import ledger_backfill
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.planner import planner_statistics_refresh
from reciprocity.demo import data
from reciprocity.demo.builder import COORDINATOR_NAME, STAFF_USERNAME, NetworkBuilder
from reciprocity.demo.season import next_season
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement
from reciprocity.procedures.models import (
    VISA_STEP_CODE,
    Procedure,
    ProcedureStep,
    StepStatus,
    StepStatusChange,
)
from reciprocity.procedures.services import procedures_sync
from reciprocity.schemes.services import rules_load_from_files
from reciprocity.volunteers.models import Volunteer


@dataclass
class DemoSummary:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


DEMO_LOGINS = [
    ("staff", _("platform staff (sees everything, admin site)"), ""),
    ("coordinator", _("administrator of France Volontaires (coordinator)"), COORDINATOR_NAME),
    ("host", _("officer of a French host organisation"), "Maison des Solidarités"),
    ("agency", _("officer of ANVT, the national volunteer agency of Togo"), "ANVT"),
    ("viewer", _("viewer at GIP-PNVB, Burkina Faso"), "GIP-PNVB"),
    ("volunteer", _("a volunteer with an open application"), ""),
]


def demo_is_loaded() -> bool:
    return User.objects.filter(username=STAFF_USERNAME).exists() and Organisation.objects.filter(
        name=COORDINATOR_NAME
    ).exists()


def demo_token_create(*, today: date, username: str = STAFF_USERNAME) -> str:
    """A new read-write API token (90 days) of a demo user, for scripts and checks; the clear
    value is returned once. Staff get a platform-wide token, a member one bound to their first
    organisation. Raises ApplicationError for an unknown user or one without organisation."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApplicationError(_("There is no user %(name)s.") % {"name": username},
                               code="unknown_user")
    organisation = None
    if not is_platform_staff(user):
        first = Membership.objects.filter(user=user).select_related("organisation").order_by("pk")
        membership = first.first()
        if membership is None:
            raise ApplicationError(
                _("%(name)s belongs to no organisation: an API token acts for one.")
                % {"name": username}, code="organisation_required")
        organisation = membership.organisation
    _token, key = api_token_create(
        user=user, name="demo", organisation_id=organisation.pk if organisation else None,
        scope=TokenScope.READ_WRITE,
        expires_on=today + timedelta(days=API_TOKEN_DEFAULT_DAYS), today=today,
    )
    return key


@transaction.atomic
def demo_build(*, seed: int = 2026, today: date, now: datetime) -> DemoSummary:
    """Create the demo network as of `today` unless it is already there (idempotent); `now`
    stamps the steps ticked as done before the volunteers arrived."""
    if demo_is_loaded():
        _demo_second_factors()  # a demo loaded before two-factor authentication gets them
        return DemoSummary(created=False, logins=_logins())
    rules_load_from_files()
    builder = NetworkBuilder(seed=seed, today=today, now=now)
    builder.organisations()
    builder.agreements()
    builder.sc_and_vsi_hosted()
    builder.workcamps()
    builder.story()
    builder.sent_abroad()
    builder.open_catalogue()
    builder.save()
    volunteer = builder.applications()
    builder.senegal_applicants()
    builder.users(volunteer)
    _demo_second_factors()
    # The network is written: the queries below and the first pages after it are planned on
    # its statistics, not on those of the empty tables (core/planner.py).
    planner_statistics_refresh()
    ledger_backfill()  # the demo writes placements directly: give the balance their events
    procedures_sync(today=today, now=now)  # and give confirmed and running placements their checklists
    _tick_past_steps(today=today, now=now, rng=random.Random(seed))
    builder.visa_steps()
    builder.placement_run()
    # A WECCEE pairing run and a draft quota scenario for next year (docs/tour.md).
    next_season(seed=seed, today=today, now=now)
    planner_statistics_refresh()
    counts = {
        "organisations": Organisation.objects.count(),
        "agreements": Agreement.objects.count(),
        "programmes": Programme.objects.count(),
        "missions": Mission.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "placements": Placement.objects.count(),
        "applications": Application.objects.count(),
        "procedures": Procedure.objects.count(),
    }
    return DemoSummary(created=True, counts=counts, logins=_logins())


def _tick_past_steps(*, today: date, now: datetime, rng: random.Random) -> None:
    """Volunteers already in mission got there: most steps due before today are done. One in
    ten stays open, so "what is due" shows overdue work as real hosts have, but never the visa
    of a volunteer who has arrived: nobody enters without one."""
    steps = ProcedureStep.objects.filter(due_by__lt=today, status=StepStatus.TO_DO).order_by("pk")
    done = [step for step in steps if step.code == VISA_STEP_CODE or rng.random() >= 0.1]
    for step in done:
        step.status, step.status_changed_at = StepStatus.DONE, now
    ProcedureStep.objects.bulk_update(done, ["status", "status_changed_at"], batch_size=500)
    StepStatusChange.objects.bulk_create(
        [StepStatusChange(step=step, from_status=StepStatus.TO_DO, to_status=StepStatus.DONE,
                          note="Demo data: done before the volunteer arrived.") for step in done],
        batch_size=1000,
    )


def _demo_second_factors() -> None:
    """Staff and administrators must pass a second factor: the demo's come with an enrolled
    authenticator app (a random key), whose current code `demo_otp_code` gives."""
    usernames = [username for username, _role, _org in DEMO_LOGINS]
    for user in User.objects.filter(username__in=usernames).order_by("pk"):
        if two_factor_mandatory(user) and totp_device_of(user) is None:
            TOTPDevice.objects.create(user=user, name="Demo authenticator app", confirmed=True)


def demo_otp_code(*, username: str) -> str:
    """The six-digit code the demo user's authenticator app would show now. Only for the demo
    users: other accounts' codes stay on their owners' phones."""
    if username not in {name for name, _role, _org in DEMO_LOGINS}:
        raise ApplicationError(_("%(name)s is not a demo user.") % {"name": username},
                               code="unknown_user")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApplicationError(_("There is no user %(name)s: run `reciprocity demo` first.")
                               % {"name": username}, code="unknown_user")
    device = totp_device_of(user)
    if device is None:
        raise ApplicationError(
            _("%(name)s has no two-factor device: only staff and administrators need a code.")
            % {"name": username}, code="no_device")
    return totp_code(device)


def _logins() -> list[tuple[str, str, str]]:
    return [(u, data.DEMO_PASSWORD, str(role)) for u, role, _org in DEMO_LOGINS]


