"""Procedures' panels on other apps' pages: the page names the row, procedures reads it.

A page of an app below procedures (the placement page) cannot import procedures' selectors
without an arrow up (ADR 0005); its template loads this library instead.
"""

from typing import Any

from django import template

from reciprocity.procedures.models import Procedure
from reciprocity.procedures.selectors import procedure_for_placement

register = template.Library()


@register.simple_tag(takes_context=True)
def placement_procedure(context: template.Context, placement: Any) -> Procedure | None:
    """The placement's procedure if it has one the reader sees, for
    `{% placement_procedure placement as procedure %}` before `procedures/_placement_checklist.html`."""
    return procedure_for_placement(user=context["request"].user, placement_id=placement.pk)
