from typing import Annotated, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

from reciprocity.core.bounds import MAX_LIMIT, Offset

PAGE_SIZE = 25


def paginate(request: HttpRequest, qs: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """A page of `qs` from `?page=`; a bad or out-of-range number gives the nearest page."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def bounded_pagination(*, default: int, maximum: int = MAX_LIMIT) -> type[LimitOffsetPagination]:
    """Limit/offset pagination for an API list, its numbers bounded (core.bounds): ninja's own
    accepts any offset and, unless configured, any limit, and a 20-digit one overflows the
    database's integers. `default` and `maximum` are the endpoint's page size and largest page."""
    if not 1 <= default <= maximum <= MAX_LIMIT:
        raise ValueError("Need 1 <= default <= maximum <= MAX_LIMIT.")

    class BoundedPagination(LimitOffsetPagination):
        # ninja reads the query schema from the nested class `Input` (its docs' pattern).
        class Input(LimitOffsetPagination.Input):
            limit: Annotated[int, Field(ge=1, le=maximum, description="Items per page.")] = default
            offset: Offset = Field(0, description="Items to skip.")

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(max_limit=maximum, **kwargs)

    return BoundedPagination
