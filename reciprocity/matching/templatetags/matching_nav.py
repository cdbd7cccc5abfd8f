"""`{% load matching_nav %}{% if user|runs_placements %}…`: the nav link for coordinators."""

from django import template

from reciprocity.accounts.selectors import AnyUser
from reciprocity.matching.permissions import can_run_placements

register = template.Library()


@register.filter
def runs_placements(user: AnyUser) -> bool:
    return can_run_placements(user)
