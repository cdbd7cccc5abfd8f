"""One unambiguous date format per language, in templates and in Python-made sentences."""
import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from reciprocity.core.l10n import format_day, format_moment

DAY = datetime.date(2027, 4, 5)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "5 April 2027"), ("fr", "5 avril 2027"), ("es", "5 de abril de 2027"),
])
def test_format_day_writes_the_month_in_words_day_first(language: str, expected: str) -> None:
    with translation.override(language):
        assert format_day(DAY) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "5 April 2027, 16:30"), ("fr", "5 avril 2027 à 16:30"), ("es", "5 de abril de 2027, 16:30"),
])
def test_format_moment_is_24_hours_in_the_current_time_zone(language: str, expected: str) -> None:
    moment = datetime.datetime(2027, 4, 5, 14, 30, tzinfo=datetime.UTC)

    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert format_moment(moment) == expected


def test_an_aware_moment_given_as_a_day_is_the_day_in_the_current_time_zone() -> None:
    late_in_utc = datetime.datetime(2027, 4, 5, 23, 30, tzinfo=datetime.UTC)

    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert format_day(late_in_utc) == "6 April 2027"


def test_nothing_reads_as_the_empty_text() -> None:
    assert format_day(None) == ""
    assert format_moment(None, empty="—") == "—"


@pytest.mark.parametrize("name", ["DATE_FORMAT", "SHORT_DATE_FORMAT"])
def test_templates_short_and_long_date_formats_are_the_same_words(name: str) -> None:
    template = Template('{{ day|date:"' + name + '" }}')

    with translation.override("fr"):
        assert template.render(Context({"day": DAY})) == "5 avril 2027"


def test_iso_dates_inside_a_stored_text_are_written_in_words() -> None:
    from reciprocity.core.templatetags.l10n_dates import dates_in_words

    with translation.override("fr"):
        assert dates_in_words("2027-12-31") == "31 décembre 2027"
        assert dates_in_words("du 2027-02-05 au 2027-13-40") == "du 5 février 2027 au 2027-13-40"
    assert dates_in_words(None) is None
