from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, qs: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """A page of `qs` from `?page=`; a bad or out-of-range number gives the nearest page."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))
