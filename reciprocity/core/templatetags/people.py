"""How a person who did something is named on a page."""

from typing import Any

from django import template

register = template.Library()

NOBODY = "—"


@register.filter
def person(user: Any) -> str:
    """The full name, else the username; a dash when there is nobody. History rows written by a
    command, the demo or a job have no actor, and accounts can be deleted (SET_NULL): a template
    must never reach through a missing user (`user.username` as a filter argument raises)."""
    if user is None:
        return NOBODY
    return str(user.get_full_name() or user.get_username() or NOBODY)
