"""Use-cases of quota scenarios (docs/scenarios.md): create by copying a year's agreements,
change quotas, apply.

Who may: platform staff, and the coordinator writers of the scenario's coordinator
(planning/permissions.py). Refusals carry stable codes (core.exceptions)."""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.agreements.models import Agreement, AgreementStatus
from reciprocity.agreements.quotas import quotas_for
from reciprocity.agreements.services import agreement_year_quota_set
from reciprocity.balance import caching
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.core.validation import Errors, saved
from reciprocity.partners.models import Organisation
from reciprocity.partners.permissions import coordinator_ids, network_ids
from reciprocity.planning.models import (
    Scenario,
    ScenarioQuota,
    ScenarioStatus,
    ScenarioStatusChange,
)
from reciprocity.planning.permissions import can_plan

# Agreements a scenario copies: those that may run in the year (a draft is being negotiated).
PLANNED_STATUSES = (AgreementStatus.ACTIVE, AgreementStatus.DRAFT)
# How far ahead one plans: this year up to five years on.
YEARS_AHEAD = 5
MAX_QUOTA = 100_000


def _refuse() -> NotAllowed:
    return NotAllowed(_("Only platform staff and the coordinator's administrators and officers "
                        "plan its quotas."), code="not_a_coordinator")


def may_write_scenario(user: AnyUser, scenario: Scenario) -> bool:
    if is_platform_staff(user):
        return True
    return scenario.organisation_id is not None and scenario.organisation_id in coordinator_ids(
        user)


def _actor(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


def scenario_agreements(*, organisation: Organisation | None, year: int,
                        today: datetime.date) -> list[Agreement]:
    """The agreements a scenario of `organisation` copies: those of the coordinator and of its
    network (partners.permissions.network_ids) that may run in `year`; all of them without an
    organisation (staff)."""
    qs = Agreement.objects.filter(status__in=PLANNED_STATUSES, start_date__year__lte=year,
                                  end_date__year__gte=year)
    if organisation is not None:
        parties = {organisation.pk} | network_ids([organisation.pk], today=today)
        qs = qs.filter(Q(party_a_id__in=parties) | Q(party_b_id__in=parties))
    return list(qs.order_by("reference", "pk"))


def scenario_create(*, by: AnyUser, name: str, year: int, organisation: Organisation | None,
                    today: datetime.date) -> Scenario:
    """A draft scenario holding, for every agreement of the network that may run in `year`,
    its current quotas for that year (the base) and the same as the scenario's."""
    if not can_plan(by):
        raise _refuse()
    if organisation is None and not is_platform_staff(by):
        raise _refuse()
    if organisation is not None and not (is_platform_staff(by) or (
            organisation.is_coordinator and organisation.pk in coordinator_ids(by))):
        raise _refuse()
    errors = Errors()
    name = name.strip()
    if not name:
        errors.add("name", _("Give the scenario a name."))
    if len(name) > 200:
        errors.add("name", _("At most 200 characters."))
    if not today.year <= year <= today.year + YEARS_AHEAD:
        errors.add("year", _("Plan a year from %(first)d to %(last)d.") % {
            "first": today.year, "last": today.year + YEARS_AHEAD})
    if organisation is not None and not organisation.is_coordinator:
        errors.add("organisation", _("Choose a coordinator."))
    errors.raise_if_any()
    agreements = scenario_agreements(organisation=organisation, year=year, today=today)
    current = quotas_for(agreements, year=year)
    with saved():
        scenario = Scenario.objects.create(name=name, year=year, organisation=organisation,
                                           created_by=_actor(by))
        ScenarioQuota.objects.bulk_create([
            ScenarioQuota(scenario=scenario, agreement=a,
                          base_quota_a_to_b=current[a.pk].a_to_b,
                          base_quota_b_to_a=current[a.pk].b_to_a,
                          quota_a_to_b=current[a.pk].a_to_b, quota_b_to_a=current[a.pk].b_to_a)
            for a in agreements
        ])
        ScenarioStatusChange.objects.create(scenario=scenario, to_status=ScenarioStatus.DRAFT,
                                            actor=_actor(by))
    return scenario


def _check_draft(scenario: Scenario) -> None:
    if not scenario.is_draft:
        raise InvalidTransition(
            _("The scenario was applied on %(day)s: copy a new one to change quotas again.")
            % {"day": scenario.applied_at.date().isoformat() if scenario.applied_at else "—"},
            code="scenario_applied")


def scenario_set_quotas(*, by: AnyUser, scenario: Scenario,
                        quotas: Mapping[int, tuple[int, int]]) -> Scenario:
    """Change the quotas of some lines: agreement id → (A→B, B→A). Every value is checked
    before anything is written."""
    if not may_write_scenario(by, scenario):
        raise _refuse()
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        _check_draft(scenario)
        lines = {line.agreement_id: line for line in scenario.lines.filter(
            agreement_id__in=list(quotas))}
        errors = Errors()
        for agreement_id, pair in quotas.items():
            if agreement_id not in lines:
                errors.add(str(agreement_id), _("This agreement is not in the scenario."))
            elif any(not 0 <= value <= MAX_QUOTA for value in pair):
                errors.add(str(agreement_id), _("A quota is a whole number from 0 to %(max)d.")
                           % {"max": MAX_QUOTA})
        errors.raise_if_any()
        changed = []
        for agreement_id, (a_to_b, b_to_a) in quotas.items():
            line = lines[agreement_id]
            if (line.quota_a_to_b, line.quota_b_to_a) != (a_to_b, b_to_a):
                line.quota_a_to_b, line.quota_b_to_a = a_to_b, b_to_a
                changed.append(line)
        with saved():
            ScenarioQuota.objects.bulk_update(changed, ["quota_a_to_b", "quota_b_to_a"])
            scenario.save(update_fields=["updated_at"])
    return scenario


class StaleScenario(ApplicationError):
    code = "scenario_stale"
    status = 409


@transaction.atomic
def scenario_apply(*, by: AnyUser, scenario: Scenario, now: datetime.datetime) -> Scenario:
    """Give every agreement of the scenario its quotas for the year (agreements'
    `AgreementYearQuota`), all or nothing.

    Locks, in this order: the scenario (a second apply waits, then finds it applied and is
    refused), then its agreements by id (an agreement edited meanwhile waits or is seen). An
    agreement whose quotas for the year are no longer the line's base, or that no longer runs
    in the year, makes the scenario stale: refused, every such agreement named."""
    if not may_write_scenario(by, scenario):
        raise _refuse()
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _check_draft(scenario)
    lines = list(scenario.lines.order_by("agreement_id"))
    agreements = {a.pk: a for a in Agreement.objects.select_for_update().filter(
        pk__in=[line.agreement_id for line in lines]).order_by("pk")}
    current = quotas_for(agreements.values(), year=scenario.year)
    stale = []
    for line in lines:
        agreement = agreements[line.agreement_id]
        now_quota = current[agreement.pk]
        runs = (agreement.status in PLANNED_STATUSES
                and agreement.start_date.year <= scenario.year <= agreement.end_date.year)
        if not runs or (now_quota.a_to_b, now_quota.b_to_a) != (
                line.base_quota_a_to_b, line.base_quota_b_to_a):
            stale.append(agreement)
    if stale:
        raise StaleScenario(
            _("Quotas or dates changed since the scenario was copied, for: %(agreements)s. Copy "
              "a new scenario.") % {"agreements": ", ".join(a.reference for a in stale)},
            details={"agreements": [a.pk for a in stale]})
    note = _("Scenario “%(name)s”") % {"name": scenario.name}
    for line in lines:
        agreement_year_quota_set(
            agreement=agreements[line.agreement_id], year=scenario.year,
            quota_a_to_b=line.quota_a_to_b, quota_b_to_a=line.quota_b_to_a, actor=by, note=note)
    scenario.status = ScenarioStatus.APPLIED
    scenario.applied_at = now
    scenario.applied_by = _actor(by)
    scenario.save(update_fields=["status", "applied_at", "applied_by", "updated_at"])
    ScenarioStatusChange.objects.create(scenario=scenario, from_status=ScenarioStatus.DRAFT,
                                        to_status=ScenarioStatus.APPLIED, actor=_actor(by))
    # The balance pages show each year's quotas and gaps: their cached figures are stale.
    caching.bump_on_commit()
    return scenario
