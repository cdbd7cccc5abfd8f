"""The upload pages: preview (nothing written), confirm with the staged file (once, its owner
only), the import's page; who may import what; and the command line's exit codes."""

import io
import json
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.imports.models import ImportBatch
from reciprocity.imports.tests.helpers import (
    MISSION_HEADER,
    VOLUNTEER_HEADER,
    csv_bytes,
    mission_line,
    volunteer_line,
)
from reciprocity.missions.models import Mission
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.IMPORTS_RUNNER = "inline"


@pytest.fixture
def host():
    return OrganisationFactory(name="Maison des Solidarités", country="FR", is_host=True,
                               is_sending=False)


def upload(client, kind, data, name="file.csv"):
    return client.post(reverse("imports:upload", args=[kind]),
                       {"upload": SimpleUploadedFile(name, data)})


def test_preview_then_confirm_imports_once(client, host, django_capture_on_commit_callbacks):
    officer = MembershipFactory(organisation=host, role=MembershipRole.OFFICER).user
    client.force_login(officer)
    data = csv_bytes(MISSION_HEADER, [mission_line("WC-1"), mission_line("WC-2")])

    response = upload(client, "missions", data)

    assert response.status_code == 200
    assert not Mission.objects.exists()
    report, token = response.context["report"], response.context["staged"]
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0) and token
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=["missions"]), {"staged": token})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:batch", args=[batch.pk])
    assert batch.status == "done" and batch.created == 2 and batch.created_by == officer
    assert batch.file.read() == data and len(batch.sha256) == 64
    assert Mission.objects.filter(host=host).count() == 2
    page = client.get(response["Location"])
    assert b"import-summary" in page.content and b"http-equiv" not in page.content
    # The staged file is used once.
    again = client.post(reverse("imports:confirm", args=["missions"]), {"staged": token})
    assert again.status_code == 302 and ImportBatch.objects.count() == 1


def test_an_invalid_file_is_not_staged(client, host):
    client.force_login(StaffFactory())
    response = upload(client, "missions", csv_bytes(MISSION_HEADER, [mission_line("WC-1", capacity="x")]))
    assert response.context["staged"] == ""
    assert b"import-errors" in response.content


def test_someone_elses_staged_file_reads_as_expired(client, host):
    client.force_login(StaffFactory())
    token = upload(client, "missions", csv_bytes(MISSION_HEADER, [mission_line("WC-1")])).context["staged"]
    other = MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user
    client.force_login(other)
    response = client.post(reverse("imports:confirm", args=["missions"]), {"staged": token})
    assert response.status_code == 302 and not ImportBatch.objects.exists()


@pytest.mark.parametrize(("role", "kind", "allowed"), [
    (MembershipRole.VIEWER, "missions", False),
    (MembershipRole.OFFICER, "missions", True),
    (MembershipRole.OFFICER, "volunteers", False),  # a host only: no volunteers of its own
    (MembershipRole.ADMIN, "placements", False),
])
def test_who_may_open_an_upload_page(client, host, role, kind, allowed):
    client.force_login(MembershipFactory(organisation=host, role=role).user)
    assert client.get(reverse("imports:upload", args=[kind])).status_code == (200 if allowed else 403)


def test_coordinators_import_placements_and_missions_for_any_host(client, host):
    coordinator = OrganisationFactory(name="Coordination", is_coordinator=True)
    client.force_login(MembershipFactory(organisation=coordinator, role=MembershipRole.OFFICER).user)
    assert client.get(reverse("imports:upload", args=["placements"])).status_code == 200
    report = upload(client, "missions", csv_bytes(MISSION_HEADER, [mission_line("WC-1")])).context["report"]
    assert report.valid


def test_a_sending_organisation_imports_its_volunteers(client, django_capture_on_commit_callbacks):
    sender = OrganisationFactory(name="Espace Volontariats", country="TN", is_host=False)
    client.force_login(MembershipFactory(organisation=sender, role=MembershipRole.ADMIN).user)
    response = upload(client, "volunteers", csv_bytes(VOLUNTEER_HEADER, [volunteer_line("TN-1")]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=["volunteers"]),
                    {"staged": response.context["staged"]})
    assert Volunteer.objects.get().sending_organisation == sender


def test_imports_are_seen_by_their_author_and_staff_only(client, host):
    author = StaffFactory()
    batch = ImportBatch.objects.create(kind="missions", created_by=author, file="imports/x.csv",
                                       file_name="x.csv", sha256="0" * 64)
    client.force_login(MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user)
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:batch_file", args=[batch.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("imports:index")).status_code == 403


def test_a_running_import_page_refreshes_itself(client, host):
    staff = StaffFactory()
    batch = ImportBatch.objects.create(kind="missions", created_by=staff, file="imports/x.csv",
                                       file_name="x.csv", sha256="0" * 64, status="running",
                                       rows=10)
    client.force_login(staff)
    body = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert '<meta http-equiv="refresh"' in body and "<progress" in body


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_missions_exit_codes_dry_run_json_and_reimport(tmp_path, host):
    good = tmp_path / "missions.csv"
    good.write_bytes(csv_bytes(MISSION_HEADER, [mission_line("WC-1"), mission_line("WC-2")]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(MISSION_HEADER, [mission_line("WC-1", start="yesterday")]))

    missing = subprocess.run([sys.executable, "-m", "reciprocity.manage", "import", "missions",
                              str(tmp_path / "missing.csv")], capture_output=True, check=False)
    assert missing.returncode == 2 and b"no such file" in missing.stderr
    code, _out, err = run("missions", bad)
    assert code == 1 and "line 2: start_date 'yesterday' is not an ISO date" in err
    code, out, _err = run("missions", good, "--dry-run")
    assert code == 0 and "Would create 2" in out and not Mission.objects.exists()
    code, out, _err = run("missions", good, "--json")
    assert code == 0 and json.loads(out)["created"] == 2
    code, out, _err = run("missions", good)
    assert code == 0 and "0 created, 0 updated, 2 unchanged" in out
    assert ImportBatch.objects.filter(source="cli").count() == 3  # the failed one is kept too
    assert ImportBatch.objects.filter(status="failed").count() == 1
