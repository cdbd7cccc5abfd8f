from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from reciprocity.accounts.membership import can_see_members
from reciprocity.core.pagination import paginate
from reciprocity.missions.selectors import missions_visible_to
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
    context = {
        "organisation": organisation,
        "can_see_members": can_see_members(request.user, organisation),
        "accreditations": organisation.accreditations.select_related("scheme").order_by("-valid_to"),
        "missions": missions_visible_to(request.user).filter(host=organisation).order_by("-start_date")[:20],
    }
    return render(request, "partners/organisation_detail.html", context)
