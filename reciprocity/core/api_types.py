"""What a request body of the API may be: strict, bounded and clean, so that the API accepts
exactly what its OpenAPI schema says and no input reaches the database in a form it rejects.

- `Input` is the base of every JSON body: a JSON object only (`[]`, `"text"` or `null` are
  refused), no field the schema does not name (a misspelt field is an error, not silently
  ignored), and strict types: `false` is not the integer 0, `"5"` is not 5. A number with no
  fraction is an integer whatever its spelling (`2.0`), as JSON and JSON Schema have it.
  ninja's own `Schema` reads attributes off any value and pydantic's lax mode turns booleans
  into integers; both made the API accept bodies its schema forbids.
- `Day` is a date written YYYY-MM-DD (JSON has no dates: strictness would refuse every date,
  so this field type alone is lax, and only about its text) within years the calendar and the
  database both accept.
- `ShortText` and `LongText` are bounded strings without NUL (PostgreSQL refuses NUL bytes).
- Ids, offsets and limits come from core.bounds.

Every failure is ninja's ValidationError: 422 `invalid_input` in the API's error shape
(core.api_errors), with the location of each problem.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


def _whole_numbers_as_int(value: Any) -> Any:
    """JSON has one number type: `2.0` is the integer 2 (strict validation would refuse it)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers_as_int(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_numbers_as_int(v) for k, v in value.items()}
    return value


def _written_day(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        return value  # pydantic reads YYYY-MM-DD and refuses impossible days
    raise ValueError("A date is written YYYY-MM-DD.")


ShortText = Annotated[str, Field(max_length=2000), AfterValidator(_no_nul)]
LongText = Annotated[str, Field(max_length=20000), AfterValidator(_no_nul)]
Day = Annotated[date, Strict(False), BeforeValidator(_written_day), Field(ge=FIRST_DAY, le=LAST_DAY)]


class Input(BaseModel):
    """Base of the API's request bodies (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="wrap")
    @classmethod
    def _object_only(cls, value: Any, handler: Any) -> Any:
        if not isinstance(value, dict | BaseModel):
            raise ValueError("The request body must be a JSON object.")
        return handler(_whole_numbers_as_int(value))


class EmptyBodyAsObjectMiddleware:
    """Under /api/, a POST, PUT or PATCH without a body reads as `{}`.

    Operations whose fields are all optional (confirm a placement, accept a choice: the reasons
    are only needed in some cases) then work for clients that send nothing, as they did before
    those fields existed, while every body keeps one strict object schema. An operation with
    required fields still answers 422 naming them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method in ("POST", "PUT", "PATCH") and request.path.startswith("/api/")
                and not (request.content_type or "").startswith("multipart/")
                and request.META.get("CONTENT_LENGTH", "0") in ("", "0") and request.body == b""):
            request._body = b"{}"  # noqa: SLF001 (Django's own cache of the read body)
            request.META["CONTENT_TYPE"] = "application/json"
            request.content_type = "application/json"
        return self.get_response(request)


def document_optional_bodies(schema: dict[str, Any]) -> None:
    """Say in the OpenAPI schema that a body whose fields are all optional may be left out,
    as EmptyBodyAsObjectMiddleware reads a missing body as `{}`."""
    components = schema.get("components", {}).get("schemas", {})
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            content = (body or {}).get("content", {}).get("application/json")
            ref = (content or {}).get("schema", {}).get("$ref", "")
            component = components.get(ref.rsplit("/", 1)[-1]) if ref else None
            if body is not None and component is not None and not component.get("required"):
                body["required"] = False
