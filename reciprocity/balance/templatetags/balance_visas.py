"""The visa figures' table, included by the dashboard and the annual report pages.

An inclusion tag, so that those pages' views (and their cached bodies) stay as they are: the
figures are read for the reader at render time (docs/balance.md, "Visa outcomes")."""

from typing import Any

from django import template

from reciprocity.balance import disclosure
from reciprocity.balance.visa_selectors import visa_table

register = template.Library()


@register.inclusion_tag("balance/_visa_figures.html")
def visa_figures_table(user: Any, year: int | None = None, host_country: str | None = None,
                       scheme: str | None = None) -> dict[str, Any]:
    return {
        "table": visa_table(user=user, year=year, host_country=host_country, scheme=scheme or None),
        "year": year, "host_country": host_country,
        "small": disclosure.SMALL, "secondary": disclosure.SECONDARY,
    }


@register.filter
def percent(value: Any) -> Any:
    """A rate as a whole percentage; a withheld marker or None as they are."""
    if value is None or disclosure.is_withheld(value):
        return value
    return f"{round(float(value) * 100)} %"


@register.filter
def days(value: Any) -> Any:
    """A median number of days (12, 12.5); a withheld marker or None as they are."""
    if value is None or disclosure.is_withheld(value):
        return value
    return f"{float(value):g}"
