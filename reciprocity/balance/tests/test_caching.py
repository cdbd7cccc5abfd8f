"""Cached balance figures: per reader's scope, never one organisation's figures to another,
stale after a ledger write."""

import json
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance import caching, views
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement

pytestmark = pytest.mark.django_db

YEAR = {"year": 2019}


@pytest.fixture
def two_networks(db, settings):
    settings.BALANCE_CACHE_SECONDS = 600
    cache.clear()
    first = AgreementFactory(reference="first-agreement", title="first-agreement", start_date=date(2019, 1, 1))
    second = AgreementFactory(reference="second-agreement", title="second-agreement", start_date=date(2019, 1, 1))
    make_placement(origin="SN", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31),
                   agreement=first, host_org=first.party_a)
    for _ in range(3):
        make_placement(origin="TG", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31),
                       agreement=second, host_org=second.party_a)
    ledger_backfill()
    return {"first": MembershipFactory(organisation=first.party_a).user,
            "second": MembershipFactory(organisation=second.party_a).user,
            "second_org": second.party_a}


def chart_data(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The figures the page carries (the JSON beside the tables), read from the HTML served:
    a cached page has no template context to look at."""
    html = response.content.decode()
    start = html.index('<script id="balance-data" type="application/json">')
    return json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])


def agreements_rows(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[0] for row in chart_data(response)["agreements"]["rows"]]


def test_two_organisations_same_filters_different_figures(client, two_networks):
    client.force_login(two_networks["first"])
    assert agreements_rows(client.get(reverse("balance:dashboard"), YEAR)) == ["first-agreement"]
    # Cached now for the first organisation's scope; the second organisation's member asks the
    # same page with the same filters and gets their own figures.
    client.force_login(two_networks["second"])
    second = client.get(reverse("balance:dashboard"), YEAR)
    assert agreements_rows(second) == ["second-agreement"]
    assert b"first-agreement" not in second.content
    client.force_login(two_networks["first"])
    first = client.get(reverse("balance:dashboard"), YEAR)
    assert agreements_rows(first) == ["first-agreement"]
    assert b"second-agreement" not in first.content
    # Staff see both, a signed-in reader outside every organisation neither (and small counts
    # withheld, where the members see them exactly).
    client.force_login(StaffFactory())
    assert sorted(agreements_rows(client.get(reverse("balance:dashboard"), YEAR))) == [
        "first-agreement", "second-agreement"]
    client.force_login(UserFactory())
    outsider = client.get(reverse("balance:dashboard"), YEAR)
    assert agreements_rows(outsider) == []
    flows = {(r[1], r[3]): r[4] for r in chart_data(outsider)["flows"]["rows"]}
    assert flows[("SN", "FR")] != 1


def test_a_member_of_both_organisations_has_a_scope_of_their_own(client, two_networks):
    """Readers share an entry only with readers of exactly the same organisations."""
    both = two_networks["first"]
    MembershipFactory(user=both, organisation=two_networks["second_org"])
    client.force_login(two_networks["second"])
    client.get(reverse("balance:dashboard"), YEAR)
    client.force_login(both)
    assert sorted(agreements_rows(client.get(reverse("balance:dashboard"), YEAR))) == [
        "first-agreement", "second-agreement"]
    client.force_login(two_networks["second"])
    assert agreements_rows(client.get(reverse("balance:dashboard"), YEAR)) == ["second-agreement"]


def test_the_scope_is_in_the_key(two_networks):
    first, second = two_networks["first"], two_networks["second"]
    assert caching.key_for(first, "dashboard", YEAR) != caching.key_for(second, "dashboard", YEAR)
    assert caching.key_for(first, "dashboard", YEAR) == caching.key_for(first, "dashboard", YEAR)
    assert caching.scope_of(StaffFactory()) == "staff"


def test_a_ledger_write_makes_the_cache_stale(client, two_networks, django_capture_on_commit_callbacks):
    client.force_login(two_networks["first"])

    def senegal_to_france() -> int:
        rows = chart_data(client.get(reverse("balance:dashboard"), YEAR))["flows"]["rows"]
        return next(r[4] for r in rows if (r[1], r[3]) == ("SN", "FR"))

    assert senegal_to_france() == 1
    with CaptureQueriesContext(connection) as cached_queries:
        assert senegal_to_france() == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_placement(origin="SN", host="FR", start=date(2019, 4, 1), end=date(2019, 9, 30))
        ledger_backfill()
    with CaptureQueriesContext(connection) as fresh_queries:
        assert senegal_to_france() == 2
    # The cached answer reads no ledger at all.
    assert len(cached_queries) < len(fresh_queries)
    assert not any("balance_ledgertotal" in q["sql"] for q in cached_queries.captured_queries)


def test_annual_report_cached_apart_for_exact_and_outside_readers(client, two_networks):
    params = {"year": 2019, "host_country": "FR", "scheme": "", "basis": "start"}
    client.force_login(two_networks["first"])
    member = client.get(reverse("balance:annual"), params).context["report"]
    client.force_login(UserFactory())
    outsider = client.get(reverse("balance:annual"), params).context["report"]
    assert member["suppressed"] == [] and outsider["suppressed"] != []


def test_off_by_default_without_a_shared_cache(client, two_networks, settings):
    settings.BALANCE_CACHE_SECONDS = 0
    client.force_login(two_networks["first"])
    client.get(reverse("balance:dashboard"), YEAR)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("balance:dashboard"), YEAR)
    assert any("balance_ledgertotal" in q["sql"] for q in queries.captured_queries)


def test_the_flows_table_shows_the_largest_and_links_to_all(client, two_networks, monkeypatch):
    monkeypatch.setattr(views, "FLOWS_SHOWN", 1)
    client.force_login(two_networks["first"])
    page = client.get(reverse("balance:dashboard"), YEAR)
    # Togo -> France (3) is larger than Senegal -> France (1): only it is on the page.
    assert [(r[1], r[3]) for r in chart_data(page)["flows"]["rows"]] == [("TG", "FR")]
    assert "1 more is in the CSV and XLSX downloads" in page.content.decode()
    csv = client.get(reverse("balance:dataset", args=["flows", "csv"]), YEAR).content.decode()
    assert ",SN," in csv and ",TG," in csv


def test_the_cached_page_holds_no_raw_query_string(client, two_networks):
    """The download links are built from the cleaned filters: a stray parameter neither reaches
    the cached page nor makes an entry of its own."""
    client.force_login(two_networks["first"])
    html = client.get(reverse("balance:dashboard"), {**YEAR, "utm": "x<script>"}).content.decode()
    body = html[html.index('<section class="balance-section"'):html.index('id="balance-data"')]
    assert "utm" not in body  # (the language switcher keeps the address, outside the cache)
    assert "year=2019&amp;country=FR&amp;scheme=" in body


def test_exact_figures_read_from_the_scope_agree_with_disclosure(two_networks):
    from reciprocity.balance import disclosure

    for user in (two_networks["first"], StaffFactory(), UserFactory()):
        assert caching.sees_exact_figures(user) is disclosure.sees_exact_figures(user)


def visa_section(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return html[html.index('<section id="visa-figures"'):html.index("</section>", html.index('id="visa-figures"'))]


@pytest.mark.parametrize("page, params", [
    ("balance:dashboard", YEAR),
    ("balance:annual", {"year": 2019, "host_country": "FR", "scheme": "", "basis": "start"}),
])
def test_a_warm_page_reads_no_figure_and_follows_visa_outcomes(
        client, two_networks, django_capture_on_commit_callbacks, page, params):
    """The whole content (form, figures, visa table) comes from the cache; a visa outcome
    recorded since is shown on the next request."""
    from reciprocity.placements.models import Placement
    from reciprocity.procedures.models import VisaOutcome

    client.force_login(two_networks["second"])
    first = client.get(reverse(page), params)
    assert "Togo" not in visa_section(first)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse(page), params)
    read = " ".join(q["sql"] for q in queries.captured_queries)
    # (what is left is the session and the navigation's own, cached apart: core/menu)
    for table in ("balance_", "procedures_visaoutcome", "schemes_scheme", "agreements_"):
        assert table not in read
    assert visa_section(again) == visa_section(first)
    placement = Placement.objects.filter(nationality="TG").first()
    with django_capture_on_commit_callbacks(execute=True):
        VisaOutcome.objects.create(placement=placement, decision="refused",
                                   application_date=date(2019, 1, 10),
                                   decision_date=date(2019, 2, 10))
    assert "Togo" in visa_section(client.get(reverse(page), params))


def test_the_form_shows_back_the_query_string_it_was_given(client, two_networks):
    """Cached per query string: an invalid year is reported, the next valid one is not."""
    client.force_login(two_networks["first"])
    bad = client.get(reverse("balance:annual"), {"year": "abc", "host_country": "FR"})
    assert 'class="error"' in bad.content.decode()
    good = client.get(reverse("balance:annual"), {"year": "2019", "host_country": "FR",
                                                  "basis": "start"})
    assert 'class="error"' not in good.content.decode() and 'value="2019"' in good.content.decode()
