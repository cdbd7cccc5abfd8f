"""Domain errors carry a stable code and a translated, full-sentence message."""

from typing import Any


class ApplicationError(Exception):
    """An anticipated refusal: invalid input or an operation the rules forbid."""

    code = "refused"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details if details is not None else {}


class InvalidTransition(ApplicationError):
    code = "invalid_transition"
    status = 409


class NotAllowed(ApplicationError):
    code = "forbidden"
    status = 403


class CapacityExceeded(ApplicationError):
    code = "capacity_exceeded"
    status = 409
