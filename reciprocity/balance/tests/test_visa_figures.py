"""Visa figures: the pure count against a hand count on a composed data set (refusals by
nationality), the selector's scope, and small numbers withheld for readers outside the
organisations; the import of the visa columns."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.balance.disclosure import SECONDARY, SMALL
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.balance.visa_figures import ALL, VisaRow, visa_figures
from reciprocity.balance.visa_selectors import visa_table
from reciprocity.procedures.models import VisaOutcome, VisaRefusalGround

START = date(2026, 3, 1)
# (nationality, scheme, decision, days from application to decision, placement status)
COMPOSED = [
    ("SN", "service_civique", "refused", 10, "cancelled"),   # lost to the visa
    ("SN", "service_civique", "refused", 20, "confirmed"),   # refused, later re-applied: not lost
    ("SN", "service_civique", "refused", 30, "cancelled"),   # lost
    ("SN", "service_civique", "granted", 40, "completed"),
    ("SN", "service_civique", "granted", 50, "completed"),
    ("TN", "service_civique", "refused", 5, "interrupted"),  # lost
    ("TN", "service_civique", "granted", 15, "completed"),
    ("TN", "service_civique", "granted", 25, "in_mission"),
    ("TN", "service_civique", "withdrawn", 99, "cancelled"),  # not a decision, not lost
    ("MA", "service_civique", "", None, "confirmed"),         # waiting for the consulate
    ("SN", "workcamp", "granted", 7, "completed"),
    ("SN", "workcamp", "granted", 8, "completed"),
]


def rows(data=COMPOSED):  # type: ignore[no-untyped-def]
    applied = date(2026, 1, 5)
    return [VisaRow(nationality=n, scheme=s, decision=d, application_date=applied,
                    decision_date=applied + timedelta(days=days) if days is not None else None,
                    placement_status=status) for n, s, d, days, status in data]


def by_key(figures):  # type: ignore[no-untyped-def]
    return {(f.scheme, f.nationality): f for f in figures}


# --- the pure count, against a hand count -----------------------------------------------------

def test_refusals_by_nationality_match_the_hand_count():
    figures = by_key(visa_figures(rows()))

    senegal = figures[("service_civique", "SN")]
    # 5 decided, 3 refused: 60 %; days 10 20 30 40 50: median 30; 2 cancelled after a refusal.
    assert (senegal.decided, senegal.refused, senegal.refusal_rate, senegal.median_days,
            senegal.lost) == (5, 3, 0.6, 30.0, 2)
    tunisia = figures[("service_civique", "TN")]
    # The withdrawal counts as recorded, not decided: 1 refused out of 3; days 5 15 25.
    assert (tunisia.recorded, tunisia.decided, tunisia.refused, tunisia.median_days,
            tunisia.lost) == (4, 3, 1, 15.0, 1)
    assert tunisia.refusal_rate == pytest.approx(1 / 3)
    morocco = figures[("service_civique", "MA")]
    assert (morocco.decided, morocco.refusal_rate, morocco.median_days) == (0, None, None)
    total = figures[("service_civique", ALL)]
    # 8 decided, 4 refused; days 5 10 15 20 25 30 40 50: median (20 + 25) / 2.
    assert (total.recorded, total.decided, total.refused, total.refusal_rate, total.median_days,
            total.lost) == (10, 8, 4, 0.5, 22.5, 3)
    camp = figures[("workcamp", "SN")]
    assert (camp.refused, camp.refusal_rate, camp.median_days, camp.lost) == (0, 0.0, 7.5, 0)


def test_rows_come_by_scheme_then_nationality_each_scheme_closed_by_its_total():
    order = [(f.scheme, f.nationality) for f in visa_figures(rows())]
    assert order == [("service_civique", "MA"), ("service_civique", "SN"),
                     ("service_civique", "TN"), ("service_civique", ALL),
                     ("workcamp", "SN"), ("workcamp", ALL)]


def test_a_decision_without_dates_counts_but_has_no_delay():
    row = VisaRow(nationality="SN", scheme="vsi", decision="refused", application_date=None,
                  decision_date=None, placement_status="cancelled")
    (figures, _total) = visa_figures([row])
    assert (figures.decided, figures.refused, figures.median_days, figures.lost) == (1, 1, None, 1)


# --- the selector: scope and small numbers ------------------------------------------------------

@pytest.fixture
def composed(db):  # type: ignore[no-untyped-def]
    """The composed data set, as placements hosted in France with their visa outcomes."""
    ground = VisaRefusalGround.objects.get(code="purpose_not_justified")
    for row in rows():
        placement = make_placement(origin=row.nationality, host="FR", start=START,
                                   end=date(2026, 8, 31), status=row.placement_status,
                                   scheme=row.scheme)
        VisaOutcome.objects.create(
            placement=placement, decision=row.decision, application_date=row.application_date,
            decision_date=row.decision_date if row.decision else None,
            refusal_ground=ground if row.decision == "refused" else None)
    # Another year and another host country: outside the table asked below.
    other = make_placement(origin="SN", host="BE", start=START, end=date(2026, 8, 31))
    VisaOutcome.objects.create(placement=other, decision="refused")
    later = make_placement(origin="SN", host="FR", start=date(2027, 3, 1), end=date(2027, 8, 31))
    VisaOutcome.objects.create(placement=later, decision="refused")


def table_of(user):  # type: ignore[no-untyped-def]
    table = visa_table(user=user, year=2026, host_country="FR")
    return table, {(r["scheme"], r["nationality"]): r for r in table.rows}


def test_anonymous_visitors_get_nothing(composed):
    from django.contrib.auth.models import AnonymousUser

    table = visa_table(user=AnonymousUser(), year=2026, host_country="FR")
    assert table.rows == []


@pytest.mark.parametrize("reader", ["staff", "member"])
def test_staff_and_members_see_exact_figures_of_the_year_and_host_country(composed, reader):
    user = StaffFactory() if reader == "staff" else MembershipFactory().user

    table, rows_ = table_of(user)

    assert table.exact and not table.suppressed
    senegal = rows_[("service_civique", "SN")]
    # Only 2026 placements hosted in France: the Belgian and the 2027 refusals are not counted.
    assert (senegal["decided"], senegal["refused"], senegal["lost"]) == (5, 3, 2)
    assert rows_[("service_civique", ALL)]["refused"] == 4


def test_a_reader_outside_the_organisations_sees_small_numbers_withheld(composed):
    table, rows_ = table_of(UserFactory())

    assert not table.exact and table.suppressed
    tunisia = rows_[("service_civique", "TN")]
    # One refusal, one placement lost: "< 3"; the rate would give the refusal back from the
    # decisions (shown: 3), so it goes with it.
    assert (tunisia["decided"], tunisia["refused"], tunisia["lost"]) == (3, SMALL, SMALL)
    assert tunisia["refusal_rate"] is SECONDARY and tunisia["median_days"] == 15.0
    senegal = rows_[("service_civique", "SN")]
    # Under the scheme's total of 4 refusals, Morocco's 0 and Senegal's 3 would give Tunisia's 1
    # back: Senegal's 3 is withheld too, then the total (3 + "< 3" = 4 still pins it).
    assert (senegal["decided"], senegal["refused"], senegal["lost"]) == (5, SECONDARY, SMALL)
    assert rows_[("service_civique", ALL)]["refused"] is SECONDARY
    # Two "< 3" under a total of 3 lost placements: 1 + 2 or 2 + 1, nobody is pinned.
    assert rows_[("service_civique", ALL)]["lost"] == 3
    # Two workcamp decisions: the count, and the median of those two people's own dates.
    camp = rows_[("workcamp", "SN")]
    assert camp["decided"] is SMALL and camp["median_days"] is SECONDARY
    assert rows_[("service_civique", "MA")]["decided"] == 0  # a zero points at nobody
    # Rows holding a withheld figure come after the others, before their scheme's total.
    order = [r["nationality"] for r in table.rows if r["scheme"] == "service_civique"]
    assert order[-1] == ALL


def test_the_dashboard_and_the_report_render_the_table(client, composed):
    client.force_login(UserFactory())
    page = client.get(reverse("balance:dashboard"), {"year": 2026, "country": "FR"})
    html = page.content.decode()
    assert 'id="visa-figures"' in html and "&lt; 3" in html

    client.force_login(StaffFactory())
    report = client.get(reverse("balance:annual"), {"year": 2026, "host_country": "FR",
                                                    "basis": "start"})
    html = report.content.decode()
    assert 'id="visa-figures"' in html
    assert 'data-nationality="SN"' in html and "60 %" in html


# --- import of the visa columns ---------------------------------------------------------------

HEADER = ("volunteer_ref,birth_date,gender,nationality,residence_country,scheme,sending_org,"
          "sending_country,host_org,host_country,mission_title,start_date,end_date,status,"
          "visa_application_date,visa_appointment_date,visa_decision,visa_decision_date,"
          "visa_refusal_ground")
BASE = ("V-{n},1998-04-02,F,SN,SN,service_civique,EV Sénégal,SN,Maison des Solidarités,FR,"
        "Animation,2019-03-01,2019-08-31,{status},")


def run_import(tmp_path, lines):  # type: ignore[no-untyped-def]
    path = tmp_path / "past.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", "placements", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, err.getvalue()


@pytest.mark.django_db
def test_the_import_records_visa_outcomes_and_a_reimport_changes_nothing(tmp_path):
    lines = [
        BASE.format(n=1, status="cancelled") + "2019-01-02,2019-01-10,refused,2019-02-01,"
        "purpose_not_justified",
        BASE.format(n=2, status="completed") + "2019-01-03,,granted,2019-01-20,",
        BASE.format(n=3, status="completed") + ",,,,",
    ]
    code, err = run_import(tmp_path, lines)
    assert code == 0, err
    refused = VisaOutcome.objects.get(placement__volunteer__reference="V-1")
    assert refused.refusal_ground.code == "purpose_not_justified"
    assert refused.days_to_decision == 30 and refused.step is None
    assert VisaOutcome.objects.get(placement__volunteer__reference="V-2").decision == "granted"
    # Empty visa columns: nothing recorded (and an outcome recorded since would be kept).
    assert not VisaOutcome.objects.filter(placement__volunteer__reference="V-3").exists()
    stamp = refused.updated_at

    assert run_import(tmp_path, lines)[0] == 0
    refused.refresh_from_db()
    assert refused.updated_at == stamp and VisaOutcome.objects.count() == 2


@pytest.mark.django_db
def test_the_import_refuses_visa_facts_out_of_order(tmp_path):
    code, err = run_import(tmp_path, [
        BASE.format(n=1, status="cancelled") + "2019-01-02,,granted,2019-02-01,sis_alert",
        BASE.format(n=2, status="cancelled") + "2019-02-02,,refused,2019-02-01,no_such_ground",
    ])
    assert code == 1
    assert "line 2: visa: a refusal ground is only stated with a refusal" in err
    assert "decision date is before the application date" in err
    assert "'no_such_ground' is not in the list of grounds" in err
    assert not VisaOutcome.objects.exists()
