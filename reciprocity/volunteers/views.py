from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from reciprocity.core.pagination import paginate
from reciprocity.volunteers.selectors import volunteer_list, volunteers_visible_to


@login_required
def volunteer_index(request: HttpRequest) -> HttpResponse:
    qs = volunteer_list(user=request.user, search=request.GET.get("q", "").strip())
    return render(request, "volunteers/volunteer_list.html", {"page": paginate(request, qs)})


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(
        volunteers_visible_to(request.user).select_related("sending_organisation"), pk=pk
    )
    placements = volunteer.placements.select_related("mission", "mission__host").order_by("-start_date")
    return render(
        request, "volunteers/volunteer_detail.html", {"volunteer": volunteer, "placements": placements}
    )
