"""Webhooks for partners' systems (docs/exchange.md): an organisation's administrator registers an
HTTPS address and the events it wants; each event becomes one delivery per endpoint, signed
(HMAC-SHA256 of `timestamp.body` with the endpoint's secret), sent after the transaction
commits, retried with a growing pause by `reciprocity webhooks deliver`, and logged with the
answer.

Payloads carry identifiers and statuses only (the volunteer's platform reference, never a name,
a birth date or a document number): the receiving system asks the API for more, where its
token's rights apply. So a delivery never tells an organisation more than it may see.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import AnyUser
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.exchange.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from reciprocity.exchange.permissions import can_set_exchange_code
from reciprocity.partners.models import Organisation

# Pauses before the 2nd, 3rd… attempt; after the last one the delivery is given up.
RETRY_PAUSES = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2), timedelta(hours=12))
TIMEOUT_SECONDS = 10
ANSWER_KEPT = 2000  # characters of the answer body kept in the log
MAX_ENDPOINTS = 10


class WebhookInvalid(ApplicationError):
    code = "invalid_webhook"
    status = 422


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): receivers recompute it and
    refuse a timestamp older than a few minutes (replay)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


# --- registration --------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    if parts.scheme == "http" and local and settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST:
        return url
    if parts.scheme != "https" or not parts.hostname:
        raise WebhookInvalid(_("Give an HTTPS address."), details={"url": [url]})
    # Not a way into our own network: no loopback, private or link-local literal addresses.
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        address = None
    if local or (address is not None and (address.is_private or address.is_loopback
                                          or address.is_link_local or address.is_reserved)):
        raise WebhookInvalid(_("The address must be reachable on the internet."),
                             details={"url": [url]})
    return url


@transaction.atomic
def webhook_endpoint_create(
    *, actor: AnyUser, organisation: Organisation, url: str, events: Iterable[str]
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret, shown this once."""
    if not can_set_exchange_code(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators manage its webhooks."))
    chosen = sorted(set(events))
    if not chosen or any(e not in WebhookEvent.values for e in chosen):
        raise WebhookInvalid(_("Choose at least one event."), details={"events": chosen})
    if WebhookEndpoint.objects.filter(organisation=organisation).count() >= MAX_ENDPOINTS:
        raise WebhookInvalid(_("An organisation has at most %(n)d webhooks.")
                             % {"n": MAX_ENDPOINTS})
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=_check_url(url), events=chosen, secret=secret,
        created_by=actor if isinstance(actor, User) else None,
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_delete(*, actor: AnyUser, endpoint: WebhookEndpoint) -> None:
    if not can_set_exchange_code(actor, endpoint.organisation):
        raise NotAllowed(_("Only the organisation's administrators manage its webhooks."))
    endpoint.delete()


# --- events --------------------------------------------------------------------------------------


def webhooks_enqueue(
    *, event: str, payloads: dict[int, dict[str, Any]], now: datetime, dedupe_key: str = ""
) -> list[WebhookDelivery]:
    """One delivery per active endpoint of each organisation in `payloads` (organisation id ->
    the data that organisation may receive) subscribed to `event`, occurred at `now` (read by
    the edge: the after-commit receiver or the command); sent after commit."""
    if not payloads:
        return []
    deliveries = []
    endpoints = WebhookEndpoint.objects.filter(
        organisation_id__in=list(payloads), is_active=True
    ).order_by("pk")
    for endpoint in endpoints:
        if event not in endpoint.events:
            continue
        body = {"event": event, "occurred_at": now.isoformat(),
                "organisation": endpoint.organisation_id, "data": payloads[endpoint.organisation_id]}
        try:
            with transaction.atomic():
                deliveries.append(WebhookDelivery.objects.create(
                    endpoint=endpoint, event=event, payload=body, dedupe_key=dedupe_key,
                    next_attempt_at=now,
                ))
        except IntegrityError:
            continue  # already signalled (a periodic scan's event)
    if deliveries and settings.WEBHOOKS_SEND_ON_COMMIT:
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: webhooks_deliver(ids=ids, now=now))
    return deliveries


def _deliver(delivery: WebhookDelivery, now: datetime) -> None:
    endpoint = delivery.endpoint
    body = json.dumps({**delivery.payload, "delivery": delivery.pk}, sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (checked http(s) address)
        endpoint.url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "User-Agent": "Reciprocity-Webhooks/1",
            "X-Reciprocity-Event": delivery.event,
            "X-Reciprocity-Delivery": str(delivery.pk),
            "X-Reciprocity-Timestamp": str(timestamp),
            "X-Reciprocity-Signature": sign(endpoint.secret, timestamp, body),
        })
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.error = ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            delivery.response_status = response.status
            delivery.response_body = response.read(ANSWER_KEPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        delivery.response_status = exc.code
        delivery.response_body = exc.read(ANSWER_KEPT).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        delivery.response_status = None
        delivery.response_body = ""
        delivery.error = str(getattr(exc, "reason", exc))[:500] or exc.__class__.__name__
    ok = delivery.response_status is not None and 200 <= delivery.response_status < 300
    if ok:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DELIVERED, None
    elif delivery.attempts > len(RETRY_PAUSES):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = now + RETRY_PAUSES[delivery.attempts - 1]
    delivery.save()


def webhooks_deliver(*, now: datetime, ids: Iterable[int] | None = None) -> int:
    """Send the pending deliveries that are due at `now` (or those in `ids`); returns how many
    were tried. Each is claimed under a row lock, so two runs never send one twice."""
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
    due = due.filter(pk__in=list(ids)) if ids is not None else due.filter(
        next_attempt_at__lte=now)
    tried = 0
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            delivery = (WebhookDelivery.objects.select_for_update().select_related("endpoint")
                        .filter(pk=pk, status=DeliveryStatus.PENDING).first())
            if delivery is None or (ids is None and delivery.next_attempt_at
                                    and delivery.next_attempt_at > now):
                continue
            _deliver(delivery, now)
            tried += 1
    return tried


# --- what each event says, to whom -------------------------------------------------------------


def _mission(mission: Any) -> dict[str, Any]:
    return {"id": mission.pk, "reference": mission.reference, "host": mission.host_id}


def application_payloads(application: Any, *, choice: Any = None) -> dict[int, dict[str, Any]]:
    """The sending organisation learns of every choice; each host only of its own missions."""
    choices = [choice] if choice is not None else list(
        application.choices.select_related("mission").order_by("rank"))
    base = {"application": {"id": application.pk, "status": application.status,
                            "sending_organisation": application.sending_organisation_id,
                            "volunteer_reference": application.volunteer.reference}}

    def view(visible: list[Any]) -> dict[str, Any]:
        return {**base, "choices": [{"rank": c.rank, "status": c.status,
                                     "mission": _mission(c.mission)} for c in visible]}

    payloads: dict[int, dict[str, Any]] = {}
    for host_id in {c.mission.host_id for c in choices}:
        payloads[host_id] = view([c for c in choices if c.mission.host_id == host_id])
    if application.sending_organisation_id:
        payloads[application.sending_organisation_id] = view(choices)
    return payloads


def placement_payloads(placement: Any) -> dict[int, dict[str, Any]]:
    data = {"placement": {
        "id": placement.pk, "status": placement.status, "mission": _mission(placement.mission),
        "start_date": placement.start_date.isoformat(), "end_date": placement.end_date.isoformat(),
        "application": placement.application_id,
        "volunteer_reference": placement.volunteer.reference,
    }}
    orgs = {placement.mission.host_id, placement.sending_organisation_id}
    return {org: data for org in orgs if org}


def webhooks_signal_overdue_steps(*, today: date, now: datetime) -> int:
    """Signal each open procedure step past its due date, once per step and due date."""
    from reciprocity.procedures.models import OPEN_STATUSES, ProcedureStep

    subscribed = {e.organisation_id for e in WebhookEndpoint.objects.filter(is_active=True)
                  if WebhookEvent.STEP_OVERDUE in e.events}
    if not subscribed:
        return 0
    steps = ProcedureStep.objects.filter(
        status__in=OPEN_STATUSES, due_by__lt=today
    ).select_related("procedure__placement__mission", "procedure__placement__volunteer")
    made = 0
    for step in steps:
        placement = step.procedure.placement
        orgs = {o for o in (placement.mission.host_id, placement.sending_organisation_id)
                if o is not None} & subscribed
        if not orgs:
            continue
        data = {"step": {"id": step.pk, "code": step.code, "owner": step.owner,
                         "status": step.status, "due_by": step.due_by.isoformat()
                         if step.due_by else None},
                "procedure": step.procedure_id, "placement": placement.pk,
                "volunteer_reference": placement.volunteer.reference}
        made += len(webhooks_enqueue(
            event=WebhookEvent.STEP_OVERDUE, payloads=dict.fromkeys(orgs, data), now=now,
            dedupe_key=f"step:{step.pk}:{step.due_by.isoformat() if step.due_by else ''}",
        ))
    return made
