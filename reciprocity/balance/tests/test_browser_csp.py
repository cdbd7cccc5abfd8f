"""The balance page under the Content Security Policy: charts drawn, no violation, and a name
made of HTML shown in a tooltip as text."""

from datetime import date

import pytest
from django.conf import settings as django_settings
from django.test import Client

from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement

PAYLOAD = "<img src=x onerror=window.__xss=1>"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_balance_page_draws_under_the_csp_and_tooltips_stay_text(live_server, page, settings):
    settings.STATICFILES_DIRS = [django_settings.PACKAGE_DIR / "static"]
    # The reference is a slug in forms, but the database (and the import) take any text; the
    # charts name an agreement by its title (labels, not codes), which is free text.
    agreement = AgreementFactory(reference=PAYLOAD, title=PAYLOAD)
    for origin in ("SN", "SN", "SN"):
        make_placement(origin=origin, host="FR", start=date(2026, 3, 1), end=date(2026, 8, 31),
                       agreement=agreement, host_org=agreement.party_a)
    make_placement(origin="FR", host="SN", start=date(2026, 3, 1), end=date(2026, 8, 31),
                   agreement=agreement, host_org=agreement.party_b, sender=agreement.party_a)
    ledger_backfill()
    member = MembershipFactory(organisation=agreement.party_a).user
    client = Client()
    client.force_login(member)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    response = page.goto(f"{live_server.url}/balance/?year=2026")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    for name in ("flows", "countries", "series", "origins", "schemes", "agreements"):
        chart = page.locator(f"#chart-{name}")
        chart.locator("svg").first.wait_for(timeout=10_000)
        assert chart.get_attribute("data-rendered") == "true"
    # Show the agreement's tooltip (its category is the payload) the way a hover would.
    tooltip_html = page.evaluate("""() => {
        const element = document.getElementById("chart-agreements");
        echarts.getInstanceByDom(element).dispatchAction(
            {type: "showTip", seriesIndex: 0, dataIndex: 0});
        const boxes = [...element.querySelectorAll("div")].filter(d => d.textContent.includes("onerror"));
        return boxes.length ? boxes[boxes.length - 1].innerHTML : null;
    }""")
    page.wait_for_timeout(300)
    assert tooltip_html is not None
    assert "&lt;img" in tooltip_html and "<img" not in tooltip_html
    assert page.evaluate("() => window.__xss") is None
    violations = [text for text in console if "Content Security Policy" in text]
    assert violations == []
    assert errors == []


def _synthetic_page(live_server_url: str) -> str:
    """A page with the dashboard's charts whose every string is the payload, served beside the
    real static files so that balance.js runs as on the dashboard."""
    import json

    p = PAYLOAD
    data = {
        "flows": {"headings": ["O", "OC", "H", "HC", "V", "M", "R"],
                  "rows": [[p, "SN", p, "FR", 3, 18, 3]], "links": []},
        "countries": {"headings": [p, "C", p, p, p], "rows": [[p, "SN", 3, 1, 2]], "links": []},
        "series": {"headings": ["Y", p, p], "rows": [[2026, 3, 1]], "links": []},
        "origins": {"headings": ["O", "C", "V"], "rows": [[p, "SN", 3]], "links": []},
        "schemes": {"headings": ["S", p, p], "rows": [[p, 3, 1]], "links": []},
        "agreements": {"headings": ["A"], "rows": [[p, "u", 3, 1, 10, 10, 0, 2, 3, True]],
                       "links": []},
    }
    payload_json = json.dumps(data).replace("<", "\\u003c")  # as json_script does
    charts = "".join(
        f'<div class="chart" id="chart-{name}" data-kind="{kind}" data-dataset="{name}" '
        f'style="width:600px;height:300px"></div>'
        for name, kind in [("flows", "sankey"), ("countries", "map"), ("series", "series"),
                           ("origins", "bars"), ("schemes", "schemes"),
                           ("agreements", "agreements")]
    )
    return (
        f"<!DOCTYPE html><html><body>{charts}"
        f'<script type="application/json" id="balance-data">{payload_json}</script>'
        f'<script src="{live_server_url}/static/vendor/echarts/echarts.min.js"></script>'
        f'<script src="{live_server_url}/static/js/balance.js" id="balance-script" '
        f'data-world="{live_server_url}/static/vendor/echarts/world.json"></script>'
        "</body></html>"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_tooltip_shows_data_as_text(live_server, page, settings):
    settings.STATICFILES_DIRS = [django_settings.PACKAGE_DIR / "static"]
    html = _synthetic_page(live_server.url)
    page.route(f"{live_server.url}/tooltip-test", lambda route: route.fulfill(
        status=200, content_type="text/html", body=html))
    page.goto(f"{live_server.url}/tooltip-test")

    for name, data_type in [("flows", "edge"), ("flows", "node"), ("countries", None),
                            ("series", None), ("origins", None), ("schemes", None),
                            ("agreements", None)]:
        page.locator(f'#chart-{name}[data-rendered="true"]').wait_for(timeout=10_000)
        tooltip = page.evaluate("""([name, dataType]) => {
            const element = document.getElementById("chart-" + name);
            const action = {type: "showTip", seriesIndex: 0, dataIndex: 0};
            if (dataType) { action.dataType = dataType; }
            echarts.getInstanceByDom(element).dispatchAction(action);
            const boxes = [...element.querySelectorAll("div")].filter(d => d.textContent.includes("onerror"));
            return boxes.length ? boxes[boxes.length - 1].innerHTML : null;
        }""", [name, data_type])
        assert tooltip is not None, name
        assert "<img" not in tooltip, (name, tooltip)
        assert "&lt;img" in tooltip, (name, tooltip)
    assert page.evaluate("() => window.__xss") is None
