"""The account page, with the person's private calendar URL and its reset (the feed itself is
served by procedures.calendar_views: it reads procedures, placements and offers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts import services
from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.models import CalendarFeedToken


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed = CalendarFeedToken.objects.filter(user=request.user).first()
    url = (request.build_absolute_uri(reverse("procedures:calendar_feed", args=[feed.token]))
           if feed is not None else "")
    return render(request, "accounts/account.html", {"calendar_url": url})


@login_required
@require_POST
def calendar_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Makes the feed on first use; afterwards a new secret, and the old URL answers 404."""
    existed = CalendarFeedToken.objects.filter(user=request.user).exists()
    services.calendar_feed_reset(user=request.user)
    messages.success(request, _("Your calendar link has been reset: the old one no longer works.")
                     if existed else _("Your calendar link is ready."))
    return redirect(reverse("accounts:account") + "#calendar")


@login_required
@require_POST
def calendar_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar link has been turned off."))
    return redirect(reverse("accounts:account") + "#calendar")
