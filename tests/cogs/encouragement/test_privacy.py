"""Encouragement answers /privacy export and delete for its own tables, by keyed pseudonym."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.anonymity import Anonymizer
from bot.db import Store
from bot.privacy import Subject
from cogs.encouragement.privacy import EncouragementPersonalData
from cogs.encouragement.repository import EncouragementRepository, pseudonym_scope

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
GUILD, ALICE, BOB = 10, 111, 222


async def test_export_and_delete_find_only_the_members_rows(store: Store) -> None:
    anonymizer = Anonymizer(b"k" * 32)
    repo = EncouragementRepository(store)

    def alias(user_id: int) -> str:
        return anonymizer.pseudonym(pseudonym_scope(GUILD), user_id)

    async with store.transaction() as conn:
        await repo.add_story(
            conn,
            story_id=1,
            public_id="pub0000000000001",
            guild_id=GUILD,
            channel_id=5,
            message_id=6,
            label="Story #1",
            stage="Onsite",
            now=NOW,
        )
        for user, signature in ((ALICE, "Alice"), (BOB, None)):
            await repo.add_encouragement(
                conn,
                story_id=1,
                guild_id=GUILD,
                pseudonym=alias(user),
                signature=signature,
                body="You’ve got this",
                message_id=user,
                now=NOW,
            )
            await repo.set_me_too(conn, 1, GUILD, alias(user), on=True, now=NOW)

    provider = EncouragementPersonalData()
    alice = Subject(ALICE, [GUILD], anonymizer.pseudonym)
    async with store.transaction() as conn:
        exported = await provider.export(conn, alice)
    assert [r["signed_as"] for r in exported["encouragements"]] == ["Alice"]
    assert [r["story"] for r in exported["encouragement_me_too"]] == ["Story #1"]

    async with store.transaction() as conn:
        removed = await provider.delete(conn, alice)
    assert removed == {"encouragements": 1, "encouragement_me_too": 1, "encouragement_sends": 0}
    left = await store.fetchall("SELECT pseudonym FROM encouragements")
    assert [r["pseudonym"] for r in left] == [alias(BOB)]

    async with store.transaction() as conn:
        gone = await provider.delete_guild(conn, GUILD)
    assert gone["encouragement_stories"] == 1 and gone["encouragements"] == 1
    assert await store.fetchall("SELECT * FROM encouragement_me_too") == []
