"""The TOTP secrets encrypted at rest (docs/decisions/0012-totp-secrets-encrypted-at-rest.md).

django-otp keeps each authenticator app's secret as hex in `otp_totp_totpdevice.key`: a copy of
the database would give everyone's second factor. Here the column holds the secret encrypted with
AES-256-GCM (the `cryptography` package's AEAD), under a key derived from FIELD_ENCRYPTION_KEY (the
key of identity numbers at rest: required and checked in production, derived from SECRET_KEY
locally; core/fields.py) with HKDF, so each use has its own key.

The encryption is transparent: `install()` (AccountsConfig.ready) gives django-otp's `key` field
our class, which encrypts on the way to the database and decrypts on the way back. Python code,
django-otp's verification, its admin and our pages see the hex secret as before; only the column
changes. Fernet, used for identity numbers, does not fit: a 20-byte secret becomes 120 characters
and django-otp's column holds 80; AES-GCM's nonce + secret + tag is 64.

Stored form: `v1$` + unpadded URL-safe base64 of nonce (12) + ciphertext + tag (16). A value
without the prefix is a secret written before migration accounts.0007 (which encrypts every row,
and decrypts them when reversed): read as it is, encrypted at its next save.

Key rotation (ADR 0013): the current key encrypts; the keys of FIELD_ENCRYPTION_OLD_KEYS, derived
the same way, still decrypt, and `reciprocity encryption rotate` rewrites every secret under the
current key (core/encryption.py finds this field through `RotatableEncryptedField`).
"""

import base64
import os
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from reciprocity.core.encryption import (
    KeyState,
    RotatableEncryptedField,
    UnreadableValue,
    key_materials,
    opened_with_keys,
)

PREFIX = "v1$"
# Binds a ciphertext to this use: one copied into another encrypted column does not decrypt.
_ASSOCIATED_DATA = b"otp_totp.TOTPDevice.key"
_NONCE_BYTES = 12
# django-otp's column is 80 characters: the prefix and the base64 of 12 + n + 16 bytes fit for
# secrets of up to 28 bytes (django-otp makes 20).
MAX_SECRET_BYTES = 28


@lru_cache(maxsize=16)
def _aead(key_material: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"reciprocity.accounts.totp-secrets").derive(key_material.encode())
    return AESGCM(key)


def _cipher() -> AESGCM:
    # The same key material as core/fields.py's identity numbers (one key for the operator to
    # keep), never the same key: HKDF above separates the two uses.
    return _aead(key_materials()[0])


def _opened(stored: str) -> tuple[KeyState, bytes]:
    """Which key reads a sealed value (the current one first), and the secret it holds."""
    text = stored[len(PREFIX):]
    try:
        sealed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return KeyState.UNREADABLE, b""
    state, raw = opened_with_keys(
        lambda key: _aead(key).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _ASSOCIATED_DATA),
        (InvalidTag, ValueError))
    return state, raw or b""


def seal(secret_hex: str) -> str:
    """The stored form of a hex secret; an already sealed value is returned unchanged."""
    if secret_hex.startswith(PREFIX):
        return secret_hex
    raw = bytes.fromhex(secret_hex)
    if len(raw) > MAX_SECRET_BYTES:
        raise ValueError(f"A TOTP secret of more than {MAX_SECRET_BYTES} bytes does not fit "
                         "django-otp's column once encrypted.")
    nonce = os.urandom(_NONCE_BYTES)
    sealed = nonce + _cipher().encrypt(nonce, raw, _ASSOCIATED_DATA)
    return PREFIX + base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def unseal(stored: str) -> str:
    """The hex secret of a stored value (a value from before the migration is returned as it
    is). Refuses loudly under another key: an empty or wrong secret must never be used to check
    codes, and a device must not be saved back with one."""
    if not stored.startswith(PREFIX):
        return stored
    state, raw = _opened(stored)
    if state is KeyState.UNREADABLE:
        raise ImproperlyConfigured(
            "A two-factor secret cannot be decrypted: neither FIELD_ENCRYPTION_KEY (or, without "
            "it, SECRET_KEY) nor any key of FIELD_ENCRYPTION_OLD_KEYS is the key it was written "
            "with. Restore the key (docs/deploy.md)."
        )
    return raw.hex()


class SealedHexKeyField(RotatableEncryptedField, models.CharField):
    """django-otp's `key` column, encrypted at rest. Lookups by the key cannot match (each
    encryption differs); nothing looks devices up by their secret."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        return unseal(value) if value else value

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        return seal(value) if isinstance(value, str) and value else value

    def stored_key_state(self, stored: str) -> KeyState:
        return _opened(stored)[0] if stored.startswith(PREFIX) else KeyState.CLEAR

    def stored_reencrypted(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return seal(stored)
        state, raw = _opened(stored)
        if state is KeyState.UNREADABLE:
            raise UnreadableValue()
        return seal(raw.hex())

    def deconstruct(self) -> Any:
        # django-otp's migrations describe a CharField: say the same, so that no migration is
        # ever made for its app because of this class.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def install() -> None:
    """Give django-otp's TOTPDevice.key its encrypting class (called once, from ready())."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    field = TOTPDevice._meta.get_field("key")
    if not isinstance(field, SealedHexKeyField):
        field.__class__ = SealedHexKeyField
