"""Small numbers: readers outside the organisations see counts of 1 and 2 as "< 3" (and a second
figure "withheld" where a total would give one back); members and staff see exact figures."""

import csv
import io
import itertools
import json
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.balance import disclosure
from reciprocity.balance.disclosure import SECONDARY, SMALL, network_withheld, withhold
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement
from reciprocity.volunteers.tests.factories import VolunteerFactory

# --- the rule, without a database -------------------------------------------------------------


def test_one_and_two_are_small_zero_and_three_are_not():
    assert [disclosure.is_small(n) for n in (0, 1, 2, 3)] == [False, True, True, False]
    assert withhold({"a": 1, "b": 2, "c": 0, "d": 3}, []) == {"a": SMALL, "b": SMALL}


def test_a_lone_small_cell_under_a_total_takes_the_smallest_other_cell_with_it():
    values = {"tn": 5, "sn": 2, "ma": 4, "total": 11}
    assert withhold(values, [(["tn", "sn", "ma"], ["total"])]) == {"sn": SMALL, "ma": SECONDARY}


def test_two_ones_under_a_total_are_not_enough():
    # 12 - 10 = 2 = 1 + 1: both would be known; a third cell goes with them.
    values = {"a": 1, "b": 1, "c": 10, "total": 12}
    assert withhold(values, [(["a", "b", "c"], ["total"])]) == {
        "a": SMALL, "b": SMALL, "c": SECONDARY}


def test_a_complement_known_to_be_three_or_more_does_not_pin_the_small_cell():
    # a + c = 4 with a in {1, 2} and c withheld (so 0 or >= 3) gives a = 1: the total goes too.
    values = {"a": 1, "c": 3, "total": 4}
    assert withhold(values, [(["a", "c"], ["total"])]) == {
        "a": SMALL, "c": SECONDARY, "total": SECONDARY}


def _possible(values, out, cells, totals, key):
    """Brute force: every value the withheld `key` can take, given the shown figures and what
    each marker says (small: 1..2; withheld: 0 or at least 3)."""
    hidden = [k for k in (*cells, *totals) if k in out]
    bound = sum(values[k] for k in (*cells, *totals)) + 3
    ranges = [range(1, 3) if out[k] is SMALL else [0, *range(3, bound + 1)] for k in hidden]
    found = set()
    for guess in itertools.product(*ranges):
        assigned = {**values, **dict(zip(hidden, guess, strict=True))}
        if sum(assigned[k] for k in cells) == sum(assigned[k] for k in totals):
            found.add(assigned[key])
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=5))
def test_no_withheld_figure_can_be_solved_from_its_relation(counts):
    values = {f"c{i}": n for i, n in enumerate(counts)} | {"total": sum(counts)}
    cells = [f"c{i}" for i in range(len(counts))]

    out = withhold(values, [(cells, ["total"])])

    assert all(key in out for key, n in values.items() if disclosure.is_small(n))
    if all(key in out for key in values):
        return  # nothing left to withhold with them
    for key in out:
        assert len(_possible(values, out, cells, ["total"], key)) >= 2, (values, out, key)


def test_the_network_withholds_pairs_and_the_totals_that_would_give_them_back():
    pairs = [SimpleNamespace(origin=o, host=h, volunteers=n, realised_volunteers=n)
             for o, h, n in [("TN", "FR", 5), ("SN", "FR", 2), ("MA", "FR", 4), ("FR", "SN", 1)]]

    pair_fields, country_fields = network_withheld(pairs)

    assert pair_fields[("SN", "FR")]["volunteers"] is SMALL
    assert pair_fields[("FR", "SN")]["volunteers"] is SMALL
    # France hosted 11: with Senegal's 2 alone withheld, 11 - 5 - 4 would give it back.
    assert pair_fields[("MA", "FR")]["volunteers"] is SECONDARY
    assert ("TN", "FR") not in pair_fields
    # Morocco only sends to France: its total sent would give the pair back.
    assert country_fields["MA"]["sent"] is SECONDARY
    assert "hosted" not in country_fields["FR"] and country_fields["FR"]["sent"] is SMALL
    # The net goes with either side; months and realised counts with their volunteers.
    assert country_fields["FR"]["net"] is SECONDARY
    assert pair_fields[("SN", "FR")]["volunteer_months"] is SMALL
    assert pair_fields[("SN", "FR")]["realised_volunteers"] is SMALL


# --- pages, downloads and API, per audience ----------------------------------------------------

@pytest.fixture
def small_network(db):
    """2026: 5 Tunisians, 2 Senegalese and 4 Moroccans hosted in France; 1 French volunteer sent
    to Senegal."""
    for origin, n in (("TN", 5), ("SN", 2), ("MA", 4)):
        for _ in range(n):
            make_placement(origin=origin, host="FR", start=date(2026, 2, 1),
                           end=date(2026, 7, 31))
    make_placement(origin="FR", host="SN", start=date(2026, 2, 1), end=date(2026, 7, 31))
    ledger_backfill()


@pytest.fixture
def volunteer_user(db):
    user = UserFactory()
    VolunteerFactory(user=user)
    return user


def _chart_data(html: str) -> dict:
    return json.loads(re.search(r'id="balance-data"[^>]*>(.*?)</script>', html, re.S).group(1))


def _table(html: str, name: str) -> str:
    return re.search(rf'<table id="table-{name}">(.*?)</table>', html, re.S).group(1)


def test_a_volunteer_sees_small_flows_as_less_than_three(client, small_network, volunteer_user):
    client.force_login(volunteer_user)

    response = client.get(reverse("balance:dashboard"), {"year": 2026})

    html = response.content.decode()
    flows = _chart_data(html)["flows"]["rows"]
    by_pair = {(r[1], r[3]): r[4:] for r in flows}
    assert by_pair[("TN", "FR")] == [5, 30, 5]
    assert by_pair[("SN", "FR")] == ["< 3", "< 3", "< 3"]
    assert by_pair[("MA", "FR")] == ["withheld", "withheld", "withheld"]
    # The chart carries no exact figure of a withheld row, and withheld rows come last.
    assert [r[1] for r in flows][0] == "TN"
    assert "&lt; 3" in _table(html, "flows") and "withheld" in _table(html, "flows")
    countries = {r[1]: r[2:] for r in _chart_data(html)["countries"]["rows"]}
    assert countries["FR"] == [11, "< 3", "withheld"]
    origins = {r[1]: r[2] for r in _chart_data(html)["origins"]["rows"]}
    assert origins == {"TN": 5, "SN": "< 3", "MA": "withheld"}
    series = {r[0]: r[1:3] for r in _chart_data(html)["series"]["rows"]}
    assert series[2026] == [11, "< 3"]
    schemes = {r[0]: r[1:3] for r in _chart_data(html)["schemes"]["rows"]}
    assert schemes["Service Civique"] == [11, "< 3"]
    assert "members of partner organisations see them in full" in html


def test_a_volunteers_downloads_carry_the_same_withheld_cells(client, small_network,
                                                              volunteer_user):
    client.force_login(volunteer_user)

    response = client.get(reverse("balance:dataset", args=["flows", "csv"]), {"year": 2026})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_pair = {(r[1], r[3]): r[4:] for r in rows[1:]}
    assert by_pair[("SN", "FR")] == ["< 3", "< 3", "< 3"]
    assert by_pair[("TN", "FR")] == ["5", "30", "5"]


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_and_staff_see_exact_figures(client, small_network, who):
    client.force_login(MembershipFactory().user if who == "member" else StaffFactory())

    html = client.get(reverse("balance:dashboard"), {"year": 2026}).content.decode()
    csv_file = client.get(reverse("balance:dataset", args=["flows", "csv"]), {"year": 2026})
    network = client.get("/api/v1/balance/network", {"year": 2026}).json()
    report = client.get("/api/v1/balance/reports/annual", {"year": 2026}).json()

    flows = {(r[1], r[3]): r[4] for r in _chart_data(html)["flows"]["rows"]}
    assert flows[("SN", "FR")] == 2 and flows[("MA", "FR")] == 4
    assert "< 3" not in csv_file.content.decode("utf-8-sig")
    assert "members of partner organisations" not in html
    assert network["exact"] is True
    assert {p["origin"]: p["volunteers"] for p in network["pairs"] if p["host"] == "FR"} == {
        "TN": 5, "SN": 2, "MA": 4}
    assert report["exact"] is True and report["sent"]["volunteers"] == 1
    assert report["suppressed"] == []


def test_the_api_gives_a_volunteer_null_and_says_which_fields(client, small_network,
                                                              volunteer_user):
    client.force_login(volunteer_user)

    network = client.get("/api/v1/balance/network", {"year": 2026}).json()
    report = client.get("/api/v1/balance/reports/annual", {"year": 2026}).json()

    assert network["exact"] is False and network["threshold"] == 3
    pairs = {(p["origin"], p["host"]): p for p in network["pairs"]}
    assert pairs[("SN", "FR")]["volunteers"] is None
    assert pairs[("SN", "FR")]["suppressed"] == [
        "realised_months", "realised_volunteers", "volunteer_months", "volunteers"]
    assert pairs[("TN", "FR")]["volunteers"] == 5 and pairs[("TN", "FR")]["suppressed"] == []
    countries = {c["country"]: c for c in network["countries"]}
    assert countries["FR"]["hosted"] == 11 and countries["FR"]["sent"] is None
    assert report["exact"] is False
    assert report["hosted"]["volunteers"] == 11 and report["sent"]["volunteers"] is None
    assert report["hosted"]["top_countries"] == [["TN", 5], ["MA", None], ["SN", None]]
    assert "sent.volunteers" in report["suppressed"]
    assert "hosted.top_countries.SN" in report["suppressed"]
    # Everyone is a woman: with the one volunteer sent withheld, the women's count goes too.
    assert report["by_gender"]["F"] is None and report["by_gender"]["M"] == 0


def test_the_api_schema_documents_withheld_figures(client, db):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    pair = schema["PairOut"]["properties"]
    assert {"type": "null"} in pair["volunteers"]["anyOf"]
    assert "withheld" in pair["volunteers"]["description"]
    assert "suppressed" in schema["AnnualOut"]["properties"]


def test_the_annual_report_says_fewer_than_three(client, small_network, volunteer_user):
    client.force_login(volunteer_user)
    params = {"year": 2026, "host_country": "SN", "scheme": "", "basis": "start"}

    page = client.get(reverse("balance:annual"), params)
    csv_file = client.get(reverse("balance:annual"), {**params, "format": "csv"})
    pdf_file = client.get(reverse("balance:annual"), {**params, "format": "pdf"})

    html = page.content.decode()
    assert "In 2026, fewer than 3 volunteers from France were hosted in Senegal" in html
    assert page.context["report"]["hosted"]["volunteers"] is SMALL
    assert "&lt; 3" in html
    assert "Hosted,Volunteers,< 3" in csv_file.content.decode("utf-8-sig")
    text = PdfReader(io.BytesIO(pdf_file.content)).pages[0].extract_text()
    assert "< 3" in text and "fewer than 3 volunteers" in text
    chart = json.loads(re.search(r'id="annual-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert chart == [["FR", "France", "< 3"]]


def test_the_annual_report_of_a_member_is_exact(client, small_network):
    client.force_login(MembershipFactory().user)

    page = client.get(reverse("balance:annual"),
                      {"year": 2026, "host_country": "SN", "scheme": "", "basis": "start"})

    assert "In 2026, 1 volunteer from France was hosted in Senegal" in page.content.decode()


def test_rates_are_withheld_when_one_or_two_missions_ended_early(client, volunteer_user, db):
    for status in ["completed"] * 4 + ["interrupted"]:
        make_placement(origin="TN", host="FR", start=date(2026, 2, 1), end=date(2026, 7, 31),
                       status=status, ended_on=date(2026, 5, 1) if status == "interrupted"
                       else None)
    client.force_login(volunteer_user)

    report = client.get("/api/v1/balance/reports/annual", {"year": 2026}).json()

    assert report["completion_rate"] is None and report["early_termination_rate"] is None
    assert {"completion_rate", "early_termination_rate"} <= set(report["suppressed"])


def test_anonymous_visitors_reach_no_statistic(client, small_network):
    for url in (reverse("balance:dashboard"), reverse("balance:annual"),
                reverse("balance:dataset", args=["flows", "csv"])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/balance/network").status_code == 401
    assert client.get("/api/v1/balance/reports/annual", {"year": 2026}).status_code == 401
    # The home page gives visitors and volunteers no figure about volunteers.
    home = client.get("/").context
    assert home.get("balances") is None and home.get("volunteer_count") is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteers_charts_draw_without_the_withheld_figures(live_server, page, settings,
                                                               small_network):
    from django.conf import settings as django_settings
    from django.test import Client

    settings.STATICFILES_DIRS = [django_settings.PACKAGE_DIR / "static"]
    user = UserFactory()
    VolunteerFactory(user=user)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/balance/?year=2026")

    for name in ("flows", "countries", "series", "origins", "schemes"):
        page.locator(f'#chart-{name}[data-rendered="true"]').wait_for(timeout=10_000)
    tooltip = page.evaluate("""() => {
        const element = document.getElementById("chart-origins");
        const chart = echarts.getInstanceByDom(element);
        const labels = chart.getOption().yAxis[0].data;
        chart.dispatchAction({type: "showTip", seriesIndex: 0,
                              dataIndex: labels.indexOf("Senegal")});
        const boxes = [...element.querySelectorAll("div")].filter(
            d => !d.querySelector("svg") && d.textContent.includes("Senegal"));
        return boxes.length ? boxes[boxes.length - 1].textContent : null;
    }""")
    assert tooltip is not None and "< 3" in tooltip
    assert errors == []
