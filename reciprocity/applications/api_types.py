"""Input types shared by the workflow APIs: bounded ids and clean text, so no input reaches the
database in a form it rejects (a 20-digit id overflows a bigint; PostgreSQL refuses NUL bytes)."""

from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, model_validator


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


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

