"""A host officer signs in, finds a step in "What is due", and ticks steps on the procedure page."""

import pytest

from reciprocity.procedures.models import ProcedureStep
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_host_ticks_steps_on_the_procedure_page(live_server, page, placement, host_officer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "helene")
    page.fill("#id_password", "pass-word-123")
    page.click("form.stack button[type=submit]")

    page.click("text=What is due")
    page.wait_for_selector("table.due")
    page.click("table.due a[href$='#step-insurance']")
    page.wait_for_selector("#step-insurance")
    assert page.text_content("#step-insurance td.status").strip() == "To do"
    # Steps the volunteer owns have no buttons for the host.
    assert page.locator("#step-visa_application form").count() == 0

    page.fill("#step-insurance input[name=note]", "Certificate requested from the insurer")
    page.click("#step-insurance button[value=in_progress]")
    page.wait_for_selector("#step-insurance td.status[data-status=in_progress]")
    page.click("#step-insurance button[value=done]")
    page.wait_for_selector("#step-insurance td.status[data-status=done]")

    # Blocking without a note is refused with the reason, and nothing moves.
    page.click("#step-accommodation button[value=blocked]")
    page.wait_for_selector(".messages li.error")
    assert "Say why in a note" in page.text_content(".messages")
    assert page.get_attribute("#step-accommodation td.status", "data-status") == "to_do"

    history = page.text_content("table.history")
    assert "Certificate requested from the insurer" in history
    step = ProcedureStep.objects.get(procedure=procedure, code="insurance")
    assert step.status == "done"
    assert list(step.history.order_by("id").values_list("to_status", flat=True)) == [
        "in_progress", "done"]
