"""Dead channels: servers whose posting channel was deleted or made unwritable before the next
post. What the bot spends finding out, and whether each server hears about it once.

Four ways a channel dies, spread evenly over the servers:

- ``deleted``: deleted, and the gateway said so (CHANNEL_DELETE): 0 failing requests allowed;
- ``unwritable``: the bot lost Send Messages there, the gateway said so (CHANNEL_UPDATE): 0;
- ``deleted-silently`` / ``unwritable-silently``: the same, but the event never reached the bot
  (it was lost, or the bot's cache is stale): at most 1 failing request per channel.

Features: the morning affirmation (`affirmations`), a shared story waiting to be posted
(`stories`), and a streak milestone announced in the accountability channel (`accountability`).
Each server must get exactly one notice (the notices channel, else the owner's DMs, else the
system channel), and nothing more the next day: the schedule is paused,
not retried. Used by tests/faults/test_dead_channels.py and `benchmarks.faults dead-channels`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakecord import FakeChannel, FakeDiscord, FakeGuild, FakeMember
from fakecord import permissions as P
from fakecord.permissions import Overwrite
from tests.harness import running_bot
from tests.helpers.stories import longest_delays

MODES = ("deleted", "unwritable", "deleted-silently", "unwritable-silently")
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class DeadServer:
    guild: FakeGuild
    channel: FakeChannel
    mode: str
    failing_requests: int = 0
    notices: int = 0
    posts: int = 0
    actor: FakeMember | None = None


@dataclass
class DeadChannelReport:
    servers: list[DeadServer]
    invalid_requests: int
    failing_next_day: int
    notices_next_day: int
    problems: list[str] = field(default_factory=list)

    def worst_failing(self, mode: str) -> int:
        return max((s.failing_requests for s in self.servers if s.mode == mode), default=0)

    @property
    def notice_counts(self) -> Counter[int]:
        return Counter(s.notices for s in self.servers)


def kill_channel(fake: FakeDiscord, channel: FakeChannel, mode: str) -> None:
    """Break `channel` for the bot the way `mode` says."""
    bot_id = fake.bot_user.id
    if mode == "deleted":
        fake.delete_channel(channel)
    elif mode == "unwritable":
        fake.set_bot_permissions(channel, deny=P.SEND_MESSAGES)
    elif mode == "deleted-silently":
        channel.deleted = True  # no CHANNEL_DELETE: the bot's cache still has it
        if channel in channel.guild.channels:
            channel.guild.channels.remove(channel)
    elif mode == "unwritable-silently":
        channel.overwrites[bot_id] = Overwrite(bot_id, P.MEMBER_OVERWRITE, 0, P.SEND_MESSAGES)
    else:
        raise ValueError(mode)


def _bot_messages_outside(fake: FakeDiscord, server: DeadServer) -> int:
    """Notices: what the bot sent that server's people anywhere but the dead channel."""
    count = 0
    for channel in server.guild.channels:
        if channel is server.channel:
            continue
        count += sum(1 for m in channel.messages if m["author"]["id"] == str(fake.bot_user.id))
    count += len(fake.dm_messages(server.guild.owner))
    return count


def _failing(fake: FakeDiscord, channel: FakeChannel, since: int) -> int:
    cid = str(channel.id)
    return sum(
        1
        for r in fake.requests[since:]
        if r.status is not None and r.status >= 400 and r.status != 429 and cid in r.path
    )


async def _setup_affirmations(fake: FakeDiscord, server: DeadServer) -> None:
    r = await fake.invoke(
        server.guild.owner,
        server.channel,
        "affirmations setup",
        channel=server.channel,
        time="08:00",
        timezone="UTC",
    )
    assert r.content and "All set" in r.content, r.content


async def _setup_stories(fake: FakeDiscord, server: DeadServer) -> None:
    from cogs.stories import messages as msg

    general = server.guild.channels[0]
    r = await fake.invoke(
        server.guild.owner, general, "stories settings", channel=server.channel, max_delay=900
    )
    assert r.content and msg.SETTINGS_SAVED in r.content, r.content
    member = server.guild.add_member(f"teller-{server.guild.id}")
    await fake.settle()
    opened = await fake.invoke(member, general, "share")
    assert opened.modal is not None, opened.content
    story = (
        "Six weeks of interviews, a great final round, then a two-line email. I keep wondering "
        "what I could have said differently in the last conversation."
    )
    done = await fake.submit_modal(
        member, general, opened, {msg.FIELD_STORY: story, msg.FIELD_STAGE: ["final_round"]}
    )
    assert done.content and "Thank you" in done.content, done.content


async def _setup_accountability(fake: FakeDiscord, server: DeadServer) -> None:
    """A member who celebrates milestones checks in on two days; the third check-in (after
    the channel died) reaches the 3-day milestone, which is posted in the channel."""
    general = server.guild.channels[0]
    r = await fake.invoke(
        server.guild.owner, general, "accountability channel", channel=server.channel
    )
    assert r.type == 4 and r.ephemeral, r.content
    member = server.guild.add_member(f"streaker-{server.guild.id}")
    await fake.settle()
    r = await fake.invoke(member, general, "streak settings", celebrate=True)
    assert r.type == 4, r.content
    server.actor = member


async def _checkin(fake: FakeDiscord, server: DeadServer) -> None:
    assert server.actor is not None
    r = await fake.invoke(server.actor, server.guild.channels[0], "checkin", applications=1)
    assert r.type == 4, r.content


FEATURES = {
    # (channel name, setup, when the post is due relative to START)
    "affirmations": ("affirmations", _setup_affirmations, DUE - START),
    "stories": ("stories", _setup_stories, timedelta(minutes=15)),
    "accountability": ("accountability", _setup_accountability, timedelta(days=2)),
}


async def run(
    fake: FakeDiscord, data_dir: Path, servers: int, feature: str = "affirmations"
) -> DeadChannelReport:
    """`servers` servers whose `feature` channel dies after setup, before the post is due."""
    name, setup, due_after = FEATURES[feature]
    dead: list[DeadServer] = []
    for n in range(servers):
        guild = fake.create_guild(f"Quiet Circle {n}")
        guild.create_text_channel("general")
        channel = guild.create_text_channel(name)
        dead.append(DeadServer(guild, channel, MODES[n % len(MODES)]))
    async with running_bot(fake, data_dir=data_dir, now=START) as app:
        if feature == "stories":  # a random delay of 0 s would post before the channel dies
            longest_delays(app)
        for server in dead:
            await setup(fake, server)
        await fake.settle()
        # from here on: what dying costs, whether the bot reacts at once or at the due time
        since = len(fake.requests)
        invalid_before = fake.invalid_request_count
        notices_setup = {id(s): _bot_messages_outside(fake, s) for s in dead}
        for server in dead:
            kill_channel(fake, server.channel, server.mode)
        await fake.settle()
        if feature == "accountability":  # days 1 and 2 count; day 3 (after death) celebrates
            for day in range(3):
                if day:
                    await app.advance(days=1)
                for server in dead:
                    await _checkin(fake, server)
        await app.advance_to(START + due_after + timedelta(minutes=5))
        await fake.settle()
        for server in dead:
            server.failing_requests = _failing(fake, server.channel, since)
            server.notices = _bot_messages_outside(fake, server) - notices_setup[id(server)]
            server.posts = sum(
                1 for m in server.channel.messages if m["author"]["id"] == str(fake.bot_user.id)
            )
        invalid = fake.invalid_request_count - invalid_before
        next_day = len(fake.requests)
        notices_before = sum(_bot_messages_outside(fake, s) for s in dead)
        await app.advance_to(START + due_after + timedelta(days=1, minutes=5))
        if feature == "accountability":  # the next check-in must not try the dead channel again
            for server in dead:
                await _checkin(fake, server)
        await fake.settle()
        failing_next = sum(_failing(fake, s.channel, next_day) for s in dead)
        notices_next = sum(_bot_messages_outside(fake, s) for s in dead) - notices_before
    return DeadChannelReport(dead, invalid, failing_next, notices_next, fake.problems())
