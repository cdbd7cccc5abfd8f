import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement


@pytest.fixture
def network(db):
    agreement = AgreementFactory(start_date=date(2019, 1, 1))
    mine = make_placement(origin="SN", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31),
                          agreement=agreement, host_org=agreement.party_a)
    other = make_placement(origin="SN", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31))
    make_placement(origin="FR", host="SN", start=date(2019, 9, 1), end=date(2020, 2, 28),
                   agreement=agreement, host_org=agreement.party_b)
    ledger_backfill()
    member = MembershipFactory(organisation=agreement.party_a).user
    return {"agreement": agreement, "mine": mine, "other": other, "member": member}


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name in ("balance:dashboard", "balance:placements", "balance:annual"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_shows_every_chart_with_its_table(client, network):
    client.force_login(network["member"])

    response = client.get(reverse("balance:dashboard"), {"year": 2019})

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("flows", "countries", "series", "origins", "schemes", "agreements"):
        assert f'id="chart-{name}"' in html and f'id="table-{name}"' in html
    assert 'id="balance-data"' in html and "vendor/echarts/echarts.min.js" in html
    # Figures are links to the placements behind them.
    assert "/balance/placements/?year=2019" in html


def test_drill_down_lists_only_what_the_member_may_see(client, network):
    client.force_login(network["member"])

    response = client.get(reverse("balance:placements"),
                          {"year": 2019, "origin": "SN", "host": "FR"})

    shown = list(response.context["page"])
    assert shown == [network["mine"]]
    client.force_login(StaffFactory())
    staff = client.get(reverse("balance:placements"), {"year": 2019, "origin": "SN", "host": "FR"})
    assert set(staff.context["page"]) == {network["mine"], network["other"]}


def test_drill_down_csv(client, network):
    client.force_login(StaffFactory())

    response = client.get(reverse("balance:placements"),
                          {"year": 2019, "host": "FR", "format": "csv"})

    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert response["Content-Type"].startswith("text/csv") and len(lines) == 3


def test_agreement_balance_is_for_its_parties_only(client, network):
    url = reverse("balance:agreement", args=[network["agreement"].pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(network["member"])
    response = client.get(url)

    assert response.status_code == 200
    planned_2019 = next(p for p in response.context["detail"]["planned"] if p.year == 2019)
    assert (planned_2019.a_to_b, planned_2019.b_to_a) == (1, 1)


def test_dataset_exports_match_the_table(client, network):
    client.force_login(network["member"])

    csv_response = client.get(reverse("balance:dataset", args=["origins", "csv"]), {"year": 2019})
    xlsx_response = client.get(reverse("balance:dataset", args=["origins", "xlsx"]),
                               {"year": 2019})

    assert csv_response.content.decode("utf-8-sig").splitlines()[1] == "Senegal,SN,2"
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [c.value for c in sheet[2]] == ["Senegal", "SN", 2]
    assert client.get(reverse("balance:dataset", args=["nope", "csv"])).status_code == 404


def test_annual_report_page_and_downloads(client, network):
    client.force_login(network["member"])
    params = {"year": 2019, "host_country": "FR", "scheme": "", "basis": "start"}

    page = client.get(reverse("balance:annual"), params)
    csv_file = client.get(reverse("balance:annual"), {**params, "format": "csv"})
    xlsx_file = client.get(reverse("balance:annual"), {**params, "format": "xlsx"})
    pdf_file = client.get(reverse("balance:annual"), {**params, "format": "pdf"})

    assert page.context["report"]["hosted"]["volunteers"] == 2
    assert "In 2019, 2 volunteers from Senegal were hosted in France" in page.content.decode()
    assert "Hosted,Volunteers,2" in csv_file.content.decode("utf-8-sig")
    assert load_workbook(io.BytesIO(xlsx_file.content)).sheetnames == [
        "Report", "Origins", "Destinations", "Visas"]
    text = PdfReader(io.BytesIO(pdf_file.content)).pages[0].extract_text()
    assert pdf_file["Content-Type"] == "application/pdf" and "Senegal" in text


def test_api_network_agreement_and_report(client, network):
    client.force_login(network["member"])

    net = client.get("/api/v1/balance/network", {"year": 2019}).json()
    agreement = client.get(f"/api/v1/balance/agreements/{network['agreement'].pk}").json()
    report = client.get("/api/v1/balance/reports/annual", {"year": 2019}).json()

    assert {"origin": "SN", "host": "FR", "volunteers": 2, "volunteer_months": 12.0,
            "realised_volunteers": 2, "realised_months": 12.0, "suppressed": []} in net["pairs"]
    assert net["exact"] is True and report["exact"] is True and report["suppressed"] == []
    assert next(y for y in agreement["planned"] if y["year"] == 2019)["position"] == 0.0
    assert report["hosted"]["top_countries"] == [["SN", 2]]


def test_api_refusals(client, network):
    assert client.get("/api/v1/balance/network").status_code == 401
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/balance/agreements/{network['agreement'].pk}").status_code == 404
    assert client.get("/api/v1/balance/reports/annual", {"year": "x"}).status_code == 422
