"""Key rotation for every column encrypted at rest (docs/decisions/0013-encryption-key-rotation.md).

Two kinds of column are encrypted under keys derived from `FIELD_ENCRYPTION_KEY`: identity
numbers and webhook secrets (Fernet, `core/fields.py`) and django-otp's TOTP secrets (AES-GCM,
`accounts/two_factor/sealing.py`). Both read with the current key and then with each key of
`FIELD_ENCRYPTION_OLD_KEYS`, and write with the current key only. Their field classes implement
`RotatableEncryptedField`, so this module finds every such column through the app registry
without importing any app (core is the bottom layer), and:

- `encryption_check()` counts the values readable with the current key, only with an old key,
  with no key, and (TOTP secrets from before their migration) still in clear;
- `encryption_rotate()` rewrites every value not under the current key, a batch of rows per
  transaction, and stops at the first value no key reads (its batch rolled back). Each batch
  written sends `encrypted_values_rewritten` inside its transaction: the audit log answers it,
  so the record of a batch commits with the batch or not at all.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.functions import Cast
from django.dispatch import Signal

DEFAULT_BATCH_SIZE = 500

#: Sent inside each batch's transaction once its rows are rewritten: sender is the model,
#: `fields` maps each field name to the number of its values rewritten, `pks` lists the rows.
encrypted_values_rewritten = Signal()


class KeyState(enum.Enum):
    CURRENT = "current"  # readable with FIELD_ENCRYPTION_KEY
    OLD = "old"  # readable only with a key of FIELD_ENCRYPTION_OLD_KEYS
    UNREADABLE = "unreadable"  # no configured key reads it
    CLEAR = "clear"  # not encrypted (a TOTP secret from before accounts.0007)


def key_materials() -> list[str]:
    """The key strings, current first: FIELD_ENCRYPTION_KEY (locally SECRET_KEY when unset),
    then FIELD_ENCRYPTION_OLD_KEYS in their order, without repeats."""
    current = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    keys = [current]
    for old in getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ()):
        if old and old not in keys:
            keys.append(old)
    return keys


T = TypeVar("T")


def opened_with_keys(open_with: Callable[[str], T],
                     errors: tuple[type[Exception], ...]) -> tuple[KeyState, T | None]:
    """What the first configured key that opens a value gives (`open_with(key)`, which raises
    one of `errors` when the key does not fit), and whether that key is the current one or an
    old one; (UNREADABLE, None) when none fits. The one place that knows the keys' order."""
    for index, key in enumerate(key_materials()):
        try:
            opened = open_with(key)
        except errors:
            continue
        return (KeyState.CURRENT if index == 0 else KeyState.OLD), opened
    return KeyState.UNREADABLE, None


class RotatableEncryptedField:
    """What a field class encrypted at rest offers to the rotation: both methods take the value
    as stored in the column (never empty)."""

    def stored_key_state(self, stored: str) -> KeyState:
        raise NotImplementedError

    def stored_reencrypted(self, stored: str) -> str:
        """The same clear value encrypted under the current key; `UnreadableValue` if no key
        reads it."""
        raise NotImplementedError


class UnreadableValue(Exception):
    """A stored value that no configured key decrypts."""

    def __init__(self, model: type[models.Model] | None = None, field_name: str = "",
                 pk: Any = None) -> None:
        super().__init__(f"{model._meta.label if model else '?'}.{field_name} #{pk}")
        self.model, self.field_name, self.pk = model, field_name, pk


def encrypted_columns() -> list[tuple[type[models.Model], list[models.Field[Any, Any]]]]:
    """Every concrete model with columns encrypted at rest, and those columns, in label order."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields: list[models.Field[Any, Any]] = [f for f in model._meta.local_concrete_fields
                  if isinstance(f, RotatableEncryptedField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda pair: pair[0]._meta.label)


def _raw_rows(model: type[models.Model], fields: list[models.Field[Any, Any]],
              queryset: models.QuerySet[Any]) -> list[tuple[Any, ...]]:
    # Cast to text: the values as stored, past the field's decryption in from_db_value.
    raw = {f"_stored_{f.name}": Cast(f.name, models.TextField()) for f in fields}
    return list(queryset.annotate(**raw).values_list("pk", *raw).order_by("pk"))


def _batches(model: type[models.Model], batch_size: int) -> Iterator[list[Any]]:
    """The model's primary keys, in ascending batches (keyset pagination: rows added meanwhile
    after the last batch are still seen)."""
    rows = model._base_manager.using(DEFAULT_DB_ALIAS).order_by("pk")
    last = None
    while True:
        page = rows.filter(pk__gt=last) if last is not None else rows
        pks = list(page.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return
        yield pks
        last = pks[-1]


@dataclass
class ColumnCount:
    """One encrypted column: how many values are in each key state, how many were rewritten."""

    model: str
    field: str
    states: dict[KeyState, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(KeyState, 0))
    rewritten: int = 0


@dataclass
class Report:
    columns: list[ColumnCount]
    failed: UnreadableValue | None = None

    @property
    def unreadable(self) -> int:
        return sum(c.states[KeyState.UNREADABLE] for c in self.columns)


def _new_counts() -> tuple[Report, dict[tuple[str, str], ColumnCount]]:
    columns = [ColumnCount(model._meta.label, f.name)
               for model, fields in encrypted_columns() for f in fields]
    return Report(columns), {(c.model, c.field): c for c in columns}


def encryption_check(*, batch_size: int = DEFAULT_BATCH_SIZE) -> Report:
    """Count every non-empty encrypted value by the key that reads it. Writes nothing."""
    report, by_column = _new_counts()
    for model, fields in encrypted_columns():
        for pks in _batches(model, batch_size):
            qs = model._base_manager.using(DEFAULT_DB_ALIAS).filter(pk__in=pks)
            for _pk, *stored in _raw_rows(model, fields, qs):
                for f, value in zip(fields, stored, strict=True):
                    if value:
                        state = f.stored_key_state(value)  # type: ignore[attr-defined]
                        by_column[model._meta.label, f.name].states[state] += 1
    return report


def encryption_rotate(*, dry_run: bool = False, batch_size: int = DEFAULT_BATCH_SIZE) -> Report:
    """Rewrite under the current key every value stored under an old key (or in clear), one
    transaction per batch of rows, the rows locked while they are read and rewritten.

    Idempotent: values already under the current key are left as they are, so a second run
    rewrites nothing. At the first value no key reads, its batch is rolled back and the report
    comes back with `failed` set; the batches before it stay written (readable with the current
    key). `dry_run` counts what would be rewritten and writes nothing.
    """
    report, by_column = _new_counts()
    try:
        for model, fields in encrypted_columns():
            for pks in _batches(model, batch_size):
                _rotate_batch(model, fields, pks, by_column, dry_run=dry_run)
    except UnreadableValue as failure:
        report.failed = failure
    return report


def _rotate_batch(model: type[models.Model], fields: list[models.Field[Any, Any]], pks: list[Any],
                  by_column: dict[tuple[str, str], ColumnCount], *, dry_run: bool) -> None:
    label = model._meta.label
    states: list[tuple[str, KeyState]] = []
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        qs = model._base_manager.using(DEFAULT_DB_ALIAS).filter(pk__in=pks).select_for_update()
        updates: list[tuple[Any, dict[str, str]]] = []
        for pk, *stored in _raw_rows(model, fields, qs):
            changes = {}
            for f, value in zip(fields, stored, strict=True):
                if not value:
                    continue
                state = f.stored_key_state(value)  # type: ignore[attr-defined]
                if state is KeyState.UNREADABLE:
                    raise UnreadableValue(model, f.name, pk)
                states.append((f.name, state))
                if state is not KeyState.CURRENT:
                    try:
                        changes[f.name] = f.stored_reencrypted(value)  # type: ignore[attr-defined]
                    except UnreadableValue:  # its key left the settings meanwhile
                        raise UnreadableValue(model, f.name, pk) from None
            if changes:
                updates.append((pk, changes))
        if not dry_run:
            for pk, changes in updates:
                # Value(..., TextField()): the ciphertext goes in as it is, not encrypted again
                # by the field's get_prep_value.
                model._base_manager.using(DEFAULT_DB_ALIAS).filter(pk=pk).update(
                    **{name: models.Value(v, output_field=models.TextField())
                       for name, v in changes.items()})
            if updates:
                rewritten: dict[str, int] = {}
                for _pk, changes in updates:
                    for name in changes:
                        rewritten[name] = rewritten.get(name, 0) + 1
                encrypted_values_rewritten.send(sender=model, fields=rewritten,
                                                pks=[pk for pk, _c in updates])
    # Counted only once the batch is committed (or, dry, would be).
    for name, state in states:
        column = by_column[label, name]
        column.states[state] += 1
        if state is not KeyState.CURRENT:
            column.rewritten += 1
