from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The organisations the signed-in user belongs to, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_organisations": []}
    return {
        "my_organisations": [
            m.organisation for m in user.memberships.select_related("organisation")
        ]
    }
