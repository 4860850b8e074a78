"""Shared steps for the affirmations end-to-end tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.harness import RunningBot


def posts(channel: Any) -> list[dict[str, Any]]:
    """The affirmation posts in a channel (embeds from the bot), oldest first."""
    return [m for m in channel.messages if m.get("embeds")]


def texts(channel: Any) -> list[str]:
    return [m["embeds"][0]["description"] for m in posts(channel)]


async def try_setup(world: Any, member: Any = None, **options: Any) -> Any:
    """Run /affirmations setup (as the moderator unless told otherwise); sensible defaults."""
    options.setdefault("channel", world.channel)
    options.setdefault("time", "08:00")
    options.setdefault("timezone", "UTC")
    return await world.fake.invoke(
        member or world.mod, world.channel, "affirmations setup", **options
    )


async def setup(app: RunningBot, world: Any, **options: Any) -> Any:
    result = await try_setup(world, **options)
    assert result.ephemeral
    assert result.content and "All set" in result.content, result.content
    return result


async def posted_at(app: RunningBot, guild_id: int) -> dict[str, datetime]:
    """local date -> the (fake) instant the post went out, from the store."""
    rows = await app.store.fetchall(
        "SELECT local_date, posted_at FROM affirmation_posts WHERE guild_id = ? "
        "ORDER BY local_date",
        (guild_id,),
    )
    return {r["local_date"]: datetime.fromtimestamp(r["posted_at"], UTC) for r in rows}


def failing_requests(app: RunningBot) -> list[Any]:
    return [r for r in app.fake.requests if r.status is not None and r.status >= 400]
