"""A milestone's announcement as scheduled work: one post per (member, streak, milestone).

The check-in that reaches a milestone claims it (`streak_celebrations`) and puts this job in the
same transaction, due at once. The scheduler then runs it like every other post: claimed once,
sent through the paced sender with the run's nonce (a retry, a re-send after a crash or a 5xx
after Discord stored the post shows it once), retried inside its grace window when Discord or the
server is away for a while, and the post's id recorded with the run's outcome.

Mentions: none. The post names the member (``<@id>`` renders as their name) but pings nobody, not
even them: they just checked in and their reply already said the milestone was shared, so a
notification would only repeat it; and nobody else is ever pinged by the bot for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import discord

from bot.anonymity import Anonymizer
from bot.scheduling import DueRun, Occurrence, RunOutcome, from_epoch, to_epoch
from bot.sending import PermanentFailure, Sender
from cogs.streaks import messages as m
from cogs.streaks.repository import StreakRepository, celebration_posted

MILESTONE_JOB = "streaks.milestone"
# Counts travel days when a member changes /timezone (the durable event MEMBER_TIMEZONE_CHANGED).
ZONE_JOB = "streaks.zone_change"
# A celebration up to a day late still means something; later it is not posted.
MILESTONE_GRACE = timedelta(hours=24)
_OCCURRENCE = "post"

#: The accountability channel if a post there can work now (else None, admins told).
PostableChannel = Callable[[int], Awaitable[int | None]]
#: Set a channel Discord refused aside, and tell the admins once.
BrokenChannel = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class MilestoneKey:
    """What a milestone post is about. Its job key is this sealed (the member id is never in
    clear in the engine's tables): random for each milestone, stable for its runs, so every
    retry carries the same nonce."""

    guild_id: int
    user_id: int
    run_start: date
    milestone: int

    def seal(self, anonymizer: Anonymizer) -> str:
        plain = f"{self.guild_id}:{self.user_id}:{self.run_start.isoformat()}:{self.milestone}"
        return anonymizer.seal(plain.encode(), context=MILESTONE_JOB)

    @classmethod
    def open(cls, key: str, anonymizer: Anonymizer) -> MilestoneKey | None:
        """The key again (None: sealed with another secret key). A key in clear
        ("guild:member:day:milestone") is a post put before keys were sealed, still in flight."""
        if ":" not in key:
            opened = anonymizer.unseal(key, context=MILESTONE_JOB)
            if opened is None:
                return None
            key = opened.decode()
        guild_id, user_id, run_start, milestone = key.split(":")
        return cls(int(guild_id), int(user_id), date.fromisoformat(run_start), int(milestone))


def milestone_rule(due: datetime) -> dict[str, Any]:
    return {"due": to_epoch(due)}


def put_after(due: datetime) -> datetime:
    """``put_job``'s ``after`` for a post due at ``due`` (a one-shot rule is due after it)."""
    return due - timedelta(seconds=1)


class MilestoneJob:
    kind = MILESTONE_JOB

    def __init__(
        self,
        repo: StreakRepository,
        sender: Sender,
        postable: PostableChannel,
        broken: BrokenChannel,
        anonymizer: Anonymizer,
    ) -> None:
        self.repo = repo
        self.sender = sender
        self.anonymizer = anonymizer
        self.postable = postable
        self.broken = broken

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["due"]))
        return Occurrence(due, _OCCURRENCE) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return MILESTONE_GRACE

    def guild_of(self, key: str, rule: Mapping[str, Any]) -> int | None:
        """The server the post goes to (a fleet's process of its shard claims it first)."""
        opened = MilestoneKey.open(key, self.anonymizer)
        return opened.guild_id if opened is not None else None

    async def run(self, run: DueRun) -> RunOutcome:
        key = MilestoneKey.open(run.key, self.anonymizer)
        if key is None:
            return "skipped", "sealed_with_another_key"
        # The server in an outage: wait for it (woken when it is back), never "no channel".
        self.sender.check_guild_available(key.guild_id)
        if not await self.repo.celebration_wanted(
            key.guild_id, key.user_id, key.run_start, key.milestone
        ):
            return "skipped", "not_wanted"
        channel_id = await self.postable(key.guild_id)
        if channel_id is None:
            return "skipped", "no_channel"
        try:
            sent = await self.sender.send(
                channel_id,
                nonce=run.nonce,
                guild_id=key.guild_id,
                content=m.CELEBRATION_POST.format(
                    member=f"<@{key.user_id}>", milestone=key.milestone
                ),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except PermanentFailure as failure:
            if failure.reason != "rejected":  # Discord's permanent answers: the channel is unusable
                await self.broken(key.guild_id, channel_id)
            return "failed", failure.reason
        return (
            "done",
            None,
            celebration_posted(key.guild_id, key.user_id, key.run_start, key.milestone, sent.id),
        )
