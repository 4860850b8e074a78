"""A member's journal key, their journal pseudonym, and sealing a debrief with that key.

- The owner of a journal is stored as a keyed pseudonym whose scope is not a server's: one
  journal across every server and the DMs with the bot.
- Each member's debriefs are encrypted (AES-GCM, a random nonce per seal) with a key of their
  own: an HMAC of the member under the bot's secret key, in a scope never stored anywhere. The
  entry's id and its owner are authenticated with it, so a sealed text moved to another row or
  another member does not open.
- A reminder's member id (the DM needs it) is sealed with the bot's key for that reminder only.

A copy of the database alone reveals neither the words nor the member; an operator holding both
the database and the key could read them, as with stories' sealed ids (README, docs/design.md).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.anonymity import Anonymizer

OWNER_SCOPE = "debrief"
_KEY_SCOPE = "debrief-journal-key"
_NONCE = 12


class JournalSeal:
    def __init__(self, anonymizer: Anonymizer) -> None:
        self.anonymizer = anonymizer

    def owner(self, user_id: int) -> str:
        return self.anonymizer.pseudonym(OWNER_SCOPE, user_id)

    def _aead(self, user_id: int) -> AESGCM:
        return AESGCM(bytes.fromhex(self.anonymizer.pseudonym(_KEY_SCOPE, user_id)))

    @staticmethod
    def _context(entry_id: str, owner: str) -> bytes:
        return f"debrief/v1\x00{entry_id}\x00{owner}".encode()

    def seal(self, user_id: int, entry_id: str, text: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead(user_id).encrypt(
            nonce, text.encode("utf-8"), self._context(entry_id, self.owner(user_id))
        )
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, user_id: int, entry_id: str, token: str) -> str | None:
        """The text, or None when it is not this member's (or was tampered with)."""
        try:
            raw = base64.urlsafe_b64decode(token)
            plain = self._aead(user_id).decrypt(
                raw[:_NONCE], raw[_NONCE:], self._context(entry_id, self.owner(user_id))
            )
        except (InvalidTag, ValueError):
            return None
        return plain.decode("utf-8")

    def seal_member(self, reminder_id: str, user_id: int) -> str:
        return self.anonymizer.seal(
            str(user_id).encode(), context=f"debrief.reminder:{reminder_id}"
        )

    def open_member(self, reminder_id: str, token: str) -> int | None:
        plain = self.anonymizer.unseal(token, context=f"debrief.reminder:{reminder_id}")
        return int(plain) if plain is not None and plain.isdigit() else None
