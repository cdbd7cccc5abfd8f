"""One error shape for the whole API: {"code", "message", "details"}."""

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from reciprocity.core.exceptions import ApplicationError


class ErrorOut(Schema):
    code: str
    message: str
    details: Any = None


def _error(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
           details: Any = None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return _error(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", [])], "message": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return _error(api, request, 422, "invalid_input", _("The request is not valid."), details)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _error(api, request, 422, "invalid_input", _("The request is not valid."), details)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(api, request, 401, "unauthenticated", _("Sign in or give a valid API token."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, "forbidden", str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(Throttled)
    def rate_limited(request: HttpRequest, exc: Throttled) -> HttpResponse:
        # ninja adds the Retry-After header (seconds) to this response.
        retry_after = math.ceil(exc.wait) if exc.wait else None
        return _error(api, request, 429, "rate_limited",
                      _("Too many requests: wait before trying again."),
                      {"retry_after": retry_after} if retry_after else None)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _error(api, request, exc.status_code, "error", str(exc))


# Responses every authenticated operation may give, for the OpenAPI schema.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
