"""Build the engine's instance of a run from the database (reads only).

* Missions: the published missions in the run's scope (season: starting between the season's
  dates; programme; explicit set; every part given narrows the scope).
* Kept placements (`fixed`): every placement on those missions that holds a place, and every
  proposed one awaiting the host's confirmation. Acceptance counts proposed placements against
  a mission's room, so the engine must count them too, or it would propose places that
  acceptance then refuses. The engine subtracts them from capacities, nationality caps, gender
  balances and agreement balances itself ("capacity = capacity minus places held").
* Volunteers: those with an open application (submitted, shortlisted or accepted) that the
  run's author may see, holding a pending, shortlisted or accepted choice on a mission in scope,
  in application order (first submission first: the priority of the stable mode and of
  first-come-first-served). A volunteer with several applications gets their choices in
  application order. A volunteer already kept on a mission in scope is not placed twice.
* Choices dropped before the engine sees them: those the procedures engine finds ineligible
  (scheme rules, ages, dates, host accreditation), and those overlapping in dates with a
  placement the volunteer already holds or has been proposed elsewhere.
* Requirements, judged by the engine itself (hard rules in every mode, explained by name): each
  mission's start date, age bounds and required languages (`Mission.required_languages`), each
  free volunteer's birth date and languages (`Volunteer.languages`, CEFR levels). Entries the
  engine could not read (a code that is not two or three letters, an unknown level) are dropped
  with a warning, a volunteer's unreadable level counts as unstated. Kept placements carry no
  requirement: they were judged when made (staff may override), and only count in the rules.
* Agreements: the active agreements (unit: volunteers) overlapping the run's period, between
  the parties' countries (when both countries occur in the run: hosts or nationalities); tolerance = the agreement's tolerance; maximum per direction = the
  yearly quota minus what placements outside the run already use that year. Several agreements
  between the same two countries are summed (a necessary condition of each one's rule; the
  confirmation step still checks each agreement's own quota).

Where kept placements already break a rule (a hand-made placement over a nationality cap, an
agreement already beyond its tolerance), the rule is widened to exactly what they use, so the
run adds nothing that makes it worse; each widening is listed in the run's warnings.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from reciprocity.agreements.models import Agreement, AgreementStatus, QuotaUnit
from reciprocity.agreements.quotas import quotas_for
from reciprocity.applications.models import ApplicationChoice, ApplicationStatus, ChoiceStatus
from reciprocity.applications.selectors import applications_visible_to
from reciprocity.domain.languages import is_language_code, level_label, level_rank
from reciprocity.matching.eligibility import EligibilityChecker
from reciprocity.matching.models import PlacementRun
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.placements.models import HOLDING_STATUSES, Placement, PlacementStatus
from reciprocity.volunteers.models import Volunteer

OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED,
)
OPEN_CHOICE_STATUSES = (ChoiceStatus.PENDING, ChoiceStatus.SHORTLISTED, ChoiceStatus.ACCEPTED)
KEPT_STATUSES = (*HOLDING_STATUSES, PlacementStatus.PROPOSED)


def mission_key(pk: int) -> str:
    return f"m{pk}"


def volunteer_key(pk: int) -> str:
    return f"v{pk}"


def fixed_key(placement_pk: int) -> str:
    return f"p{placement_pk}"


MISSION_KEY = re.compile(r"\bm(\d+)\b")


@dataclass
class Built:
    """The instance as INSTANCE.json data, how its ids map to rows, and what was left out."""

    instance: dict[str, Any]
    references: dict[str, Any]
    warnings: list[dict[str, str]] = field(default_factory=list)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append({"code": code, "message": message})


def scope_missions(run: PlacementRun) -> QuerySet[Mission]:
    qs = Mission.objects.filter(status=MissionStatus.PUBLISHED)
    if run.season_start and run.season_end:
        qs = qs.filter(start_date__gte=run.season_start, start_date__lte=run.season_end)
    if run.programme_id:
        qs = qs.filter(programme_id=run.programme_id)
    if run.pk and run.missions.exists():
        qs = qs.filter(pk__in=run.missions.values("pk"))
    return qs.order_by("pk")


def run_period(run: PlacementRun, missions: list[Mission]) -> tuple[date, date] | None:
    if run.season_start and run.season_end:
        return run.season_start, run.season_end
    if not missions:
        return None
    return min(m.start_date for m in missions), max(m.end_date for m in missions)


def instance_build(*, run: PlacementRun, progress: Callable[[float], None] | None = None) -> Built:
    """Read the run's scope and return the engine instance (see the module's docstring).

    `progress(fraction)` is told how far the eligibility checks are (the slow part)."""
    missions = list(scope_missions(run).select_related("host"))
    built = Built(
        instance={"missions": [], "volunteers": [], "agreements": [], "fixed": [],
                  "unplaced_penalty": run.unplaced_penalty},
        references={"missions": {}, "volunteers": {}, "fixed": {}, "dropped": []},
    )
    if run.pk and run.missions.exclude(status=MissionStatus.PUBLISHED).exists():
        built.warn("unpublished_missions", _("Missions of the scope that are not published were left out."))
    mission_ids = [m.pk for m in missions]
    by_pk = {m.pk: m for m in missions}

    kept = list(
        Placement.objects.filter(mission_id__in=mission_ids, status__in=KEPT_STATUSES)
        .select_related("volunteer")
        .order_by("pk")
    )
    kept_volunteers = {p.volunteer_id for p in kept}
    volunteers = _open_volunteers(run, by_pk, kept_volunteers, built, progress)
    _add_missions(built, missions, kept, volunteers)
    _add_fixed(built, kept)
    _add_free(built, volunteers, by_pk)
    period = run_period(run, missions)
    if period is not None:
        _add_agreements(built, period, missions, kept)
    return built


@dataclass
class _Choice:
    """An open choice as the builder reads it: its mission from the scope already loaded and
    its volunteer read once, not a model row joined to both (30,000 on a bench season)."""

    pk: int
    application_id: int
    mission: Mission
    volunteer: Volunteer

    @property
    def mission_id(self) -> int:
        return self.mission.pk


@dataclass
class _Candidate:
    volunteer_id: int
    nationality: str
    gender: str
    choices: list[_Choice]
    birth_date: date | None = None
    languages: list[Any] = field(default_factory=list)


def _open_volunteers(
    run: PlacementRun, by_pk: dict[int, Mission], kept_volunteers: set[int], built: Built,
    progress: Callable[[float], None] | None,
) -> list[_Candidate]:
    choices = ApplicationChoice.objects.filter(
        mission_id__in=list(by_pk), status__in=OPEN_CHOICE_STATUSES,
        application__status__in=OPEN_APPLICATION_STATUSES,
    )
    if run.created_by is not None:
        # A coordinator's run reads only the applications its author may see.
        choices = choices.filter(application__in=applications_visible_to(run.created_by))
    if run.organisation_id is not None:
        # Every officer of the run's organisation sees the run: it must hold nothing they may
        # not see (a staff member running for a coordinator sees more than the coordinator).
        # The organisation's side of `applications_visible_to`: sent, received, coordinated.
        org = run.organisation_id
        choices = choices.filter(
            Q(application__sending_organisation_id=org)
            | Q(application__choices__mission__host_id=org)
            | Q(application__programme__coordinator_id=org)
        ).distinct()
    rows = list(
        choices.order_by("application__submitted_at", "application_id", "rank").values_list(
            "pk", "application_id", "application__volunteer_id", "mission_id"
        )
    )
    # Each volunteer once (three choices each on a bench season), not once per choice.
    people = Volunteer.objects.in_bulk({volunteer_id for _pk, _app, volunteer_id, _m in rows})
    candidates: dict[int, _Candidate] = {}
    skipped_kept = set()
    for pk, application_id, volunteer_id, mission_id in rows:
        volunteer = people[volunteer_id]
        if volunteer.pk in kept_volunteers:
            skipped_kept.add(volunteer.pk)
            continue
        cand = candidates.get(volunteer.pk)
        if cand is None:
            cand = candidates[volunteer.pk] = _Candidate(
                volunteer.pk, str(volunteer.nationality), volunteer.gender, [],
                volunteer.birth_date, list(volunteer.languages or []),
            )
        if all(c.mission_id != mission_id for c in cand.choices):
            cand.choices.append(_Choice(pk, application_id, by_pk[mission_id], volunteer))
    if skipped_kept:
        built.warn("already_kept", _(
            "%(n)d volunteer(s) with open applications already hold or have been proposed a "
            "place in the scope; they are kept there and not placed again."
        ) % {"n": len(skipped_kept)})
    _drop_ineligible(list(candidates.values()), built, progress)
    return list(candidates.values())


def _drop_ineligible(
    candidates: list[_Candidate], built: Built, progress: Callable[[float], None] | None
) -> None:
    """Keep only the choices the volunteer may take: eligible, and free in their calendar."""
    busy: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for vid, start, end in Placement.objects.filter(
        volunteer_id__in=[c.volunteer_id for c in candidates], status__in=KEPT_STATUSES
    ).values_list("volunteer_id", "start_date", "end_date"):
        busy[vid].append((start, end))
    dropped = 0
    checker = EligibilityChecker()
    checker.preload(choice.mission for cand in candidates for choice in cand.choices)
    for done, cand in enumerate(candidates):
        if progress is not None and done % 100 == 0:
            progress(done / len(candidates))
        kept = []
        for choice in cand.choices:
            mission = choice.mission
            reasons: list[str] = []
            messages: list[str] = []
            if any(s <= mission.end_date and mission.start_date <= e for s, e in busy[cand.volunteer_id]):
                reasons.append("dates_taken")
                messages.append(_("already placed or proposed elsewhere at that time"))
            else:
                found = checker.reasons(volunteer=choice.volunteer, mission=mission)
                reasons = [r["code"] for r in found]
                messages = [r["message"] for r in found]
            if reasons:
                dropped += 1
                built.references["dropped"].append(
                    {"volunteer": cand.volunteer_id, "mission": mission.pk, "choice": choice.pk,
                     "reasons": reasons, "messages": messages}
                )
            else:
                kept.append(choice)
        cand.choices = kept
    if dropped:
        built.warn("ineligible_choices", _(
            "%(n)d choice(s) were left out: the volunteer is not eligible for the mission's "
            "scheme or dates, or is already placed at that time."
        ) % {"n": dropped})


def _add_missions(
    built: Built, missions: list[Mission], kept: list[Placement], volunteers: list[_Candidate]
) -> None:
    count = Counter(p.mission_id for p in kept)
    per_nat = Counter((p.mission_id, str(p.nationality)) for p in kept)
    # The most kept volunteers of one nationality on each mission, in one pass.
    widest_of: Counter[int] = Counter()
    for (mission_id, _nat), n in per_nat.items():
        widest_of[mission_id] = max(widest_of[mission_id], n)
    balance = Counter({m.pk: 0 for m in missions})
    for p in kept:
        balance[p.mission_id] += {"F": 1, "M": -1}.get(p.volunteer.gender, 0)
    for m in missions:
        capacity = m.capacity
        if count[m.pk] > capacity:
            capacity = count[m.pk]
            built.warn("capacity_exceeded", _(
                "“%(mission)s” already has %(n)d placements for %(cap)d places: no place is added."
            ) % {"mission": m.title, "n": count[m.pk], "cap": m.capacity})
        # No cap set by the host means no nationality rule: the capacity is then the cap.
        cap = m.max_per_nationality if m.max_per_nationality is not None else max(capacity, 1)
        widest = widest_of[m.pk]
        if widest > cap:
            built.warn("nationality_cap_exceeded", _(
                "“%(mission)s” already has %(n)d volunteers of one nationality (cap %(cap)d): "
                "no more of that nationality is added."
            ) % {"mission": m.title, "n": widest, "cap": cap})
            cap = widest
        tolerance = m.gender_tolerance
        if tolerance is not None and abs(balance[m.pk]) > tolerance:
            built.warn("gender_balance_exceeded", _(
                "“%(mission)s” is already beyond its gender tolerance (%(gap)d for %(tol)d)."
            ) % {"mission": m.title, "gap": abs(balance[m.pk]), "tol": tolerance})
            tolerance = abs(balance[m.pk])
        key = mission_key(m.pk)
        required = engine_languages(m.required_languages, strict=True)
        if len(required) != len(m.required_languages or []):
            built.warn("required_language_unreadable", _(
                "“%(mission)s” has required languages the engine cannot read: they were left out."
            ) % {"mission": m.title})
        built.instance["missions"].append({
            "id": key, "capacity": capacity, "host_country": str(m.country),
            "max_per_nationality": cap, "gender_tolerance": tolerance,
            "start_date": m.start_date.isoformat(), "age_min": m.age_min, "age_max": m.age_max,
            "languages": required,
        })
        built.references["missions"][key] = m.pk


def _add_fixed(built: Built, kept: list[Placement]) -> None:
    for p in kept:
        key = fixed_key(p.pk)
        # Birth date and languages too: the engine checks a kept volunteer against the
        # mission's age limit and languages like any other, and refuses an unknown birth date.
        built.instance["volunteers"].append({
            "id": key, "nationality": str(p.nationality), "gender": p.volunteer.gender,
            "choices": [mission_key(p.mission_id)],
            "birth_date": p.volunteer.birth_date.isoformat() if p.volunteer.birth_date else None,
            "languages": engine_languages(p.volunteer.languages, strict=False),
        })
        built.instance["fixed"].append({"volunteer": key, "mission": mission_key(p.mission_id)})
        built.references["fixed"][key] = p.pk


def _add_free(built: Built, volunteers: list[_Candidate], by_pk: dict[int, Mission]) -> None:
    for cand in volunteers:
        key = volunteer_key(cand.volunteer_id)
        built.instance["volunteers"].append({
            "id": key, "nationality": cand.nationality, "gender": cand.gender,
            "choices": [mission_key(c.mission_id) for c in cand.choices],
            "birth_date": cand.birth_date.isoformat() if cand.birth_date else None,
            "languages": engine_languages(cand.languages, strict=False),
        })
        built.references["volunteers"][key] = {
            "volunteer": cand.volunteer_id,
            "choices": [c.pk for c in cand.choices],
            "applications": sorted({c.application_id for c in cand.choices}),
        }


def engine_languages(entries: Any, *, strict: bool) -> list[dict[str, str | None]]:
    """Stored `[{"code", "level"}]` (or bare codes) as the engine reads them, one per code.

    An entry without a readable code is dropped. An unreadable level drops a mission's
    requirement (`strict`: it cannot be judged) but leaves a volunteer's language unstated. A
    code given twice keeps its highest level."""
    out: dict[str, int | None] = {}
    for entry in entries if isinstance(entries, list) else []:
        code, level = (entry, None) if isinstance(entry, str) else (None, None)
        if isinstance(entry, dict):
            code, level = entry.get("code"), entry.get("level")
        if not is_language_code(code):
            continue
        rank: int | None = None
        if level not in (None, ""):
            try:
                rank = level_rank(level)
            except ValueError:
                if strict:
                    continue
        key = str(code).lower()
        if key in out and (out[key] or 0) >= (rank or 0):
            continue
        out[key] = rank
    return [{"code": code, "level": None if rank is None else level_label(rank)}
            for code, rank in out.items()]


def _add_agreements(
    built: Built, period: tuple[date, date], missions: list[Mission], kept: list[Placement]
) -> None:
    start, end = period
    hosts = {str(m.country) for m in missions}
    rows = (
        Agreement.objects.filter(
            status=AgreementStatus.ACTIVE, start_date__lte=end, end_date__gte=start
        )
        .filter(Q(party_a__country__in=hosts) | Q(party_b__country__in=hosts))
        .select_related("party_a", "party_b")
        .order_by("pk")
    )
    rows_list = list(rows)
    present = hosts | {v["nationality"] for v in built.instance["volunteers"]}
    # What each agreement's placements outside the run use that year, per direction, in one
    # query (it was one count per agreement and direction, each excluding the kept placements
    # by id: 37,000 ids in each of 118 queries on the bench data, three minutes). A holding
    # placement is kept exactly when its mission is in the run's scope (holding statuses are
    # kept statuses), so excluding the scope's missions excludes the same rows.
    used: Counter[tuple[int, str, str]] = Counter()
    for agreement_id, nationality, host_country, n in (
        Placement.objects.filter(
            agreement_id__in=[ag.pk for ag in rows_list], status__in=HOLDING_STATUSES,
            start_date__year=start.year,
        )
        .exclude(mission_id__in=[m.pk for m in missions])
        .values_list("agreement_id", "nationality", "host_country")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        used[(agreement_id, str(nationality), str(host_country))] += n
    quotas = quotas_for(rows_list, year=start.year)
    merged: dict[frozenset[str], dict[str, Any]] = {}
    for ag in rows_list:
        a, b = str(ag.party_a.country), str(ag.party_b.country)
        if a == b:
            continue  # two organisations of one country: no flow between countries to balance
        if not ({a, b} <= present):
            continue  # nobody of the run can move between these two countries
        if ag.unit != QuotaUnit.VOLUNTEERS:
            built.warn("agreement_in_months", _(
                "Agreement “%(title)s” counts volunteer-months; the engine counts volunteers, so "
                "its balance is checked at confirmation only."
            ) % {"title": ag.title})
            continue
        left = []
        # The season's year quota (agreements/quotas.py: a yearly row may replace the own one).
        year_quota = quotas[ag.pk]
        for src, dst, quota in ((a, b, year_quota.a_to_b), (b, a, year_quota.b_to_a)):
            left.append(max(0, quota - used[(ag.pk, src, dst)]))
        pair = frozenset((a, b))
        entry = merged.get(pair)
        if entry is None:
            merged[pair] = {"countries": [a, b], "tolerance": ag.tolerance, "max": left,
                            "agreements": [ag.pk]}
            continue
        if entry["countries"] != [a, b]:
            left.reverse()
        entry["tolerance"] += ag.tolerance
        entry["max"] = [entry["max"][0] + left[0], entry["max"][1] + left[1]]
        entry["agreements"].append(ag.pk)
        built.warn("agreements_merged", _(
            "Several agreements link %(a)s and %(b)s: the run keeps their sum (tolerances and "
            "quotas); each agreement's own quota is checked at confirmation."
        ) % {"a": entry["countries"][0], "b": entry["countries"][1]})
    flows = Counter((str(p.nationality), str(p.host_country)) for p in kept)
    built.references["agreements"] = []
    for entry in merged.values():
        a, b = entry["countries"]
        ab, ba = flows[(a, b)], flows[(b, a)]
        if abs(ab - ba) > entry["tolerance"]:
            built.warn("agreement_beyond_tolerance", _(
                "The %(a)s–%(b)s balance is already %(ab)d to %(ba)d, beyond its tolerance "
                "%(tol)d: the run may not widen the gap."
            ) % {"a": a, "b": b, "ab": ab, "ba": ba, "tol": entry["tolerance"]})
            entry["tolerance"] = abs(ab - ba)
        entry["max"] = [max(entry["max"][0], ab), max(entry["max"][1], ba)]
        built.instance["agreements"].append(
            {"countries": [a, b], "tolerance": entry["tolerance"], "max": entry["max"]}
        )
        built.references["agreements"].append(entry["agreements"])
