"""A text field encrypted at rest, for identity-document numbers (GDPR: least exposure).

Fernet under a key derived from FIELD_ENCRYPTION_KEY; the keys of FIELD_ENCRYPTION_OLD_KEYS, derived
the same way, still decrypt (cryptography's MultiFernet), so the key can be rotated
(`reciprocity encryption rotate`, core/encryption.py, ADR 0013).
"""

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.db import models

from reciprocity.core.encryption import (
    KeyState,
    RotatableEncryptedField,
    UnreadableValue,
    key_materials,
    opened_with_keys,
)


@lru_cache(maxsize=16)
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(key_material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet(key) for key in keys])


def _cipher() -> MultiFernet:
    # Production requires its own FIELD_ENCRYPTION_KEY, validated as a random secret in
    # settings.py, so the numbers never depend on a weak or rotated SECRET_KEY. Locally the
    # generated SECRET_KEY stands in, so a demo or test database stays readable. The first key
    # encrypts; every key decrypts (old ones listed in FIELD_ENCRYPTION_OLD_KEYS).
    return _multi_fernet(tuple(key_materials()))


class UnreadableCiphertext(str):
    """A value written under a key this process does not hold (a process started without the
    old key during a rotation): it reads as empty, never as ciphertext, but saving its row
    writes the stored ciphertext back unchanged, so an unrelated save cannot erase the number.
    Only a new value typed in replaces it."""

    stored: str

    def __new__(cls, stored: str) -> "UnreadableCiphertext":
        value = super().__new__(cls, "")
        value.stored = stored
        return value


class EncryptedTextField(RotatableEncryptedField, models.TextField):
    """Stores Fernet ciphertext; Python code only ever sees the clear value."""

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, UnreadableCiphertext):
            return value.stored
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return _cipher().encrypt(str(value).encode()).decode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        try:
            return _cipher().decrypt(value.encode()).decode()
        except InvalidToken:
            # Written under another key: never leak ciphertext as if it were the number, and
            # never lose it either (UnreadableCiphertext).
            return UnreadableCiphertext(value)

    def stored_key_state(self, stored: str) -> KeyState:
        return opened_with_keys(lambda key: _fernet(key).decrypt(stored.encode()), (InvalidToken,))[0]

    def stored_reencrypted(self, stored: str) -> str:
        try:
            return _cipher().rotate(stored.encode()).decode()
        except InvalidToken:
            raise UnreadableValue() from None


def mask(value: str, visible: int = 3) -> str:
    """`AB1234567` -> `••••••567`: enough to recognise a document, not to copy it."""
    if not value:
        return ""
    shown = value[-visible:] if len(value) > visible else ""
    return "•" * max(len(value) - len(shown), 3) + shown
