"""Dates in text shown to people (messages, notifications, e-mails, step texts): the one helper.

Templates use ``{{ day|date:"DATE_FORMAT" }}``; Python code that puts a date into a sentence uses
``format_day`` here, so the sentence reads "avant le 5 février 2027" in French and "by 5 February
2027" in English, never "2027-02-05" (formats per language: reciprocity/formats/). Data (CSV, XLSX,
JSON, API, webhooks, dedupe keys) keeps ISO dates: it is read by programs, not people.

The active language decides: call these inside ``translation.override(...)`` when rendering for
someone other than the current request's user (e-mails, tasks).
"""
from __future__ import annotations

import datetime

from django.utils import formats, timezone


def format_day(day: datetime.date | None, *, empty: str = "") -> str:
    """``day`` in the active language's DATE_FORMAT ("5 April 2027", "5 avril 2027", …)."""
    if day is None:
        return empty
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return formats.date_format(day, "DATE_FORMAT")


def format_moment(moment: datetime.datetime | None, *, empty: str = "") -> str:
    """``moment`` in the current time zone (the organisation's, see core.timezones) and the active
    language's DATETIME_FORMAT ("5 April 2027, 14:30")."""
    if moment is None:
        return empty
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")
