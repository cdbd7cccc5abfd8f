"""The export of one person's data (right of access and portability): content, who may download
it, and the `volunteers export` command with its exit codes."""

import datetime
import io
import json

import pytest
from django.core.management import call_command, execute_from_command_line

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.volunteers.models import AccessAction, AccessChannel, PersonalDataAccess
from reciprocity.workflow.personal_data import volunteer_export

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)


def test_the_export_holds_the_record_applications_placements_procedure_and_notifications(person):
    data = volunteer_export(volunteer=person.volunteer, viewer=person.staff, now=NOW)
    v = data["volunteer"]
    assert v["reference"] == "SN-2019-0042" and v["last_name"] == "Ndiaye"
    assert v["other_nationalities"] == ["GM"] and v["birth_date"] == "1999-05-17"
    assert v["identity_document"] == {"kind": "passport", "number": "A12345678",
                                      "number_masked": False, "expiry": "2029-01-01"}
    assert v["account"]["username"] == "awa"
    [application] = data["applications"]
    assert application["status"] == "placed" and application["motivation"] == "Je veux apprendre."
    assert application["choices"] == [{
        "rank": 1, "mission": {"id": person.placement.mission_id, "title": "Jardins partagés",
                               "host": {"id": person.host.pk, "name": "Maison des Solidarités"}},
        "status": "accepted", "decision_reason": "Bon profil", "decided_at": None,
    }]
    [placement] = data["placements"]
    assert placement["status"] == "completed" and placement["ended_on"] == "2019-08-31"
    assert [(h["from"], h["to"]) for h in placement["status_history"]][-1] == ("confirmed", "completed")
    assert placement["evaluations"][0]["comments"] == "Très investie."
    assert placement["follow_up"]["situation"] == "studies"
    procedure = placement["procedure"]
    assert procedure["steps"] and {"code", "status", "due_by"} <= set(procedure["steps"][0])
    # The list of uploaded documents, not the files.
    assert procedure["documents"] == [{
        "kind": "passport", "file_name": "Passeport Awa Ndiaye.pdf",
        "content_type": "application/pdf", "size": person.document.size, "valid_from": None,
        "expires_on": None, "uploaded_at": person.document.uploaded_at.isoformat(),
    }]
    assert [n["subject"] for n in data["notifications"]] == ["Your placement is confirmed"]
    json.dumps(data)  # plain JSON all the way down


def test_the_document_number_is_clear_for_the_volunteer_and_masked_for_anyone_else(person, host_member):
    mine = volunteer_export(volunteer=person.volunteer, viewer=person.user, now=NOW)
    assert mine["volunteer"]["identity_document"]["number"] == "A12345678"
    theirs = volunteer_export(volunteer=person.volunteer, viewer=host_member, now=NOW)
    number = theirs["volunteer"]["identity_document"]
    assert number["number"].endswith("678") and "1234" not in number["number"]
    assert number["number_masked"] is True


def test_the_volunteer_downloads_their_own_data_and_the_download_is_logged(client, person):
    client.force_login(person.user)
    page = client.get(f"/volunteers/{person.volunteer.pk}/")
    assert "Download my data" in page.content.decode()
    response = client.get(f"/volunteers/{person.volunteer.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    body = json.loads(response.content)
    assert body["volunteer"]["identity_document"]["number"] == "A12345678"
    assert PersonalDataAccess.objects.filter(
        volunteer=person.volunteer, actor=person.user, action=AccessAction.EXPORT,
        channel=AccessChannel.PAGE).count() == 1


def test_staff_download_any_volunteers_data(client, person):
    client.force_login(person.staff)
    response = client.get(f"/volunteers/{person.volunteer.pk}/export/")
    assert response.status_code == 200
    assert json.loads(response.content)["volunteer"]["reference"] == "SN-2019-0042"


@pytest.mark.parametrize("who", ["host_member", "sender_admin"])
def test_members_who_see_the_record_may_not_download_the_export(client, person, who, request):
    member = request.getfixturevalue(who)
    client.force_login(member)
    assert client.get(f"/volunteers/{person.volunteer.pk}/").status_code == 200
    assert "export/" not in client.get(f"/volunteers/{person.volunteer.pk}/").content.decode()
    assert client.get(f"/volunteers/{person.volunteer.pk}/export/").status_code == 403
    assert not PersonalDataAccess.objects.filter(action=AccessAction.EXPORT).exists()


def test_strangers_and_anonymous_get_nothing(client, person, outsider):
    url = f"/volunteers/{person.volunteer.pk}/export/"
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_the_command_prints_the_export_and_logs_it_as_a_command(person):
    out = io.StringIO()
    call_command("volunteers", "export", "SN-2019-0042", stdout=out)
    data = json.loads(out.getvalue())
    assert data["volunteer"]["identity_document"]["number"] == "A12345678"
    access = PersonalDataAccess.objects.get(action=AccessAction.EXPORT)
    assert access.actor is None and access.channel == AccessChannel.COMMAND


def test_the_command_writes_to_a_file(person, tmp_path):
    target = tmp_path / "awa.json"
    out = io.StringIO()
    call_command("volunteers", "export", "SN-2019-0042", "--output", str(target), stdout=out)
    assert json.loads(target.read_text())["volunteer"]["last_name"] == "Ndiaye"
    assert str(target) in out.getvalue()


def test_an_unknown_reference_exits_1_with_a_clear_message(person):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("volunteers", "export", "NOPE-1", stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    assert "No volunteer with the reference “NOPE-1”" in err.getvalue()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("argv", [
    ["volunteers", "export"],
    ["volunteers", "anonymise", "--today", "26/11/2026"],
    ["volunteers", "frobnicate"],
])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["reciprocity", *argv])
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err
