"""Eligibility of many choices at once, for building a run's instance.

The same verdict as `procedures.eligibility.eligibility_verdict` (what the applicant was told),
computed with the rule book of each scheme and the facts of each host loaded once per run
instead of once per choice: about 7 ms and 4 queries per choice otherwise, minutes for a season
of thousands of applications. `tests/test_eligibility.py` checks both give the same verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from reciprocity.missions.models import Mission
from reciprocity.procedures import engine
from reciprocity.procedures.eligibility import eligibility_reasons
from reciprocity.procedures.facts import HostIndex, plan_request

# The run judges with the very rule book applicants and procedures are judged with.
from reciprocity.procedures.rulebooks import rules_current
from reciprocity.volunteers.models import Volunteer


@dataclass
class EligibilityChecker:
    rulebooks: dict[str, engine.RuleBook] = field(default_factory=dict)
    # A host's facts depend on the host, the scheme and the day only: a season's missions
    # share a few start dates (2,187 bench missions, 610 keys), and each key counts the host's
    # holding placements once (the coordinator's are 250,000 on the bench data).
    hosts: dict[tuple[int, str, date], engine.HostFacts] = field(default_factory=dict)
    indexes: dict[int, HostIndex] = field(default_factory=dict)

    def preload(self, missions: Iterable[Mission]) -> None:
        """Read the facts of all these missions' hosts at once (two queries, not two a host)."""
        missing = {m.host_id for m in missions} - set(self.indexes)
        if missing:
            index = HostIndex.load(host_ids=missing)
            for host_id in missing:
                self.indexes[host_id] = index

    def _host(self, mission: Mission) -> engine.HostFacts:
        key = (mission.host_id, mission.scheme_id, mission.start_date)
        if key not in self.hosts:
            # One read per host, not per mission: a host offers several missions in a run.
            if mission.host_id not in self.indexes:
                self.indexes[mission.host_id] = HostIndex.load(host_ids=[mission.host_id])
            self.hosts[key] = self.indexes[mission.host_id].for_mission(mission)
        return self.hosts[key]

    def _rulebook(self, scheme: str) -> engine.RuleBook:
        if scheme not in self.rulebooks:
            self.rulebooks[scheme] = rules_current().rulebook
        return self.rulebooks[scheme]

    def reasons(self, *, volunteer: Volunteer, mission: Mission) -> list[dict[str, str]]:
        """The reasons the volunteer may not take the mission (empty: eligible, or the engine
        could not judge, in which case the host decides as on the application)."""
        request = plan_request(volunteer, mission, host=self._host(mission))
        return eligibility_reasons(request, self._rulebook(mission.scheme_id))
