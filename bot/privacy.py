"""What each feature stores about a member, so `/privacy export` and `/privacy delete` see it all.

Every feature that stores anything about a member registers one `PersonalData` provider with the
`PrivacyRegistry` (the Bot owns one: `bot.privacy`). A provider answers for its own tables only:

- `export` returns readable rows (named fields, ISO 8601 times) per table;
- `delete` removes them and says how many rows per table;
- `delete_guild` removes everything kept for a server the bot left (after the retention period).

Anonymous features find the member's rows through the member's keyed pseudonyms (`Subject`
carries a function that derives them), never through an id stored in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiosqlite

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Subject:
    """The member a privacy request is about."""

    user_id: int
    # The servers the request covers (those the bot shares with the member, or all it knows).
    guild_ids: Sequence[int]
    # pseudonym(scope, user_id) from the bot's Anonymizer, for features that store pseudonyms.
    pseudonym: Callable[[str, int], str]


class PersonalData(Protocol):
    """A feature's answer to "what do you store about this member?"."""

    feature: str

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        """Every row about the member, per table, readable by a person."""
        ...

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        """Remove every row about the member; the number removed per table."""
        ...

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        """Remove everything kept for one server (the bot left it and the retention period
        passed); the number removed per table."""
        ...


@dataclass
class PrivacyRegistry:
    providers: dict[str, PersonalData] = field(default_factory=dict)

    def register(self, provider: PersonalData) -> None:
        existing = self.providers.get(provider.feature)
        if existing is not None and existing is not provider:
            raise ValueError(f"a privacy provider for {provider.feature!r} is already registered")
        self.providers[provider.feature] = provider

    def unregister(self, feature: str) -> None:
        self.providers.pop(feature, None)

    def all(self) -> list[PersonalData]:
        return [self.providers[name] for name in sorted(self.providers)]
