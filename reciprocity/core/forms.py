"""Typed helpers for Django forms.

`form.fields[name]` is typed as a plain `forms.Field`, which has no `queryset`; the forms that
narrow a model choice to what the user may pick go through `limit_choices` instead of a mypy
ignore comment.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offer only `queryset` in the model choice field `name` of `form`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField included
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset
