"""Refusals specific to missions."""

from reciprocity.core.exceptions import ApplicationError


class MissionInvalid(ApplicationError):
    """The mission's data break a rule; `details` maps each field to its messages."""

    code = "invalid_mission"
    status = 422
