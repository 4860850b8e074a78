"""Keyed pseudonyms and sealed tokens: what anonymous stories stand on.

`pseudonym`, `author_tag`, `seal`/`unseal` and `key_check`, each keyed by the bot's secret key,
so nothing here stores or logs an identifier in clear. What each is for, and what someone
holding the database (and the key) can learn: docs/design.md, "Keyed pseudonyms".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


def _subkey(secret_key: bytes, purpose: str) -> bytes:
    """Separate keys per purpose, so a digest made for one use is useless for another."""
    return hmac.new(secret_key, b"rebound/" + purpose.encode(), hashlib.sha256).digest()


_KEY_CHECK_MESSAGE = b"rebound key check v1"


def key_check(secret_key: bytes) -> str:
    """A fingerprint that says "this database was made with this key" and nothing else."""
    return hmac.new(
        _subkey(secret_key, "key-check"), _KEY_CHECK_MESSAGE, hashlib.sha256
    ).hexdigest()


class Anonymizer:
    def __init__(self, secret_key: bytes) -> None:
        if len(secret_key) < 32:
            raise ValueError("the secret key must be at least 32 bytes")
        self._pseudonym_key = _subkey(secret_key, "pseudonym")
        self._author_key = _subkey(secret_key, "author")
        self._aead = AESGCM(_subkey(secret_key, "seal"))

    def pseudonym(self, scope: str, user_id: int) -> str:
        """Hex HMAC of (scope, member): stable within a scope, unlinkable across scopes."""
        message = f"{scope}\x00{user_id}".encode()
        return hmac.new(self._pseudonym_key, message, hashlib.sha256).hexdigest()

    def author_tag(self, post_id: str, user_id: int) -> str:
        message = f"{post_id}\x00{user_id}".encode()
        return hmac.new(self._author_key, message, hashlib.sha256).hexdigest()

    def is_author(self, post_id: str, user_id: int, tag: str) -> bool:
        return hmac.compare_digest(self.author_tag(post_id, user_id), tag)

    def seal(self, plaintext: bytes, *, context: str) -> str:
        """URL-safe token; `context` is authenticated, so a token cannot be replayed elsewhere."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext, context.encode())
        return base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")

    def unseal(self, token: str, *, context: str) -> bytes | None:
        """The plaintext, or None if the token was tampered with or made for another context."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError):
            return None
