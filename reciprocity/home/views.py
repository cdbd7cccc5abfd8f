from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reciprocity.home.selectors import home_summary


def home(request: HttpRequest) -> HttpResponse:
    # The page is open to anonymous visitors too; the clock is read here, at the edge.
    now = timezone.now()
    return render(request, "home/home.html",
                  home_summary(user=request.user, today=timezone.localdate(now), now=now))
