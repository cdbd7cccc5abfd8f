"""Input types shared by the workflow APIs: bounded ids and clean text, so no input reaches the
database in a form it rejects (a 20-digit id overflows a bigint; PostgreSQL refuses NUL bytes)."""

from typing import Annotated

from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
ShortText = Annotated[str, Field(max_length=2000), AfterValidator(_no_nul)]
LongText = Annotated[str, Field(max_length=20000), AfterValidator(_no_nul)]
