"""Applying: submissions and nominations with the eligibility verdict of each choice, and the
verdict shown on the application form and page (docs/workflow.md).

The verdict is the procedures engine's (`procedures.eligibility`), one layer above
applications: applications' services take it from here as a function (`verdict_of`), so that
applications imports nothing from procedures (ADR 0005, ignore 13). `now` comes from the edge.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.agreements.models import Programme
from reciprocity.applications import services as application_services
from reciprocity.applications.forms import volunteers_user_may_apply_for
from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.missions.models import Mission
from reciprocity.missions.selectors import missions_visible_to
from reciprocity.partners.models import Organisation
from reciprocity.procedures.eligibility import eligibility_verdict
from reciprocity.volunteers.models import Volunteer


def verdict_of(volunteer: Volunteer, mission: Mission) -> dict[str, Any]:
    """The verdict kept on a choice (applications' `verdict_of`); also the VEF import's."""
    return eligibility_verdict(volunteer=volunteer, mission=mission)


def application_submit(
    *, actor: User, volunteer: Volunteer, missions: Sequence[Mission], now: datetime,
    motivation: str = "",
) -> Application:
    """applications.services.application_submit, each choice keeping its eligibility verdict."""
    return application_services.application_submit(
        actor=actor, volunteer=volunteer, missions=missions, motivation=motivation,
        verdict_of=verdict_of, now=now,
    )


def application_nominate(
    *, actor: User, organisation: Organisation, volunteers: Sequence[Volunteer], now: datetime,
    missions: Sequence[Mission] = (), programme: Programme | None = None, motivation: str = "",
) -> list[Application]:
    """applications.services.application_nominate, each choice keeping its eligibility verdict."""
    return application_services.application_nominate(
        actor=actor, organisation=organisation, volunteers=volunteers, missions=missions,
        programme=programme, motivation=motivation, verdict_of=verdict_of, now=now,
    )


def choice_eligibility(choice: ApplicationChoice, *, volunteer: Volunteer) -> dict[str, Any]:
    """The verdict kept on the choice; for choices imported or created before verdicts were
    kept, one computed now to show (not stored)."""
    return choice.eligibility or verdict_of(volunteer, choice.mission)


def eligibility_preview(
    *, user: AnyUser, mission_id: int, volunteer_id: int | None = None
) -> dict[str, Any] | None:
    """The verdict shown on the application form before submitting: for the signed-in
    volunteer, or for a volunteer the officer picked (`?volunteer=`), on a mission they may see."""
    mission = missions_visible_to(user).filter(pk=mission_id).first()
    volunteers = volunteers_user_may_apply_for(user)
    volunteer = (
        volunteers.filter(pk=volunteer_id).first()
        if volunteer_id is not None
        else getattr(user, "volunteer", None)
    )
    if mission is None or volunteer is None or not volunteers.filter(pk=volunteer.pk).exists():
        return None
    return {"mission": mission, "volunteer": volunteer,
            "verdict": eligibility_verdict(volunteer=volunteer, mission=mission)}
