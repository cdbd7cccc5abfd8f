"""A text field encrypted at rest, for identity-document numbers (GDPR: least exposure)."""

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(key_material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> Fernet:
    # Production requires its own FIELD_ENCRYPTION_KEY, validated as a random secret in
    # settings.py, so the numbers never depend on a weak or rotated SECRET_KEY. Locally the
    # generated SECRET_KEY stands in, so a demo or test database stays readable.
    return _fernet(settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY)


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code only ever sees the clear value."""

    def get_prep_value(self, value: Any) -> Any:
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
            # Written under another key: never leak ciphertext as if it were the number.
            return ""


def mask(value: str, visible: int = 3) -> str:
    """`AB1234567` -> `••••••567`: enough to recognise a document, not to copy it."""
    if not value:
        return ""
    shown = value[-visible:] if len(value) > visible else ""
    return "•" * max(len(value) - len(shown), 3) + shown
