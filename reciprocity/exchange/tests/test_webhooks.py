"""Webhooks: registration, signed deliveries after commit, retries with backoff, the log, and
payloads that never carry more than the receiving organisation may see."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.applications.services import application_choice_refuse
from reciprocity.core.exceptions import ApplicationError
from reciprocity.exchange.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from reciprocity.exchange.webhooks import (
    RETRY_PAUSES,
    sign,
    webhook_endpoint_create,
    webhooks_deliver,
    webhooks_signal_overdue_steps,
)
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow.applying import application_submit
from reciprocity.workflow.services import application_choice_accept

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers), body))
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"thanks" if status == 200 else b"try later")


@pytest.fixture
def receiver():
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with override_settings(WEBHOOKS_ALLOW_HTTP_LOCALHOST=True, WEBHOOKS_SEND_ON_COMMIT=True):
        yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def world():
    host = OrganisationFactory(name="Host")
    sender = OrganisationFactory(name="Sender", is_host=False)
    other_host = OrganisationFactory(name="Other host")
    host_admin = MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user
    sender_admin = MembershipFactory(organisation=sender, role=MembershipRole.ADMIN).user
    volunteer = VolunteerFactory(sending_organisation=sender, first_name="Secret",
                                 last_name="Person", id_document_number="P99")
    missions = [MissionFactory(host=host, scheme_id="workcamp", reference="H1"),
                MissionFactory(host=other_host, scheme_id="workcamp", reference="O1")]
    return {"host": host, "sender": sender, "host_admin": host_admin,
            "sender_admin": sender_admin, "volunteer": volunteer, "missions": missions}


def register(world, receiver, org="host", events=None):
    endpoint, secret = webhook_endpoint_create(
        actor=world[f"{org}_admin"], organisation=world[org], url=receiver.url,
        events=events or WebhookEvent.values)
    return endpoint, secret


def test_submission_is_delivered_signed_after_commit(world, receiver):
    endpoint, secret = register(world, receiver)
    application_submit(now=timezone.now(), actor=world["sender_admin"], volunteer=world["volunteer"],
                       missions=world["missions"], motivation="Hello")
    (headers, body), = receiver.requests
    assert headers["X-Reciprocity-Event"] == "application.submitted"
    timestamp = headers["X-Reciprocity-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                                    hashlib.sha256).hexdigest()
    assert headers["X-Reciprocity-Signature"] == expected == sign(secret, int(timestamp), body)
    payload = json.loads(body)
    assert payload["event"] == "application.submitted"
    # The host learns of its own mission only, and of no name or document.
    assert [c["mission"]["reference"] for c in payload["data"]["choices"]] == ["H1"]
    text = body.decode()
    for secret_data in ("Secret", "Person", "P99", "Hello", "2003-05-17"):
        assert secret_data not in text
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status,
            delivery.response_body) == (DeliveryStatus.DELIVERED, 1, 200, "thanks")


def test_the_sender_sees_every_choice(world, receiver):
    register(world, receiver, org="sender", events=["application.submitted"])
    application_submit(now=timezone.now(), actor=world["sender_admin"], volunteer=world["volunteer"],
                       missions=world["missions"])
    (_headers, body), = receiver.requests
    assert [c["mission"]["reference"] for c in json.loads(body)["data"]["choices"]] == [
        "H1", "O1"]


def test_decisions_and_placements(world, receiver):
    register(world, receiver, org="sender")
    application = application_submit(now=timezone.now(), actor=world["sender_admin"], volunteer=world["volunteer"],
                                     missions=world["missions"])
    first, second = application.choices.order_by("rank")
    application_choice_refuse(actor=world["host_admin"], choice=first, reason="Full", now=timezone.now())
    MembershipFactory(organisation=second.mission.host, role=MembershipRole.OFFICER,
                      user=world["host_admin"])
    application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=world["host_admin"], choice=second)
    events = [h["X-Reciprocity-Event"] for h, _b in receiver.requests]
    assert events == ["application.submitted", "application.decided", "application.decided",
                      "placement.proposed"]
    decided = json.loads(receiver.requests[1][1])["data"]
    assert decided["choices"] == [{"rank": 1, "status": "refused",
                                   "mission": {"id": first.mission_id, "reference": "H1",
                                               "host": world["host"].pk}}]
    assert "Full" not in receiver.requests[1][1].decode()


def test_failures_are_retried_with_backoff_then_given_up(world, receiver):
    register(world, receiver, events=["placement.confirmed"])
    receiver.answers = [503] * 10
    PlacementFactory(mission=world["missions"][0], volunteer=world["volunteer"],
                     status="proposed").history.create(from_status="proposed",
                                                        to_status="confirmed")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.PENDING, 1, 503)
    assert delivery.next_attempt_at - delivery.last_attempt_at == RETRY_PAUSES[0]
    now = timezone.now()
    assert webhooks_deliver(now=now) == 0  # not due yet
    for pause in RETRY_PAUSES:
        now += pause + datetime.timedelta(seconds=1)
        assert webhooks_deliver(now=now) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, len(RETRY_PAUSES) + 1)
    assert delivery.response_body == "try later"


def test_the_command_delivers_what_is_due(world, receiver):
    with override_settings(WEBHOOKS_SEND_ON_COMMIT=False):
        register(world, receiver, events=["application.submitted"])
        application_submit(now=timezone.now(), actor=world["sender_admin"], volunteer=world["volunteer"],
                           missions=world["missions"][:1])
    assert receiver.requests == []
    call_command("webhooks", "deliver", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_overdue_steps_are_signalled_once(world, receiver):
    from reciprocity.procedures.services import procedure_open_for_placement

    register(world, receiver, events=["procedure.step_overdue"])
    placement = PlacementFactory(mission=world["missions"][0], volunteer=world["volunteer"])
    procedure = procedure_open_for_placement(placement=placement,
                                             today=datetime.date(2026, 11, 26), now=timezone.now())
    step = procedure.steps.order_by("position").first()
    step.due_by = datetime.date(2026, 11, 1)
    step.status = "to_do"
    step.save()
    made = webhooks_signal_overdue_steps(today=datetime.date(2026, 11, 26), now=timezone.now())
    assert made >= 1
    assert webhooks_signal_overdue_steps(today=datetime.date(2026, 11, 27),
                                         now=timezone.now()) == 0
    payloads = [json.loads(b) for h, b in receiver.requests
                if h["X-Reciprocity-Event"] == "procedure.step_overdue"]
    assert any(p["data"]["step"]["id"] == step.pk for p in payloads)


def test_no_delivery_when_the_change_rolls_back(world, receiver):
    from django.db import transaction

    register(world, receiver)
    with pytest.raises(RuntimeError), transaction.atomic():
        application_submit(now=timezone.now(), actor=world["sender_admin"], volunteer=world["volunteer"],
                           missions=world["missions"][:1])
        raise RuntimeError
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("url", ["http://example.org/hook", "https://127.0.0.1/x",
                                 "https://10.0.0.5/x", "ftp://example.org/x", "https://localhost/"])
def test_only_public_https_addresses(world, url):
    with pytest.raises(ApplicationError):
        webhook_endpoint_create(actor=world["host_admin"], organisation=world["host"], url=url,
                                events=["placement.confirmed"])


def test_only_administrators_register(world, client):
    officer = MembershipFactory(organisation=world["host"], role=MembershipRole.OFFICER).user
    with pytest.raises(ApplicationError):
        webhook_endpoint_create(actor=officer, organisation=world["host"],
                                url="https://partner.example.org/hook",
                                events=["placement.confirmed"])
    client.force_login(officer)
    assert client.get(f"/exchange/organisations/{world['host'].pk}/webhooks/").status_code == 403


def test_webhooks_page(world, client):
    client.force_login(world["host_admin"])
    page = client.post(f"/exchange/organisations/{world['host'].pk}/webhooks/", {
        "url": "https://partner.example.org/hook", "events": ["placement.confirmed"]})
    assert page.status_code == 200
    body = page.content.decode()
    assert "whsec_" in body and "https://partner.example.org/hook" in body
    endpoint = world["host"].webhook_endpoints.get()
    assert endpoint.secret in body
    again = client.get(f"/exchange/organisations/{world['host'].pk}/webhooks/").content.decode()
    assert endpoint.secret not in again
    client.post(f"/exchange/organisations/{world['host'].pk}/webhooks/", {"delete": endpoint.pk})
    assert not world["host"].webhook_endpoints.exists()
