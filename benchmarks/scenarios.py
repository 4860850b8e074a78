"""What a member does in a load run, and how to count what the bot stored for it.

A scenario is a command (optionally answered with a modal that is then submitted) plus the SQL
that counts the rows the bot stored for the members who did it. Add one here when a feature
lands; `benchmarks.interactions` and the kill -9 runs pick it up by name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness import read_db
from fakecord import FakeChannel, FakeDiscord, FakeGuild, FakeMember

Options = Callable[[FakeMember, FakeChannel, int], dict[str, Any]]
Prepare = Callable[[FakeDiscord, FakeGuild, FakeChannel], Awaitable[None]]


def _no_options(member: FakeMember, channel: FakeChannel, n: int) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Scenario:
    name: str
    command: str
    options: Options = _no_options
    #: for a command answered with a modal: the values to submit (keyed by label/custom_id)
    modal_values: Callable[[FakeMember, int], dict[str, Any]] | None = None
    #: counts rows stored for these member ids; None when the command stores nothing
    stored_sql: str | None = None
    #: counts (member, day) groups stored more than once for these member ids
    doubled_sql: str | None = None
    #: words an acknowledgement of success contains (case-insensitive), any of them
    success_words: Sequence[str] = field(default_factory=tuple)
    #: the command needs Manage Server (run it as the server owner)
    as_owner: bool = False
    #: once per server after the bot is up (e.g. choose the stories channel)
    prepare: Prepare | None = None
    #: stored rows are counted per server (`{ids}` are guild ids), e.g. anonymous stories
    count_by_guild: bool = False

    def count_stored(self, db: Path, member_ids: Sequence[int]) -> int | None:
        """Rows stored for these members (for per-server counting: in these servers)."""
        if self.stored_sql is None:
            return None
        return _count(db, self.stored_sql, member_ids)

    def keys(self, people: Sequence[tuple[FakeMember, FakeChannel]]) -> list[int]:
        """What `stored_sql`'s `{ids}` are for these members: member ids, or their servers."""
        if self.count_by_guild:
            return sorted({channel.guild.id for _, channel in people})
        return [member.user.id for member, _ in people]

    def count_doubled(self, db: Path, member_ids: Sequence[int]) -> int:
        if self.doubled_sql is None:
            return 0
        return _count(db, self.doubled_sql, member_ids)

    def succeeded(self, text: str | None) -> bool:
        if not self.success_words:
            return True
        lowered = (text or "").lower()
        return any(w.lower() in lowered for w in self.success_words)


def _count(db: Path, sql: str, member_ids: Sequence[int]) -> int:
    """Sum of `sql` (a COUNT with `{ids}` for the placeholders) over chunks of member ids."""
    total = 0
    ids = list(member_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = read_db(db, sql.format(ids=",".join("?" * len(chunk))), chunk)
        total += int(rows[0][0])
    return total


def _dm_on(member: FakeMember, channel: FakeChannel, n: int) -> dict[str, Any]:
    return {"time": f"{7 + n % 3:02d}:{n % 60:02d}", "timezone": "Europe/Berlin"}


def _checkin(member: FakeMember, channel: FakeChannel, n: int) -> dict[str, Any]:
    return {"applications": 1 + n % 5, "networking": n % 3}


def _checkin_modal(member: FakeMember, n: int) -> dict[str, Any]:
    from cogs.streaks import messages as m

    return {
        m.FIELD_APPLICATIONS: str(1 + n % 5),
        m.FIELD_NETWORKING: str(n % 3),
        m.FIELD_NOTE: "Two calls today.",
    }


STORY = (
    "Made it to the final round after six weeks of interviews. The panel liked the system design "
    "part, then a short email said they went with someone else. I keep replaying it."
)


def _share_modal(member: FakeMember, n: int) -> dict[str, Any]:
    from cogs.stories import messages as msg

    return {msg.FIELD_STORY: f"{STORY} ({n})", msg.FIELD_STAGE: ["final_round"]}


async def _stories_channel(fake: FakeDiscord, guild: FakeGuild, channel: FakeChannel) -> None:
    stories = guild.create_text_channel("stories")
    await fake.settle()
    r = await fake.invoke(
        guild.owner, channel, "stories settings", channel=stories, max_delay=0, cooldown=0
    )
    if r.type is None or "saved" not in (r.content or "").lower():
        raise RuntimeError(f"/stories settings failed: {r.content!r}")


CHECKIN_STORED = "SELECT COUNT(*) FROM streak_checkins WHERE user_id IN ({ids})"
CHECKIN_DOUBLED = (
    "SELECT COUNT(*) FROM (SELECT guild_id, user_id, local_date FROM streak_checkins "
    "WHERE user_id IN ({ids}) GROUP BY guild_id, user_id, local_date HAVING COUNT(*) > 1)"
)

SCENARIOS: dict[str, Scenario] = {
    # /checkin with its counts as options: one member's day, written then acknowledged.
    "checkin": Scenario(
        "checkin",
        "checkin",
        options=_checkin,
        stored_sql=CHECKIN_STORED,
        doubled_sql=CHECKIN_DOUBLED,
        success_words=("checked in", "updated your check-in"),
    ),
    # /checkin without options answers with its modal; the submit is what is measured.
    "checkin-modal": Scenario(
        "checkin-modal",
        "checkin",
        modal_values=_checkin_modal,
        stored_sql=CHECKIN_STORED,
        doubled_sql=CHECKIN_DOUBLED,
        success_words=("checked in", "updated your check-in"),
    ),
    # /share's modal submitted: the story is stored (anonymously: counted per server).
    "share": Scenario(
        "share",
        "share",
        modal_values=_share_modal,
        stored_sql="SELECT COUNT(*) FROM stories WHERE guild_id IN ({ids})",
        success_words=("thank you for sharing",),
        prepare=_stories_channel,
        count_by_guild=True,
    ),
    # Answers from memory: the bot's floor for any interaction.
    "about": Scenario("about", "about"),
    # A member's own setting, written in one transaction, then acknowledged: the stand-in for
    # /checkin until the streaks feature is merged (same shape: per member, write then ack).
    "dm-on": Scenario(
        "dm-on",
        "affirmations dm on",
        options=_dm_on,
        stored_sql="SELECT COUNT(*) FROM affirmation_dm_subscriptions "
        "WHERE active = 1 AND user_id IN ({ids})",
        doubled_sql="SELECT COUNT(*) FROM (SELECT key FROM scheduled_jobs "
        "WHERE kind = 'affirmations.dm' AND key IN ({ids}) GROUP BY key HAVING COUNT(*) > 1)",
        success_words=("every day", "each day", "daily", "next"),
    ),
}


def write_scenario() -> Scenario:
    """The per-member write that fault runs use: /checkin when it exists, else dm-on."""
    return SCENARIOS.get("checkin") or SCENARIOS["dm-on"]


def get(name: str) -> Scenario:
    try:
        return SCENARIOS[name]
    except KeyError:
        raise SystemExit(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}") from None
