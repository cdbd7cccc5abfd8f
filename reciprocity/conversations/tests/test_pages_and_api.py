"""The conversation pages and `/api/v1/threads`: same rules as the services, as seen over HTTP."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reciprocity.accounts.tests.factories import api_token_for
from reciprocity.conversations.models import Message, Thread
from reciprocity.conversations.services import message_post, thread_for_placement
from reciprocity.volunteers.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


class TestPages:
    def test_a_placement_thread_is_created_by_its_first_message_and_read_on_the_page(
            self, client, parties, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        client.force_login(parties.host_officer)
        url = f"/conversations/placements/{parties.placement.pk}/"
        assert client.get(url).status_code == 200
        assert not Thread.objects.exists()  # opening the page writes nothing

        response = client.post(url, {"text": "Welcome!", "attachments": [
            SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")]})
        thread = Thread.objects.get(placement=parties.placement)
        assert response.status_code == 302 and response["Location"] == f"/conversations/{thread.pk}/"
        assert client.get(url)["Location"] == f"/conversations/{thread.pk}/"

        client.force_login(parties.volunteer)
        home = client.get("/conversations/").content.decode()
        assert 'id="unread-messages">1<' in home
        page = client.get(f"/conversations/{thread.pk}/").content.decode()
        assert "Welcome!" in page and "plan.pdf" in page
        assert 'id="unread-messages"' not in client.get("/conversations/").content.decode()

        attachment = Message.objects.get(text="Welcome!").attachments.get()
        download = client.get(f"/conversations/attachments/{attachment.pk}/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert PersonalDataAccess.objects.filter(action="document_download").exists()

    def test_a_viewer_reads_but_cannot_reply(self, client, parties):
        thread = thread_for_placement(placement=parties.placement)
        message_post(thread=thread, author=parties.volunteer, text="Hello", now=timezone.now())
        client.force_login(parties.host_viewer)
        page = client.get(f"/conversations/{thread.pk}/").content.decode()
        assert "Hello" in page and 'id="reply-form"' not in page
        assert client.post(f"/conversations/{thread.pk}/", {"text": "Hi"}).status_code == 403

    def test_outsiders_get_404_everywhere(self, client, parties, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        thread = thread_for_placement(placement=parties.placement)
        message = message_post(thread=thread, author=parties.volunteer, text="Secret",
                               files=[SimpleUploadedFile("a.pdf", PDF)], now=timezone.now())
        client.force_login(parties.outsider)
        for url in (f"/conversations/{thread.pk}/", f"/conversations/placements/{parties.placement.pk}/",
                    f"/conversations/attachments/{message.attachments.get().pk}/"):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"text": "x"}).status_code in {404, 405}, url
        assert "Secret" not in client.get("/conversations/").content.decode()

    def test_an_application_thread_with_a_host_of_its_choices(self, client, two_hosts):
        application = two_hosts["application"]
        host_a, host_b = two_hosts["host_a"], two_hosts["host_b"]
        client.force_login(two_hosts["officer_a"])
        assert client.post(f"/conversations/applications/{application.pk}/{host_a.pk}/",
                           {"text": "From A"}).status_code == 302
        # Host A cannot open host B's thread of the same application.
        assert client.get(f"/conversations/applications/{application.pk}/{host_b.pk}/").status_code == 404
        client.force_login(two_hosts["officer_b"])
        assert "From A" not in client.get("/conversations/").content.decode()
        client.force_login(two_hosts["sender"])
        assert "Messages with this host" in client.get(f"/applications/{application.pk}/").content.decode()


def _api(client, user):  # type: ignore[no-untyped-def]
    key = api_token_for(user)

    def call(method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
        kwargs = {"headers": {"Authorization": f"Bearer {key}"}}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api/v1/threads{path}", **kwargs)
    return call


class TestApi:
    def test_open_post_list_and_read(self, client, parties):
        host = _api(client, parties.host_officer)
        opened = host("post", "", {"placement_id": parties.placement.pk})
        assert opened.status_code == 200, opened.content
        thread_id = opened.json()["id"]
        assert opened.json()["may_write"] is True
        posted = host("post", f"/{thread_id}/messages", {"text": "Bienvenue"})
        assert posted.status_code == 201 and posted.json()["author_id"] == parties.host_officer.pk

        volunteer = _api(client, parties.volunteer)
        [listed] = volunteer("get", "").json()["items"]
        assert listed["id"] == thread_id and listed["unread"] == 1
        messages = volunteer("get", f"/{thread_id}/messages").json()["items"]
        assert [m["text"] for m in messages] == ["Bienvenue"]
        assert volunteer("post", f"/{thread_id}/read").json() == {"read": True}
        assert volunteer("get", f"/{thread_id}").json()["unread"] == 0

    def test_viewers_403_outsiders_404_bad_bodies_422(self, client, parties):
        thread = thread_for_placement(placement=parties.placement)
        viewer = _api(client, parties.host_viewer)
        assert viewer("get", f"/{thread.pk}/messages").status_code == 200
        assert viewer("post", f"/{thread.pk}/messages", {"text": "Hi"}).status_code == 403
        outsider = _api(client, parties.outsider)
        for method, path, body in (("get", f"/{thread.pk}", None),
                                   ("get", f"/{thread.pk}/messages", None),
                                   ("post", f"/{thread.pk}/messages", {"text": "Hi"}),
                                   ("post", f"/{thread.pk}/read", None),
                                   ("post", "", {"placement_id": parties.placement.pk})):
            assert outsider(method, path, body).status_code == 404, (method, path)
        host = _api(client, parties.host_officer)
        for body in ({"text": ""}, {"text": "x", "extra": 1}, {"text": 5}, []):
            assert host("post", f"/{thread.pk}/messages", body).status_code == 422, body
        for body in ({}, {"placement_id": 1, "application_id": 1, "host_id": 1},
                     {"application_id": 1}, {"placement_id": 0}):
            assert host("post", "", body).status_code == 422, body
        assert host("get", "/99999999").status_code == 404
