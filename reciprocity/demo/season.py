"""The demo's next season, built after the network (docs/tour.md, "Next season"): a WECCEE
cohort paired by a pairing run (accepted, one pair dissolved since), and a draft quota scenario
for next year beside the current plan.

Built after everything else, on its own random stream and its own references (`DEMO-W…`,
`MW…`), so that the rest of the demo (its people, figures and the balance's story) is the same
with or without it. Its placements carry no agreement: a WECCEE binôme serves in France, the
foreign volunteer through the programme rather than a bilateral quota, so the balance's story
is unchanged. Everything goes through the services, with `today` and `now` handed in.
"""

import random
from datetime import date, datetime, timedelta

from reciprocity.accounts.models import User
from reciprocity.agreements.models import Programme
from reciprocity.demo import data
from reciprocity.domain.dates import add_months
from reciprocity.matching.models import PairDecision, PairingRun
from reciprocity.matching.pairing_services import (
    pair_dissolve,
    pairing_run_accept,
    pairing_run_create,
    pairing_run_execute,
)
from reciprocity.missions.models import Mission, MissionStatus, Theme
from reciprocity.partners.models import Organisation
from reciprocity.placements.models import Placement, PlacementStatus, PlacementStatusChange
from reciprocity.planning.models import Scenario
from reciprocity.planning.services import scenario_create, scenario_set_quotas
from reciprocity.procedures.services import procedures_sync
from reciprocity.volunteers.models import IdentityDocumentKind, Volunteer

WECCEE_HOST = "Cool'eurs du Monde"
# (mission theme, start month, the French volunteer's other language, the foreign volunteer's
# nationality and own language): one mission per binôme, as WECCEE hosts them.
COHORT = [
    (Theme.ENVIRONMENT, 2, "en", "SN", "wo"),
    (Theme.EDUCATION, 2, "es", "MG", "mg"),
    (Theme.CULTURE, 3, "en", "VN", "vi"),
    (Theme.SOLIDARITY, 3, "de", "GN", "ff"),
]
# One foreign volunteer more than French ones: the run leaves her unpaired (partners taken).
EXTRA_FOREIGN = ("TN", "ar")
SCENARIO_NAME = "Quotas {year}: draft"
DISSOLVED_REASON = (
    "After the pre-departure training the host moved {name} to its Lyon site; both volunteers "
    "will be paired again by the next run."
)


def _volunteer(rng: random.Random, n: int, *, nationality: str, own: str, other: str | None,
               start: date, sender: Organisation | None) -> Volunteer:
    female, male, last_names = data.NAMES[data.NAMING_REGION.get(nationality, "europe")]
    gender = rng.choice(["F", "M"])
    languages = [{"code": "fr", "level": "C2" if nationality == "FR" else "B2"}]
    if own != "fr":
        languages.insert(0, {"code": own, "level": "C2"})
    if other:
        languages.append({"code": other, "level": "B1"})
    return Volunteer.objects.create(
        reference=f"DEMO-W{n:03d}", first_name=rng.choice(female if gender == "F" else male),
        last_name=rng.choice(last_names), email=f"weccee{n}@example.org",
        birth_date=start - timedelta(days=365 * rng.randint(19, 24) + rng.randint(20, 340)),
        gender=gender, nationality=nationality, residence_country=nationality, languages=languages,
        sending_organisation=sender, id_document_kind=IdentityDocumentKind.PASSPORT,
        id_document_number=f"W{rng.randint(10_000_000, 99_999_999)}",
        id_document_expiry=start + timedelta(days=rng.randint(700, 3000)),
    )


def _place(volunteer: Volunteer, mission: Mission) -> Placement:
    placement = Placement.objects.create(
        volunteer=volunteer, mission=mission, status=PlacementStatus.CONFIRMED,
        nationality=volunteer.nationality, host_country=mission.country,
        scheme_id=mission.scheme_id, gender=volunteer.gender, start_date=mission.start_date,
        end_date=mission.end_date, sending_organisation=volunteer.sending_organisation,
        tutor_name=mission.host.contact_name, tutor_email=mission.host.email,
    )
    PlacementStatusChange.objects.bulk_create([
        PlacementStatusChange(placement=placement, from_status="", to_status="proposed"),
        PlacementStatusChange(placement=placement, from_status="proposed", to_status="confirmed"),
    ])
    return placement


def weccee_cohort(*, seed: int, today: date) -> list[Placement]:
    """Next spring's WECCEE cohort at Cool'eurs du Monde: four missions, each for a French and
    a foreign volunteer, and one foreign volunteer more; all confirmed."""
    rng = random.Random(seed + 17)
    programme = Programme.objects.get(code="weccee")
    host = Organisation.objects.get(name=WECCEE_HOST)
    agencies = {o.country: o for o in Organisation.objects.filter(is_national_agency=True)}
    year = today.year + 1
    placements, n = [], 0
    for i, (theme, month, other, country, own) in enumerate(COHORT):
        start = date(year, month, 1)
        mission = Mission.objects.create(
            host=host, scheme_id="service_civique", programme=programme, reference=f"MW{i + 1:03d}",
            title=f"WECCEE binôme: {Theme(theme).label} — {host.city}", theme=theme, country="FR",
            city=host.city, start_date=start, end_date=add_months(start, 8) - timedelta(days=1),
            capacity=2 if i < len(COHORT) - 1 else 3, weekly_hours=28, age_min=18, age_max=25,
            # Both places are taken by the programme's cohort: not in the catalogue.
            status=MissionStatus.CLOSED, languages=["fr"],
            description=(f"A French and a foreign volunteer serve together at {host.name} in "
                         f"{host.city} for eight months (WECCEE programme)."),
        )
        n += 1
        placements.append(_place(_volunteer(rng, n, nationality="FR", own="fr", other=other,
                                            start=start, sender=host), mission))
        n += 1
        placements.append(_place(_volunteer(rng, n, nationality=country, own=own, other=None,
                                            start=start, sender=agencies.get(country, host)),
                                 mission))
    country, own = EXTRA_FOREIGN
    n += 1
    placements.append(_place(_volunteer(rng, n, nationality=country, own=own, other=None,
                                        start=mission.start_date, sender=agencies.get(country, host)),
                             mission))
    return placements


def weccee_pairing_run(*, today: date, now: datetime) -> PairingRun:
    """Staff run the pairing over the cohort, accept every pair, and dissolve one since (its
    French volunteer moved site): the run page shows accepted, dissolved and unpaired rows,
    and the placements show their partner."""
    staff = User.objects.get(username="staff")
    year = today.year + 1
    run = pairing_run_create(
        created_by=staff, programme=Programme.objects.get(code="weccee"), label=f"WECCEE {year}",
        season_start=date(year, 1, 1), season_end=date(year, 6, 30), start=False,
    )
    run = pairing_run_execute(run_id=run.pk, clock=lambda: now)
    pairing_run_accept(run=run, actor=staff, now=now)
    last = run.pairs.filter(decision=PairDecision.ACCEPTED).order_by("score", "pk").first()
    if last is not None:
        pair_dissolve(pair=last, actor=staff, now=now,
                      reason=DISSOLVED_REASON.format(name=last.french.volunteer.first_name))
    return run


def quota_scenario(*, today: date) -> Scenario:
    """The coordinator's draft for next year: Senegal's quota of French volunteers raised (the
    agreement France sent too few through this year), Togo's of Togolese lowered; applied to
    nothing yet, so the current plan stands beside it."""
    coordinator = User.objects.get(username="coordinator")
    organisation = Organisation.objects.get(name="France Volontaires")
    year = today.year + 1
    scenario = scenario_create(by=coordinator, name=SCENARIO_NAME.format(year=year), year=year,
                               organisation=organisation, today=today)
    lines = {line.agreement.reference: line for line in scenario.lines.select_related("agreement")}
    changes: dict[int, tuple[int, int]] = {}
    for reference, delta_a_to_b, delta_b_to_a in (("fv-ev-sn", 5, 0), ("fv-anvt", 0, -2)):
        line = lines.get(reference)
        if line is not None:
            changes[line.agreement_id] = (max(0, line.quota_a_to_b + delta_a_to_b),
                                          max(0, line.quota_b_to_a + delta_b_to_a))
    if changes:
        scenario = scenario_set_quotas(by=coordinator, scenario=scenario, quotas=changes)
    return scenario


def next_season(*, seed: int, today: date, now: datetime) -> None:
    weccee_cohort(seed=seed, today=today)
    # Confirmed placements have their checklist, as the network's got in `demo_build`: this
    # opens the cohort's only (the others have theirs).
    procedures_sync(today=today, now=now)
    weccee_pairing_run(today=today, now=now)
    quota_scenario(today=today)

