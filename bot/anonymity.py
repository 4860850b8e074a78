"""Keyed pseudonyms and sealed tokens: what anonymous stories stand on.

Nothing here stores or logs an identifier in clear. Every derived value is keyed by the bot's
secret key (REBOUND_SECRET_KEY or its key file, kept outside the data folder: bot/secret_key.py),
so someone holding the database, the logs or a custom_id, but not the key, cannot link a story to
its author — not even by trying every member id of a server, which defeats plain hashes. Someone
holding the database *and* the key can: the README's "What the key unlocks" says exactly what.

- `pseudonym(scope, user_id)`: a stable HMAC-SHA256 digest per (purpose, server, member). Ban
  and rate-limit on the full digest (short ids collide).
- `author_tag(post_id, user_id)`: proves "this member wrote that post" (for replying as OP)
  without being comparable across posts.
- `seal`/`unseal`: AES-GCM with a random nonce for the rare value that must travel and come
  back (never a constant nonce: one known plaintext would expose the rest).
- `key_check(secret_key)`: an HMAC of a constant under a subkey of its own, stored in the
  database so that restore and check can tell whether a key is the one the database was made
  with. It reveals nothing about the key or any member (one HMAC output of a public constant).
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
