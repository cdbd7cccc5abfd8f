"""The access log: written by the detail page and the export, shown to platform staff only."""

import pytest

from reciprocity.core.exceptions import ApplicationError
from reciprocity.volunteers.models import AccessAction, AccessChannel, PersonalDataAccess
from reciprocity.volunteers.services import personal_data_access_record

pytestmark = pytest.mark.django_db


def test_each_view_of_the_record_is_logged_with_who_and_from_where(client, person, host_member):
    client.force_login(host_member)
    assert client.get(f"/volunteers/{person.volunteer.pk}/").status_code == 200
    client.get(f"/volunteers/{person.volunteer.pk}/")
    rows = PersonalDataAccess.objects.filter(volunteer=person.volunteer)
    assert rows.count() == 2
    assert {(r.actor_id, r.action, r.channel) for r in rows} == {
        (host_member.pk, AccessAction.VIEW, AccessChannel.PAGE)}


def test_a_refused_view_is_not_logged_as_an_access(client, person, outsider):
    client.force_login(outsider)
    assert client.get(f"/volunteers/{person.volunteer.pk}/").status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_staff_read_the_access_log(client, person, host_member):
    client.force_login(host_member)
    client.get(f"/volunteers/{person.volunteer.pk}/")
    personal_data_access_record(volunteer=person.volunteer, actor=None,
                                action=AccessAction.EXPORT, channel=AccessChannel.COMMAND)
    client.force_login(person.staff)
    detail = client.get(f"/volunteers/{person.volunteer.pk}/").content.decode()
    assert f"/volunteers/{person.volunteer.pk}/access-log/" in detail
    response = client.get(f"/volunteers/{person.volunteer.pk}/access-log/")
    assert response.status_code == 200
    body = response.content.decode()
    assert host_member.username in body and "a command (operator)" in body
    assert "Exported" in body and "Command line" in body


@pytest.mark.parametrize("who", ["host_member", "sender_admin", "the_volunteer"])
def test_members_and_the_volunteer_never_see_the_access_log(client, person, who, request):
    user = person.user if who == "the_volunteer" else request.getfixturevalue(who)
    client.force_login(user)
    assert "access-log/" not in client.get(f"/volunteers/{person.volunteer.pk}/").content.decode()
    assert client.get(f"/volunteers/{person.volunteer.pk}/access-log/").status_code == 403


def test_strangers_get_not_found(client, person, outsider):
    client.force_login(outsider)
    assert client.get(f"/volunteers/{person.volunteer.pk}/access-log/").status_code == 404


def test_the_service_refuses_an_unknown_kind_of_access(person):
    with pytest.raises(ApplicationError) as exc:
        personal_data_access_record(volunteer=person.volunteer, actor=person.staff,
                                    action="peek", channel=AccessChannel.PAGE)
    assert exc.value.code == "invalid_access"
    assert not PersonalDataAccess.objects.exists()
