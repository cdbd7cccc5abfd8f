"""Input types shared by the workflow APIs: bounded ids and clean text, so no input reaches the
database in a form it rejects (a 20-digit id overflows a bigint; PostgreSQL refuses NUL bytes)."""

from typing import Annotated, Any

from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, ConfigDict, Field, model_validator

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
ShortText = Annotated[str, Field(max_length=2000), AfterValidator(_no_nul)]
LongText = Annotated[str, Field(max_length=20000), AfterValidator(_no_nul)]


class Input(Schema):
    """Base of request bodies: only a JSON object is a body (ninja's schemas would otherwise read
    attributes off any value, so `[1, 2]` or `"text"` passed as an empty body), and unknown
    fields are refused so that a misspelt field is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _object_only(cls, value: Any, handler: Any) -> Any:
        if not isinstance(value, dict | Schema):
            raise ValueError("The request body must be a JSON object.")
        return handler(value)


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset pagination whose numbers fit the database (an unbounded `?limit=` of 23
    digits overflows SQLite's integers and used to fail with a server error)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_ID)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=1000, **kwargs)
