from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from reciprocity.core.pagination import paginate
from reciprocity.missions.selectors import mission_list, missions_visible_to, with_places_left
from reciprocity.schemes.models import Scheme


def mission_index(request: HttpRequest) -> HttpResponse:
    """The public catalogue: works for anonymous visitors and without JavaScript."""
    filters = {k: request.GET.get(k, "").strip() for k in ("scheme", "country", "q")}
    qs = mission_list(
        user=request.user, scheme=filters["scheme"], country=filters["country"], search=filters["q"]
    )
    context = {"page": paginate(request, qs), "filters": filters, "schemes": Scheme.objects.all()}
    return render(request, "missions/mission_list.html", context)


def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qs = with_places_left(missions_visible_to(request.user).select_related("host", "scheme", "programme"))
    mission = get_object_or_404(qs, pk=pk)
    return render(request, "missions/mission_detail.html", {"mission": mission})
