"""`{{ text|dates_in_words }}`: ISO dates inside a stored text written in the reader's language.

For texts that hold dates as data (the audit log's before/after values): "2027-12-31" reads
"31 décembre 2027" on a French page (core/l10n.format_day)."""

import datetime
import re

from django import template

from reciprocity.core.l10n import format_day

register = template.Library()

_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _day(match: re.Match[str]) -> str:
    try:
        return format_day(datetime.date(*(int(part) for part in match.groups())))
    except ValueError:
        return match.group(0)


@register.filter
def dates_in_words(value: object) -> object:
    if not isinstance(value, str) or not _ISO_DAY.search(value):
        return value
    return _ISO_DAY.sub(_day, value)
