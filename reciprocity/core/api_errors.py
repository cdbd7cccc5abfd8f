"""One error shape for the whole API: {"code", "message", "details"}, whatever the status.

ninja's operations answer their errors through the handlers below, an unhandled exception
included (500 `server_error`, logged and signalled as Django does for an uncaught one). What
happens outside an operation (a path no operation has, a method it does not take, an exception
in authentication or a middleware) comes back from Django as an HTML page: `ApiErrorMiddleware`
gives those the same JSON shape for every path under /api/, in DEBUG too.
"""

import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
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

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        # What Django answers 400 to (a multipart body without its boundary, too many fields):
        # the Exception handler below must not make those server errors.
        return _error(api, request, 400, "bad_request", _("The request cannot be read."))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # As Django does for an uncaught exception: the signal (error reporters, and the test
        # client re-raising it) and the django.request log with the traceback. The client
        # learns nothing of the bug itself.
        got_request_exception.send(sender=None, request=request)
        response = _error(api, request, 500, "server_error", _server_error_message())
        log_response("Internal Server Error: %s", request.path, response=response,
                     request=request, exception=exc)
        return response


def _server_error_message() -> str:
    return _("The server failed to answer this request; the error is logged. Try again later.")


def document_common_errors(schema: dict) -> dict:
    """Say in the OpenAPI schema what any operation may answer beside its own refusals, all in
    the error shape: 403 (a session whose second factor is pending; a read-only token or one of
    another organisation), 400 and 422 for an operation that takes a body (unreadable, or not
    what the schema says), 500 (a bug: logged). Clients and schema-driven checks
    (schemathesis' status-code conformance) then expect them."""
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    common = {
        403: "Forbidden: the caller may not do this (role, token scope or organisation, or a "
             "second factor still to pass).",
        500: "Server error: the failure is logged; the body says nothing of it.",
    }
    with_body = {
        400: "The body cannot be read (not JSON, a broken multipart form) or breaks a rule.",
        422: "The request does not fit the schema; `details` locates each problem.",
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            documented = {str(status) for status in responses}
            extra = {**common, **(with_body if "requestBody" in operation else {})}
            for status, description in extra.items():
                if str(status) not in documented:
                    responses[status] = {"description": description, **error}
    return schema


# Codes of the errors Django itself answers under /api/ (see ApiErrorMiddleware).
CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 406: "not_acceptable", 413: "too_large",
         415: "unsupported_media_type", 429: "rate_limited", 500: "server_error"}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def _is_api(request: HttpRequest) -> bool:
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def _message(status: int) -> str:
    messages = {
        404: _("Not found."),
        405: _("This method is not allowed here."),
        500: _server_error_message(),
    }
    return messages.get(status) or _("The request cannot be answered (HTTP %(status)d).") % {
        "status": status}


class ApiErrorMiddleware:
    """Any error under /api/ that is not JSON yet gets the API's error shape (and keeps the
    headers that matter: Allow, Retry-After...). Place it early: it then sees the errors of the
    middlewares after it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code < 400 or not _is_api(request)
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        status = response.status_code
        details: dict[str, Any] = {}
        if status == 405 and response.has_header("Allow"):
            details["allowed"] = [m.strip() for m in response["Allow"].split(",") if m.strip()]
        replacement = JsonResponse(
            {"code": CODES.get(status, "error"), "message": _message(status), "details": details},
            status=status,
        )
        for header in KEPT_HEADERS:
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement


# Responses every authenticated operation may give, for the OpenAPI schema.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
