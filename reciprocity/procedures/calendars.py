"""Calendars (iCalendar, RFC 5545): a person's private feed and one `.ics` per placement.

What goes in (docs/exports-and-calendars.md):
- the procedure steps of the placements the person sees (the steps they own and those they
  follow), each on its deadline as an all-day event, its status in the summary;
- the start and end of the mission of each placement (two all-day events);
- the deadline of each pending offer of a place (applications' Offer).

UIDs are stable (`step-12@reciprocity`, ...): a calendar application that reloads the feed
updates an event in place instead of adding a copy. This module sits in procedures, the highest
of the three apps it reads (procedures > placements > applications). `today` and `now` (each
event's DTSTAMP, the moment the calendar was made) are passed in by the view.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from reciprocity.accounts.selectors import AnyUser
from reciprocity.applications.models import Offer, OfferStatus
from reciprocity.applications.selectors import offers_visible_to
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.selectors import placements_visible_to
from reciprocity.procedures.models import ProcedureStep
from reciprocity.procedures.selectors import steps_visible_to

UID_DOMAIN = "reciprocity"
# Placements still ahead or running: a feed is for what is coming, not the archive.
FEED_PLACEMENT_STATUSES = (PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED,
                           PlacementStatus.IN_MISSION)
# What has just passed stays visible for a month, then leaves the feed.
PAST_DAYS = 31
# A platform-staff feed would otherwise hold the whole network: the nearest events only.
MAX_EVENTS_PER_KIND = 1000


def _all_day(uid: str, day: date, summary: str, *, description: str = "", url: str = "",
             stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a deadline does not make the person busy
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Reciprocity//Calendars//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _step_events(steps: Iterable[ProcedureStep], *, base_url: str, stamp: datetime
                 ) -> list[Event]:
    events = []
    for step in steps:
        day = step.due_by or step.due_from
        if day is None:
            continue
        placement = step.procedure.placement
        summary = f"[{step.get_status_display()}] {step.title}"
        if step.due_by is None:  # only a start date is known: say so
            summary = f"[{step.get_status_display()}] " + _("From this day: %(step)s") % {
                "step": step.title}
        events.append(_all_day(
            f"step-{step.pk}", day, summary, stamp=stamp,
            description=f"{placement.volunteer} — {placement.mission.title} "
                        f"({placement.mission.host.name})",
            url=base_url + reverse("procedures:detail", args=[step.procedure_id]) + f"#step-{step.code}",
        ))
    return events


def _placement_events(placements: Iterable[Placement], *, base_url: str, stamp: datetime
                      ) -> list[Event]:
    events = []
    for p in placements:
        where = f"{p.volunteer} — {p.mission.title} ({p.mission.host.name})"
        url = base_url + reverse("placements:detail", args=[p.pk])
        events.append(_all_day(f"placement-{p.pk}-start", p.start_date,
                               _("Mission starts: %(mission)s") % {"mission": p.mission.title},
                               description=where, url=url, stamp=stamp))
        events.append(_all_day(f"placement-{p.pk}-end", p.end_date,
                               _("Mission ends: %(mission)s") % {"mission": p.mission.title},
                               description=where, url=url, stamp=stamp))
    return events


def _offer_events(offers: Iterable[Offer], *, base_url: str, stamp: datetime) -> list[Event]:
    return [
        _all_day(f"offer-{o.pk}", o.deadline,
                 _("Answer the offer of a place by today: %(mission)s")
                 % {"mission": o.choice.mission.title},
                 description=f"{o.choice.application.volunteer} — {o.choice.mission.host.name}",
                 url=base_url + reverse("applications:detail", args=[o.choice.application_id]), stamp=stamp)
        for o in offers
    ]


def personal_feed(*, user: AnyUser, today: date, now: datetime, base_url: str) -> bytes:
    """The person's private feed: what is coming on the placements and offers they see."""
    since = today - timedelta(days=PAST_DAYS)
    stamp = now
    placements = (
        placements_visible_to(user).filter(status__in=FEED_PLACEMENT_STATUSES, end_date__gte=since)
        .select_related("volunteer", "mission__host").order_by("start_date", "pk")
    )[:MAX_EVENTS_PER_KIND]
    steps = (
        steps_visible_to(user)
        .filter(procedure__placement__status__in=FEED_PLACEMENT_STATUSES)
        .filter(Q(due_by__gte=since) | Q(due_by__isnull=True, due_from__gte=since))
        .select_related("procedure__placement__volunteer", "procedure__placement__mission__host")
        .order_by("due_by", "due_from", "pk")
    )[:MAX_EVENTS_PER_KIND]
    offers = (offers_visible_to(user).filter(status=OfferStatus.PENDING, deadline__gte=since)
              .order_by("deadline", "pk"))[:MAX_EVENTS_PER_KIND]
    calendar = _calendar(_("Reciprocity: deadlines and missions"))
    for event in (_step_events(steps, base_url=base_url, stamp=stamp)
                  + _placement_events(placements, base_url=base_url, stamp=stamp)
                  + _offer_events(offers, base_url=base_url, stamp=stamp)):
        calendar.add_component(event)
    return calendar.to_ical()


def placement_calendar(*, placement: Placement, now: datetime, base_url: str) -> bytes:
    """One placement: its mission's dates, every dated step of its procedure, its offer."""
    stamp = now
    steps = (ProcedureStep.objects.filter(procedure__placement=placement)
             .select_related("procedure__placement__volunteer",
                             "procedure__placement__mission__host")
             .order_by("position", "pk"))
    offers = Offer.objects.filter(placement=placement, status=OfferStatus.PENDING).select_related(
        "choice__application__volunteer", "choice__mission__host")
    calendar = _calendar(str(placement.mission.title))
    for event in (_placement_events([placement], base_url=base_url, stamp=stamp)
                  + _step_events(steps, base_url=base_url, stamp=stamp)
                  + _offer_events(offers, base_url=base_url, stamp=stamp)):
        calendar.add_component(event)
    return calendar.to_ical()
