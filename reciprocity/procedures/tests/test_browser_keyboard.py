"""Keyboard only (Tab, Enter, Space; no mouse): the host's officer finds a step in What is due
and ticks it on the procedure page. Every element the journey stops at shows its focus
(core/tests/keyboard.py); docs/accessibility.md."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from reciprocity.core.tests.keyboard import activate, type_into
from reciprocity.procedures.models import ProcedureStep
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_host_ticks_a_step_with_the_keyboard_only(live_server, page, placement, host_officer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    client = Client()
    client.force_login(host_officer)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/")

    activate(page, "a[data-nav=due]")
    page.wait_for_selector("table.due")
    activate(page, "table.due a[href$='#step-insurance']")
    page.wait_for_selector("#step-insurance")
    type_into(page, "#step-insurance input[name=note]", "Certificate received")
    activate(page, "#step-insurance button[value=done]", key="Space")

    page.wait_for_selector("#step-insurance td.status[data-status=done]")
    step = ProcedureStep.objects.get(procedure=procedure, code="insurance")
    assert step.status == "done"
    assert step.history.get().note == "Certificate received"
