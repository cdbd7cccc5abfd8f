"""Cached balance figures: per reader's scope, never one organisation's figures to another,
stale after a ledger write."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance import caching
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement

pytestmark = pytest.mark.django_db

YEAR = {"year": 2019}


@pytest.fixture
def two_networks(db, settings):
    settings.BALANCE_CACHE_SECONDS = 600
    cache.clear()
    first = AgreementFactory(reference="first-agreement", start_date=date(2019, 1, 1))
    second = AgreementFactory(reference="second-agreement", start_date=date(2019, 1, 1))
    make_placement(origin="SN", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31),
                   agreement=first, host_org=first.party_a)
    for _ in range(3):
        make_placement(origin="TG", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31),
                       agreement=second, host_org=second.party_a)
    ledger_backfill()
    return {"first": MembershipFactory(organisation=first.party_a).user,
            "second": MembershipFactory(organisation=second.party_a).user}


def agreements_rows(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[0] for row in response.context["datasets"]["agreements"].rows]


def test_two_organisations_same_filters_different_figures(client, two_networks):
    client.force_login(two_networks["first"])
    assert agreements_rows(client.get(reverse("balance:dashboard"), YEAR)) == ["first-agreement"]
    # Cached now for the first organisation's scope; the second organisation's member asks the
    # same page with the same filters and gets their own figures.
    client.force_login(two_networks["second"])
    assert agreements_rows(client.get(reverse("balance:dashboard"), YEAR)) == ["second-agreement"]
    client.force_login(two_networks["first"])
    assert agreements_rows(client.get(reverse("balance:dashboard"), YEAR)) == ["first-agreement"]
    # Staff see both, a signed-in reader outside every organisation neither (and small counts
    # withheld, where the members see them exactly).
    client.force_login(StaffFactory())
    assert sorted(agreements_rows(client.get(reverse("balance:dashboard"), YEAR))) == [
        "first-agreement", "second-agreement"]
    client.force_login(UserFactory())
    outsider = client.get(reverse("balance:dashboard"), YEAR)
    assert agreements_rows(outsider) == []
    flows = {(r[1], r[3]): r[4] for r in outsider.context["datasets"]["flows"].rows}
    assert flows[("SN", "FR")] != 1


def test_the_scope_is_in_the_key(two_networks):
    first, second = two_networks["first"], two_networks["second"]
    assert caching.key_for(first, "dashboard", YEAR) != caching.key_for(second, "dashboard", YEAR)
    assert caching.key_for(first, "dashboard", YEAR) == caching.key_for(first, "dashboard", YEAR)
    assert caching.scope_of(StaffFactory()) == "staff"


def test_a_ledger_write_makes_the_cache_stale(client, two_networks, django_capture_on_commit_callbacks):
    client.force_login(two_networks["first"])

    def senegal_to_france() -> int:
        rows = client.get(reverse("balance:dashboard"), YEAR).context["datasets"]["flows"].rows
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
