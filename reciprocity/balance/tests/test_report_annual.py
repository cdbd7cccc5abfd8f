import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reciprocity.balance.annual import annual_report
from reciprocity.balance.tests.helpers import make_placement

Y = 2019


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("report", "annual", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
class TestAnnualReport:
    def test_counts_distinct_volunteers_by_origin_and_excludes_cancelled(self):
        first = make_placement(origin="TN", host="FR", start=date(Y, 3, 1), end=date(Y, 8, 31))
        # The same volunteer placed twice in the year counts once.
        make_placement(origin="TN", host="FR", start=date(Y, 9, 1), end=date(Y, 12, 31),
                       volunteer=first.volunteer, status="in_mission")
        make_placement(origin="TN", host="FR", start=date(Y, 1, 1), end=date(Y, 6, 30),
                       gender="M", status="interrupted", ended_on=date(Y, 3, 1))
        make_placement(origin="SN", host="FR", start=date(Y, 12, 31), end=date(Y + 1, 5, 1),
                       status="confirmed", gender="X")
        make_placement(origin="SN", host="FR", start=date(Y, 2, 1), end=date(Y, 7, 1),
                       status="cancelled")
        make_placement(origin="BF", host="FR", start=date(Y, 2, 1), end=date(Y, 7, 1),
                       status="proposed")
        make_placement(origin="BF", host="FR", start=date(Y - 1, 12, 31), end=date(Y, 7, 1))
        make_placement(origin="FR", host="SN", start=date(Y, 10, 1), end=date(Y + 1, 3, 31),
                       scheme="vsi", status="in_mission", gender="M")
        make_placement(origin="SN", host="TG", start=date(Y, 10, 1), end=date(Y + 1, 3, 31))

        report = run("--year", str(Y))

        assert list(report) == [
            "year", "host_country", "scheme", "basis", "hosted", "sent", "by_scheme",
            "by_gender", "completion_rate", "early_termination_rate", "sentence_en",
            # The Spanish sentence and the visa outcomes came after the others (issues 16, 17).
            "sentence_fr", "sentence_es", "visa",
        ]
        assert report["visa"] == []  # none recorded
        assert report["hosted"] == {"volunteers": 3, "countries": 2,
                                    "top_countries": [["TN", 2], ["SN", 1]]}
        assert report["sent"] == {"volunteers": 1, "countries": 1, "top_countries": [["SN", 1]]}
        assert report["by_scheme"] == {"service_civique": 3, "vsi": 1}
        assert report["by_gender"] == {"F": 1, "M": 2, "X": 1}
        # Ended: one completed, one interrupted.
        assert report["completion_rate"] == 0.5
        assert report["early_termination_rate"] == 0.5
        assert report["scheme"] is None and report["basis"] == "start"
        assert report["host_country"] == "FR"

    def test_active_basis_counts_missions_overlapping_the_year_with_inclusive_dates(self):
        make_placement(origin="BF", host="FR", start=date(Y - 1, 10, 1), end=date(Y, 1, 1))
        make_placement(origin="ML", host="FR", start=date(Y - 1, 10, 1), end=date(Y, 6, 30),
                       status="interrupted", ended_on=date(Y - 1, 12, 31))
        make_placement(origin="TG", host="FR", start=date(Y, 12, 31), end=date(Y + 1, 6, 30),
                       status="in_mission")
        make_placement(origin="BJ", host="FR", start=date(Y + 1, 1, 1), end=date(Y + 1, 6, 30))

        active = run("--year", str(Y), "--basis", "active")
        start = run("--year", str(Y))

        assert active["hosted"]["top_countries"] == [["BF", 1], ["TG", 1]]
        assert start["hosted"]["top_countries"] == [["TG", 1]]
        assert active["completion_rate"] == 1.0 and active["early_termination_rate"] == 0.0

    def test_scheme_and_host_country_filters(self):
        make_placement(origin="TN", host="FR", start=date(Y, 3, 1), end=date(Y, 8, 31))
        make_placement(origin="TN", host="FR", start=date(Y, 7, 1), end=date(Y, 7, 21),
                       scheme="workcamp")
        make_placement(origin="FR", host="SN", start=date(Y, 3, 1), end=date(Y, 8, 31))

        report = run("--year", str(Y), "--scheme", "workcamp")
        senegal = run("--year", str(Y), "--host-country", "sn")

        assert report["hosted"]["volunteers"] == 1 and report["by_scheme"] == {"workcamp": 1}
        assert report["sent"]["volunteers"] == 0
        assert report["sentence_en"] == (
            "In 2019, 1 volunteer from Tunisia was hosted in France on international work camps."
        )
        assert senegal["host_country"] == "SN"
        assert senegal["hosted"] == {"volunteers": 1, "countries": 1,
                                     "top_countries": [["FR", 1]]}
        assert senegal["sent"]["volunteers"] == 0
        assert senegal["sentence_fr"] == (
            "En 2019, 1 volontaire de France a été accueillie au Sénégal en mission de "
            "volontariat."
        )

    def test_top_countries_are_five_at_most_ordered_by_count_then_code(self):
        for origin, n in (("TN", 2), ("SN", 2), ("BF", 3), ("MA", 1), ("BJ", 1), ("CI", 1)):
            for _ in range(n):
                make_placement(origin=origin, host="FR", start=date(Y, 3, 1), end=date(Y, 8, 31))

        report = annual_report(year=Y)

        assert report["hosted"]["countries"] == 6
        assert report["hosted"]["top_countries"] == [
            ["BF", 3], ["SN", 2], ["TN", 2], ["BJ", 1], ["CI", 1]]
        assert report["sentence_en"].endswith(
            "The most represented countries were Burkina Faso, Senegal and Tunisia.")
        assert report["sentence_fr"] == (
            "En 2019, 10 volontaires de 6 pays ont été accueillies en France en mission de "
            "volontariat. Les pays les plus représentés étaient le Burkina Faso, le Sénégal et "
            "la Tunisie."
        )

    def test_empty_year(self):
        report = run("--year", "1999", "--scheme", "vsi")

        assert report["hosted"] == {"volunteers": 0, "countries": 0, "top_countries": []}
        assert report["by_scheme"] == {} and report["by_gender"] == {"F": 0, "M": 0, "X": 0}
        assert report["completion_rate"] == 0.0
        assert report["sentence_en"] == ("In 1999, no volunteers were hosted in France on "
                                         "reciprocal international solidarity volunteering missions.")
        assert report["sentence_fr"].startswith("En 1999, aucun volontaire n'a été accueilli en France")


@pytest.mark.django_db
def test_readable_output_without_json():
    make_placement(origin="TN", host="FR", start=date(Y, 3, 1), end=date(Y, 8, 31))
    out = io.StringIO()

    call_command("report", "annual", "--year", str(Y), stdout=out)

    assert out.getvalue().startswith("In 2019, 1 volunteer from Tunisia was hosted in France")


@pytest.mark.parametrize("argv", [
    ["report"],
    ["report", "annual"],
    ["report", "annual", "--year", "soon"],
    ["report", "annual", "--year", "2019", "--host-country", "ZZ"],
    ["report", "annual", "--year", "2019", "--scheme", "holiday"],
    ["report", "annual", "--year", "2019", "--basis", "end"],
])
def test_usage_errors_exit_2(argv, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["reciprocity", *argv]).execute()

    assert exit_info.value.code == 2
    assert capsys.readouterr().out == ""


def test_call_command_usage_error_raises():
    with pytest.raises(CommandError):
        call_command("report", "annual", "--year", "x")


@pytest.mark.django_db
def test_readable_output_in_french_names_countries_schemes_and_genders():
    make_placement(origin="TN", host="FR", start=date(Y, 3, 1), end=date(Y, 8, 31))
    out = io.StringIO()

    call_command("report", "annual", "--year", str(Y), "--language", "fr", stdout=out)

    text = out.getvalue()
    assert text.startswith("En 2019, 1 volontaire")
    assert "Tunisie 1" in text and "Service Civique 1" in text and "Femme 1" in text
    assert "service_civique" not in text and "100,0 %" in text  # a French decimal comma


def test_report_sections_keep_schemes_and_genders_apart():
    from reciprocity.balance.labels import report_sections

    sections = report_sections({"by_scheme": {"workcamp": 2, "vsi": 1},
                                "by_gender": {"F": 2, "M": 1, "X": 0}})

    assert sections == [
        ("By scheme", [("International work camp", 2),
                       ("International solidarity volunteering (VSI)", 1)]),
        ("By gender", [("Female", 2), ("Male", 1), ("Other or not stated", 0)]),
    ]
