"""The admin site never moves a record along its lifecycle: status fields (and what the moves
set) are read-only in every ModelAdmin and inline, and the ledger is read-only and undeletable.
Driven through the admin client, as staff would."""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.balance.models import LedgerEntry
from reciprocity.balance.services import ledger_record_placement_event
from reciprocity.matching.models import PlacementRun, RunProposal
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.procedures.models import ProcedureStep

pytestmark = pytest.mark.django_db

# Every model with a state machine and history rows, and the field its services move.
LIFECYCLE = {
    Placement: "status",
    Application: "status",
    ApplicationChoice: "status",
    ProcedureStep: "status",
    Mission: "status",
    PlacementRun: "status",
    RunProposal: "decision",
}


class _Form(HTMLParser):
    """The values a browser would post back from an admin change form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox"):
            self.data[name] = a.get("value") or ""
        elif tag == "input" and name and "checked" in a:
            self.data[name] = a.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(html: str) -> dict[str, Any]:
    parser = _Form()
    parser.feed(html)
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _editable_fields(model_admin: Any, request: Any, obj: Any) -> set[str]:
    return set(model_admin.get_form(request, obj).base_fields)


def test_no_admin_form_or_inline_edits_a_lifecycle_field(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = set()
    for model, model_admin in admin.site._registry.items():
        if model in LIFECYCLE:
            assert LIFECYCLE[model] not in _editable_fields(model_admin, request, None), model
            checked.add(model)
        for inline in model_admin.get_inline_instances(request, None) or [
            cls(model, admin.site) for cls in model_admin.inlines
        ]:
            if inline.model in LIFECYCLE:
                form = inline.get_formset(request, None).form
                assert LIFECYCLE[inline.model] not in form.base_fields, inline.model
                checked.add(inline.model)
    assert checked == set(LIFECYCLE)


def test_staff_cannot_move_a_placement_in_the_admin(client, superuser):
    placement = PlacementFactory(status=PlacementStatus.CONFIRMED, tutor_name="")
    url = f"/admin/placements/placement/{placement.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert "status" not in data and "ended_on" not in data and "start_date" not in data

    data.update(status=PlacementStatus.COMPLETED, ended_on="2027-01-01", tutor_name="Jean Dupont")
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED and placement.ended_on is None
    assert placement.tutor_name == "Jean Dupont"  # what is not lifecycle stays editable
    assert not placement.history.exists()


def test_placements_are_neither_added_nor_deleted_in_the_admin(client, superuser):
    placement = PlacementFactory()
    assert client.get("/admin/placements/placement/add/").status_code == 403
    assert client.get(f"/admin/placements/placement/{placement.pk}/delete/").status_code == 403
    assert client.post(f"/admin/placements/placement/{placement.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert Placement.objects.filter(pk=placement.pk).exists()


def test_staff_cannot_decide_an_application_choice_in_the_admin(client, superuser):
    choice = ApplicationChoiceFactory()
    url = f"/admin/applications/application/{choice.application_id}/change/"
    data = form_data(client.get(url).content.decode())
    assert "status" not in data and not any(k.endswith("-status") for k in data)

    data.update({"status": "placed", "choices-0-status": "accepted"})
    assert client.post(url, data).status_code == 302
    choice.refresh_from_db()
    assert choice.status == "pending" and choice.application.status == Application.objects.get(
        pk=choice.application_id).status


def test_staff_cannot_publish_a_mission_in_the_admin(client, superuser):
    mission = MissionFactory(status=MissionStatus.DRAFT)
    url = f"/admin/missions/mission/{mission.pk}/change/"
    data = form_data(client.get(url).content.decode())
    assert "status" not in data

    data["status"] = MissionStatus.PUBLISHED
    assert client.post(url, data).status_code == 302
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


def test_the_ledger_is_read_only_and_undeletable_in_the_admin(client, superuser):
    placement = PlacementFactory()
    entry = ledger_record_placement_event(placement=placement, event="confirmed",
                                          occurred_on=placement.start_date)
    base = "/admin/balance/ledgerentry/"

    assert client.get(base).status_code == 200
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200 and 'name="volunteers"' not in page.content.decode()
    assert client.post(f"{base}{entry.pk}/change/", {"volunteers": 5}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(base, {"action": "delete_selected", "_selected_action": [entry.pk],
                                  "post": "yes"})
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.volunteers == 1
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
