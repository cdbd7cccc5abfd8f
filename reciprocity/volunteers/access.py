"""Recording reads of volunteers' personal data at the interfaces (docs/data-protection.md §4).

The pages call `services.personal_data_access_record` themselves; the API endpoints that return
a volunteer's name or identity facts use the helpers below, so that every endpoint writes the
same kind of row: one `PersonalDataAccess` per person for a read of one record, and one
`PersonalDataBulkAccess` per request for a list (a page of a list holds up to a thousand people).
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest

from reciprocity.volunteers.models import AccessAction, AccessChannel, Volunteer
from reciprocity.volunteers.services import (
    personal_data_access_record,
    personal_data_bulk_access_record,
)


def api_read(request: HttpRequest, volunteer: Volunteer, *, what: str = "") -> None:
    """One person's data returned by an API endpoint."""
    detail = f"{request.method} {request.path}" + (f" ({what})" if what else "")
    personal_data_access_record(
        volunteer=volunteer, actor=request.user, action=AccessAction.VIEW,
        channel=AccessChannel.API, detail=detail,
    )


def api_list(request: HttpRequest, volunteer_ids: Iterable[int]) -> None:
    """Several people's data returned by one API request (the page actually returned)."""
    personal_data_bulk_access_record(
        volunteer_ids=volunteer_ids, actor=request.user, action=AccessAction.LIST,
        channel=AccessChannel.API, source=f"{request.method} {request.get_full_path()}",
    )


def logs_listed_volunteers(view: Callable[..., Any]) -> Callable[..., Any]:
    """For a paginated django-ninja list whose items have a `volunteer_id`: put it between
    `@router.get` and `@paginate`, so it sees the page returned, not the whole query."""

    @wraps(view)
    def logged(request: HttpRequest, **kwargs: Any) -> Any:
        result = view(request, **kwargs)
        items = result["items"] if isinstance(result, dict) else result
        api_list(request, (item.volunteer_id for item in items))
        return result

    return logged
