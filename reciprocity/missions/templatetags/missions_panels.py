"""Missions' panels on lower apps' pages: `{% organisation_missions organisation %}`, the
missions an organisation hosts on its page (partners sits below missions and does not import
them: ADR 0005, ignore 6 removed)."""

from typing import Any

from django import template

from reciprocity.missions.selectors import missions_visible_to
from reciprocity.partners.models import Organisation

register = template.Library()


@register.inclusion_tag("missions/_organisation_missions.html", takes_context=True)
def organisation_missions(context: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    """The reader's visible missions hosted by the organisation, latest start first (20)."""
    user = context["request"].user
    return {"missions": missions_visible_to(user).filter(host=organisation).order_by("-start_date")[:20]}
