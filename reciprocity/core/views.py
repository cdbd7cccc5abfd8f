from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reciprocity.core.selectors import home_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", home_summary(user=request.user))
