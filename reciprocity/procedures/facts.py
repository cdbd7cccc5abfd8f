"""The one translation of the platform's records into the procedure engine's plain facts.

Applications (the verdict shown to an applicant), placement runs (eligible choices only),
procedures (the plan of a confirmed placement) and the eligibility include all ask the engine
the same question; they must describe the volunteer, the mission and its host the same way,
or a volunteer told "eligible" on applying could be refused at confirmation.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from reciprocity.core.countries import country_code
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Accreditation
from reciprocity.placements.models import Placement
from reciprocity.placements.selectors import holding_spans
from reciprocity.procedures.engine import HostFacts, MissionFacts, PlanRequest, VolunteerFacts
from reciprocity.volunteers.models import Volunteer


def volunteer_facts(volunteer: Volunteer, *, first_nationality: str = "") -> VolunteerFacts:
    """`first_nationality` puts the one a placement was made under first (the snapshot)."""
    nationalities = list(volunteer.nationalities)
    if first_nationality:
        nationalities = [first_nationality] + [c for c in nationalities if c != first_nationality]
    return VolunteerFacts(
        nationalities=tuple(nationalities),
        # A Country's str() is its code (the stubs type the field as a plain string).
        residence=country_code(volunteer.residence_country) or None,
        birth_date=volunteer.birth_date,
        disability=volunteer.has_disability,
        prior_service_civique=volunteer.prior_service_civique,
        prior_vsi_months=float(volunteer.prior_vsi_months),
    )


@dataclass
class HostIndex:
    """Accreditations and holding placements of some hosts, read once (two queries).

    The one place that answers "how many places does the host use, out of how many it is
    authorised": the same count `placement_confirm` checks against (the largest valid
    accreditation, and the placements holding a place on the day, `placements.selectors`).
    A batch of placements (`procedures_sync`) or of choices (a placement run) reads it once.
    """

    accreditations: dict[tuple[int, str], list[Accreditation]] = field(default_factory=dict)
    holding: dict[tuple[int, str], list[tuple[int, date, date]]] = field(default_factory=dict)

    @classmethod
    def load(cls, *, host_ids: Iterable[int]) -> "HostIndex":
        index = cls()
        hosts = set(host_ids)
        for acc in Accreditation.objects.filter(organisation_id__in=hosts).order_by("pk"):
            index.accreditations.setdefault((acc.organisation_id, acc.scheme_id), []).append(acc)
        for pk, host_id, scheme_id, first, last in holding_spans(host_ids=hosts):
            index.holding.setdefault((host_id, scheme_id), []).append((pk, first, last))
        return index

    def facts(
        self, *, host_id: int, scheme_id: str, on: date, exclude_placement_id: int | None = None
    ) -> HostFacts:
        key = (host_id, scheme_id)
        valid = [a for a in self.accreditations.get(key, ()) if a.is_valid_on(on)]
        if not valid:
            return HostFacts(accredited=False)
        authorised = max(a.authorised_volunteers for a in valid)
        used = sum(
            1
            for pk, first, last in self.holding.get(key, ())
            if pk != exclude_placement_id and first <= on <= last
        )
        return HostFacts(accredited=True, authorised_places=authorised, used_places=used)

    def for_mission(self, mission: Mission) -> HostFacts:
        """A volunteer applying: the host's places on the mission's start date."""
        return self.facts(host_id=mission.host_id, scheme_id=mission.scheme_id, on=mission.start_date)

    def for_placement(self, placement: Placement) -> HostFacts:
        """A placement judged on its own start date, not counting itself."""
        return self.facts(
            host_id=placement.mission.host_id, scheme_id=placement.mission.scheme_id,
            on=placement.start_date, exclude_placement_id=placement.pk,
        )


def host_facts(mission: Mission) -> HostFacts:
    """The facts of one mission's host (see `HostIndex`)."""
    return HostIndex.load(host_ids=[mission.host_id]).for_mission(mission)


def mission_facts(
    mission: Mission, *, host: HostFacts, start: date | None = None, end: date | None = None,
    host_country: str = "",
) -> MissionFacts:
    """A placement may carry its own dates and host-country snapshot; a mission its own."""
    return MissionFacts(
        start=start or mission.start_date,
        end=end or mission.end_date,
        host_country=host_country or country_code(mission.country),
        weekly_hours=float(mission.weekly_hours) if mission.weekly_hours else None,
        host=host,
    )


def plan_request(volunteer: Volunteer, mission: Mission, *, host: HostFacts) -> PlanRequest:
    """The engine request for a volunteer applying to (or placed on) a mission."""
    return PlanRequest(
        scheme=mission.scheme_id,
        volunteer=volunteer_facts(volunteer),
        mission=mission_facts(mission, host=host),
    )
