"""Which menu entries a user gets: the one place that decides it.

Each entry is shown only to the people who can use the page behind it; the pages still check
their own permissions (a hidden link is not a lock). This module sits beside `urls.py` because,
like it, it knows every app; the apps know nothing of it.
"""

from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, memberships_of
from reciprocity.applications.permissions import can_nominate
from reciprocity.conversations.selectors import unread_total
from reciprocity.matching.permissions import can_run_placements
from reciprocity.menu import caching as menu_caching
from reciprocity.partners.permissions import runs_the_network


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str | Promise
    url_name: str
    # "main" entries are the header's; "applications" ones are the actions on the applications
    # page (their visibility is decided here all the same).
    group: str = "main"


def menu_for(user: AnyUser) -> list[MenuEntry]:
    """The entries `user` gets, in display order."""
    return entries_for(menu_facts(user))


def menu_facts(user: AnyUser) -> dict[str, bool]:
    """What the menu needs to know of `user` (the queries), as plain booleans that the menu's
    cache (reciprocity/menu/caching.py) can keep; empty for an anonymous visitor."""
    if not user.is_authenticated:
        return {}
    staff = is_platform_staff(user)
    memberships = list(memberships_of(user).select_related("organisation"))
    member = staff or bool(memberships)
    hosts = staff or any(m.organisation.is_host for m in memberships)
    nominates = can_nominate(user)
    volunteer = getattr(user, "volunteer", None) is not None
    # Imports (imports/permissions.py): administrators and officers of a host, a sending
    # organisation, a national agency or a coordinator, and staff.
    imports = staff or any(
        m.role in (MembershipRole.ADMIN, MembershipRole.OFFICER) and (
            m.organisation.is_host or m.organisation.is_sending
            or m.organisation.is_national_agency or m.organisation.is_coordinator)
        for m in memberships)
    return {"signed_in": True, "staff": staff, "member": member, "hosts": hosts,
            "nominates": nominates, "volunteer": volunteer, "imports": imports,
            "runs_network": runs_the_network(user), "runs_placements": can_run_placements(user)}


def entries_for(facts: dict[str, bool]) -> list[MenuEntry]:
    """The entries, in display order, from `menu_facts` (no query)."""
    entries = [MenuEntry("missions", _("Missions"), "missions:list")]
    if not facts.get("signed_in"):
        return entries
    staff, member, hosts = facts["staff"], facts["member"], facts["hosts"]
    nominates, volunteer, imports = facts["nominates"], facts["volunteer"], facts["imports"]
    runs_network, runs_placements = facts["runs_network"], facts["runs_placements"]

    def add(key: str, label: str | Promise, url_name: str, when: bool, group: str = "main") -> None:
        if when:
            entries.append(MenuEntry(key, label, url_name, group))

    # Organisations, agreements and the balance are the network's business: its members' pages.
    add("organisations", _("Organisations"), "partners:list", member)
    add("agreements", _("Agreements"), "agreements:list", member)
    add("volunteers", _("Volunteers"), "volunteers:list", member)
    add("balance", _("Balance"), "balance:dashboard", member)
    # Next year's quotas are planned by whoever runs the network (planning/permissions.py).
    add("scenarios", _("Quota scenarios"), "planning:list", runs_network)
    add("applications", _("Applications"), "applications:list", True)
    add("placements", _("Placements"), "placements:list", True)
    add("notifications", _("Notifications"), "notifications:list", True)
    add("conversations", _("Messages"), "conversations:list", True)
    add("my_missions", _("My missions"), "missions:mine", hosts)
    add("due", _("What is due"), "procedures:due", True)
    add("matching", _("Placement runs"), "matching:list", runs_placements)
    # Pairing runs (binômes) are run by the same people as placement runs.
    add("pairing", _("Pairing runs"), "matching:pairing_list", runs_placements)
    add("imports", _("Imports"), "imports:index", imports)
    add("audit", _("Audit log"), "audit:log", staff)
    add("profile", _("My profile"), "volunteers:profile", volunteer)
    # A volunteer applies for themselves, a sending organisation's officer for its volunteers.
    add("apply", _("Apply for missions"), "applications:create", volunteer or nominates,
        group="applications")
    add("nominate", _("Nominate candidates"), "applications:nominate", nominates,
        group="applications")
    # Running the network (docs/accounts.md): the actions of the organisations and agreements
    # pages. Editing an existing organisation or agreement is offered on its own page.
    add("organisation_create", _("New organisation"), "partners:new", runs_network,
        group="organisations")
    add("agreement_create", _("New agreement"), "agreements:new", runs_network,
        group="agreements")
    add("programmes", _("Programmes"), "agreements:programmes", member, group="agreements")
    add("programme_create", _("New programme"), "agreements:programme_new", runs_network,
        group="agreements")
    return entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the header (`site_header`: its entries, unread count and account links,
    rendered once per person), every key the user gets (`menu_keys`, for the pages' actions),
    and the user's organisations. Computed on first use only (the 500 page and e-mails never
    touch it).

    The facts, the unread count and the header are one summary per user, cached
    (reciprocity/menu/caching.py: keyed by the user's id, invalidated by the writes that change
    them), so that a warm page reads its menu without a query."""
    user = getattr(request, "user", None)
    reader: AnyUser = user if user is not None else AnonymousUser()
    summary = SimpleLazyObject(lambda: menu_summary(reader))
    return {
        # A callable: the template calls it where base.html places it, and only there.
        "site_header": partial(site_header, request, cast("dict[str, Any]", summary)),
        "menu_keys": SimpleLazyObject(lambda: {e.key for e in entries_for(summary["facts"])}),
        "my_organisations": SimpleLazyObject(lambda: _organisations(user)),
    }


def menu_summary(user: AnyUser) -> dict[str, Any]:
    """{"facts": menu_facts, "unread": unread messages, "header": the header's HTML with its
    request slots}: computed, or this user's cached copy (per language, as every menu entry)."""
    if not user.is_authenticated:
        return {"facts": {}, "unread": 0}

    def compute() -> dict[str, Any]:
        facts, unread = menu_facts(user), unread_total(user=user)
        return {"facts": facts, "unread": unread, "header": _render_header(
            facts, unread, user.get_full_name() or user.get_username())}

    return menu_caching.summary_for(user, compute)


# Where the header's HTML takes what differs at each request. Escaped text never holds "<", so
# no name or label rendered into the header can be mistaken for a slot.
CSRF_SLOT = "<!--@csrf-->"
NEXT_SLOT = "<!--@next-->"
# The header of a visitor who is not signed in, per language: the same for everyone until the
# templates change, i.e. until the process restarts (not kept in DEBUG, where templates reload).
_ANONYMOUS_HEADERS: dict[str, str] = {}


def _render_header(facts: dict[str, bool], unread: int, display_name: str) -> str:
    """The header (templates/includes/site_header.html) for these menu facts: the template
    engine's slowest part of a cached page (about 1-2 ms of its 2-6), done once per person."""
    return render_to_string("includes/site_header.html", {
        "menu": [e for e in entries_for(facts) if e.group == "main"],
        "unread_messages": unread, "signed_in": bool(facts.get("signed_in")),
        "display_name": display_name,
        "csrf_slot": mark_safe(CSRF_SLOT), "next_slot": mark_safe(NEXT_SLOT)})  # noqa: S308


def site_header(request: HttpRequest, summary: dict[str, Any]) -> SafeString:
    """The header's HTML for this request: the person's (or a visitor's) rendered header with
    this request's CSRF token and path in its slots."""
    if "header" in summary:
        html = summary["header"]
    else:
        language = get_language()
        html = _ANONYMOUS_HEADERS.get(language) or _render_header({}, 0, "")
        if not settings.DEBUG:
            _ANONYMOUS_HEADERS[language] = html
    # get_token, as {% csrf_token %} does: a fresh mask of the secret, and the cookie is sent.
    return mark_safe(html.replace(CSRF_SLOT, get_token(request)).replace(  # noqa: S308
        NEXT_SLOT, escape(request.get_full_path())))


def _organisations(user: AnyUser | None) -> list[Any]:
    if user is None or not user.is_authenticated:
        return []
    return [m.organisation for m in user.memberships.select_related("organisation")]
