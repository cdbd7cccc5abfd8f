"""`reciprocity plato pull/push` against the local stand-in server."""

import json
from unittest import mock

import pytest
from django.core.management import ManagementUtility
from django.core.management import base as management_base
from django.test import override_settings

from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.exchange.models import ProjectDetails
from reciprocity.exchange.tests import plato_standin
from reciprocity.missions.models import Mission
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plato():
    server = plato_standin.StandIn().start()
    with override_settings(PLATO_BASE_URL=server.base_url, PLATO_WEB_KEY=plato_standin.KEY,
                           PLATO_TIMEOUT_SECONDS=2, PLATO_RETRIES=2, PLATO_BACKOFF_SECONDS=0):
        yield server
    server.stop()


def run(capsys, *argv):
    code = 0
    try:
        # run_from_argv closes every connection when it ends, as the console script should;
        # here that would close the test's own transaction on PostgreSQL.
        with mock.patch.object(management_base.connections, "close_all"):
            ManagementUtility(["reciprocity", "plato", *map(str, argv)]).execute()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_pull_imports_the_organisations_projects_and_free_places(plato, capsys):
    code, out, err = run(capsys, "pull", "--organisation", "xyz", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["created"], report["free_places"]) == (2, 1)
    assert plato.calls == ["GetAllProjects", "GetAllFreePlaces"]
    host = Organisation.objects.get(exchange_code="XYZ")
    assert sorted(Mission.objects.filter(host=host).values_list("reference", flat=True)) == [
        "XYZ 07", "XYZ 08"]
    assert not Organisation.objects.filter(exchange_code="ABC").exists()
    details = ProjectDetails.objects.get(mission__reference="XYZ 07")
    assert (details.free_places["free_m"], details.free_places["free_f"]) == (3, 1)
    assert details.free_places_at is not None
    code, out, err = run(capsys, "pull", "--organisation", "XYZ", "--json")
    assert json.loads(out)["unchanged"] == 2


def test_pull_dry_run_writes_nothing(plato, capsys):
    code, out, err = run(capsys, "pull", "--organisation", "XYZ", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["created"] == 2
    assert not Mission.objects.exists()
    assert plato.calls == ["GetAllProjects"]


def test_pull_partner_projects_with_technical_key(plato, capsys):
    OrganisationFactory(exchange_code="PRT", name="Partner")
    code, out, err = run(capsys, "pull", "--organisation", "PRT", "--technical-key", "TK-PRT",
                         "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["objects"][0]["key"] == "d1" * 16
    assert Mission.objects.get().host.exchange_code == "PRT"


def test_pull_retries_then_succeeds(plato, capsys):
    plato.fail_next = 2
    code, out, err = run(capsys, "pull", "--organisation", "XYZ")
    assert code == 0, err
    assert plato.calls[:3] == ["GetAllProjects"] * 3


def test_pull_gives_up_with_a_clear_error(plato, capsys):
    plato.fail_next = 10
    code, out, err = run(capsys, "pull", "--organisation", "XYZ")
    assert code == 1
    assert "PLATO GetAllProjects failed after 3 attempt(s): HTTP 503" in err
    assert not Mission.objects.exists()


def test_a_wrong_key_is_not_retried(plato, capsys):
    with override_settings(PLATO_WEB_KEY="wrong"):
        code, out, err = run(capsys, "pull", "--organisation", "XYZ", "--json")
    assert code == 1
    assert "HTTP 500 System.InvalidOperationException: Invalid organization key." in (
        json.loads(out)["errors"][0])
    assert plato.calls == ["GetAllProjects"]


def test_timeouts_are_errors(plato, capsys):
    plato.delay = 1.5
    with override_settings(PLATO_TIMEOUT_SECONDS=0.3, PLATO_RETRIES=0):
        code, out, err = run(capsys, "pull", "--organisation", "XYZ")
    assert code == 1 and "failed after 1 attempt(s)" in err


def test_not_configured(capsys):
    with override_settings(PLATO_WEB_KEY=""):
        code, out, err = run(capsys, "pull", "--organisation", "XYZ")
    assert code == 1 and "PLATO_WEB_KEY" in err


def _application(reference="XYZ 07"):
    sender = OrganisationFactory(exchange_code="SND", is_host=False)
    volunteer = VolunteerFactory(sending_organisation=sender)
    application = Application.objects.create(volunteer=volunteer, sending_organisation=sender,
                                             status="submitted")
    if reference:
        ApplicationChoice.objects.create(
            application=application, rank=1,
            mission=MissionFactory(scheme_id="workcamp", reference=reference))
    return application


def test_push_sends_the_vef_and_reports_platos_id(plato, capsys):
    application = _application()
    code, out, err = run(capsys, "push", application.pk, "--json")
    assert code == 0, err
    assert json.loads(out)["imported_ids"] == ["PLATO-4711"]
    (sent,) = plato.received
    assert "<choice1>XYZ 07</choice1>" in sent and "<sender>SND</sender>" in sent


def test_push_refused_by_plato_is_exit_1_with_its_reasons(plato, capsys):
    application = _application(reference="")
    code, out, err = run(capsys, "push", application.pk)
    assert code == 1 and "PLATO refused the volunteer: Missing choice1." in err


def test_push_usage_errors(plato, capsys):
    assert run(capsys, "push")[0] == 2
    assert run(capsys, "push", "abc")[0] == 2
    assert run(capsys, "push", "999999")[0] == 1
    assert run(capsys, "pull")[0] == 2
