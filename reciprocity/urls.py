from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from reciprocity.accounts import language
from reciprocity.api import api
from reciprocity.applications import urls as applications_urls
from reciprocity.core import health
from reciprocity.placements import urls as placements_urls
from reciprocity.volunteers import urls as volunteers_urls
from reciprocity.workflow import application_urls, placement_urls, volunteer_urls


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, asked for by browsers and tools that ignore the pages' <link rel="icon">:
    the icon is a static file (static/icons/, docs/design-system.md)."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))


urlpatterns = [
    path("", include("reciprocity.home.urls")),
    # Answered by core.health.HealthCheckMiddleware first; listed here for reverse() and the sweep.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("reciprocity.accounts.urls")),
    path("organisations/", include("reciprocity.partners.urls")),
    path("agreements/", include("reciprocity.agreements.urls")),
    path("missions/", include("reciprocity.missions.urls")),
    # Volunteers' own pages, then the personal-data export and anonymisation (the workflow's).
    path("volunteers/", include((
        volunteers_urls.urlpatterns + volunteer_urls.urlpatterns, volunteers_urls.app_name
    ))),
    # One namespace, two packages: applications' own pages, then the workflow's faces that
    # drive its use-cases (apply, decide, withdraw, answer an offer: ADR 0005, "faces").
    path("applications/", include((
        applications_urls.urlpatterns + application_urls.urlpatterns, applications_urls.app_name
    ))),
    # Placements' own pages, then the page's actions (confirm, start, ...: the workflow's).
    path("placements/", include((
        placements_urls.urlpatterns + placement_urls.urlpatterns, placements_urls.app_name
    ))),
    path("procedures/", include("reciprocity.procedures.urls")),
    path("balance/", include("reciprocity.balance.urls")),
    path("planning/", include("reciprocity.planning.urls")),
    path("notifications/", include("reciprocity.notifications.urls")),
    path("matching/", include("reciprocity.matching.urls")),
    path("exchange/", include("reciprocity.exchange.urls")),
    path("imports/", include("reciprocity.imports.urls")),
    path("conversations/", include("reciprocity.conversations.urls")),
    path("audit/", include("reciprocity.audit.urls")),
    # Django's language switch, which also saves a signed-in person's choice (accounts/language.py).
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
