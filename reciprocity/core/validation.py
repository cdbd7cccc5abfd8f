"""Refusing invalid data by field, before the database does.

A service that writes a row checks every rule its table's constraints enforce and raises
`InvalidData` with a translated message per field; the page puts each message under its field
(`add_to_form`) and the API answers 400 `invalid_input` with the same `details`. The database
constraints stay the last line: a row written between the check and the insert by someone else
ends in an IntegrityError, which `saved` turns into the same kind of refusal (never a 500).
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from reciprocity.core.exceptions import ApplicationError

ALL = "__all__"


class InvalidData(ApplicationError):
    """Input that breaks a rule of the data; `details` maps each field to its messages."""

    code = "invalid_input"
    status = 400

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        details = {field: [str(m) for m in messages] for field, messages in errors.items()
                   if messages}
        first = next(iter(details.values()))[0] if details else _("The data is not valid.")
        super().__init__(first, details=details)


class Errors:
    """Collects messages by field; `raise_if_any` refuses them all at once, so a person fixes
    every problem of a form in one go."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def check_fields(self, instance: models.Model, *, exclude: Sequence[str] = ()) -> None:
        """Django's own field checks (lengths, choices, e-mail and URL syntax, countries, blank
        values), with Django's translated messages; constraints are checked by the caller with
        messages that say what to do."""
        try:
            instance.full_clean(exclude=list(exclude), validate_unique=False,
                                validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add(ALL if field == NON_FIELD_ERRORS else field, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise InvalidData(self.by_field)


@contextmanager
def saved() -> Iterator[None]:
    """Wrap the writes that the checks cleared: a constraint that fails anyway (a concurrent
    write got there first) is a refusal with a message, not a server error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise InvalidData({ALL: [_(
            "Another change was saved at the same moment and conflicts with this one. Check the "
            "values and try again.")]}) from None


def add_to_form(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: each message under its field when the form has
    that field, above the form otherwise."""
    details: Any = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for field, messages in details.items():
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(field if field in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, exc.message)
