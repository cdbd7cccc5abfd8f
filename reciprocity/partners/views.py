from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.pagination import paginate
from reciprocity.partners.membership import can_see_members
from reciprocity.partners.models import Affiliation
from reciprocity.partners.permissions import can_edit_contacts, managed_ids
from reciprocity.partners.selectors import organisation_list, organisations_visible_to


@login_required
def organisation_index(request: HttpRequest) -> HttpResponse:
    qs = organisation_list(
        user=request.user, country=request.GET.get("country", ""), search=request.GET.get("q", "")
    )
    return render(request, "partners/organisation_list.html", {"page": paginate(request, qs)})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    affiliations = list(
        Affiliation.objects.filter(member=organisation).select_related("member", "parent")
        .order_by("-valid_from", "pk"))
    affiliates = list(
        Affiliation.objects.filter(parent=organisation).select_related("member", "parent")
        .order_by("member__name", "-valid_from", "pk"))
    # The rule of services.can_manage_affiliation, with the managed set read once for the page.
    staff = is_platform_staff(request.user)
    managed = set() if staff else managed_ids(request.user, today=today)
    editable = {affiliation.pk for affiliation in affiliations + affiliates
                if staff or (not affiliation.member.is_coordinator
                             and affiliation.parent_id in managed)}
    context = {
        "organisation": organisation,
        "today": today,
        "can_see_members": can_see_members(request.user, organisation),
        "can_manage": staff or organisation.pk in managed,
        "can_edit": can_edit_contacts(request.user, organisation, today=today),
        # Anyone who manages an organisation may make another join it (or its network).
        "can_affiliate": staff or bool(managed),
        "affiliations": affiliations,
        "affiliates": affiliates,
        "editable_affiliations": editable,
        "accreditations": organisation.accreditations.select_related("scheme").order_by("-valid_to"),
    }
    return render(request, "partners/organisation_detail.html", context)
