"""The one translation of the platform's records into the procedure engine's plain facts.

Applications (the verdict shown to an applicant), placement runs (eligible choices only),
procedures (the plan of a confirmed placement) and the eligibility include all ask the engine
the same question; they must describe the volunteer, the mission and its host the same way,
or a volunteer told "eligible" on applying could be refused at confirmation.
"""

from datetime import date

from reciprocity.core.countries import country_code
from reciprocity.missions.models import Mission
from reciprocity.partners.models import Accreditation
from reciprocity.placements.selectors import holding_on
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


def host_facts(mission: Mission, *, exclude_placement_id: int | None = None) -> HostFacts:
    """The host's accreditation for the scheme on the start date, and the places it already uses.

    The same count `placement_confirm` checks against: the largest valid accreditation, and the
    placements holding a place on that day (`placements.selectors.holding_on`).
    """
    start = mission.start_date
    authorised = max(
        (
            a.authorised_volunteers
            for a in Accreditation.objects.filter(
                organisation_id=mission.host_id, scheme_id=mission.scheme_id,
                valid_from__lte=start, valid_to__gte=start,
            )
        ),
        default=None,
    )
    if authorised is None:
        return HostFacts(accredited=False)
    holding = holding_on(host_id=mission.host_id, scheme_id=mission.scheme_id, on=start)
    if exclude_placement_id is not None:
        holding = holding.exclude(pk=exclude_placement_id)
    return HostFacts(accredited=True, authorised_places=authorised, used_places=holding.count())


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
