"""The dataclasses as JSON-ready dicts and back (dates as ISO strings, amounts as strings)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from .pef import PefProject
from .vef import Vef, VefLanguage


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def to_json(record: PefProject | Vef) -> dict[str, Any]:
    return _plain(record)


_DATE_FIELDS = {
    "start_date", "end_date", "last_update", "hide_prj_date", "birthdate", "date_filed",
    "tmp_until", "place_any_prj_from", "place_any_prj_to",
}


def _typed(data: dict[str, Any], cls: type) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            continue  # a field of an older version of this code
        if key in _DATE_FIELDS and isinstance(value, str) and value:
            value = date.fromisoformat(value)
        elif key == "participation_fee" and value is not None:
            value = Decimal(str(value))
        values[key] = value
    return values


def project_from_json(data: dict[str, Any]) -> PefProject:
    return PefProject(**_typed(data, PefProject))


def vef_from_json(data: dict[str, Any]) -> Vef:
    values = _typed(data, Vef)
    values["languages"] = [VefLanguage(**lang) for lang in values.get("languages", [])]
    return Vef(**values)
