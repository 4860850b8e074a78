"""A feedback reminder as scheduled work: one DM per (reminder, attempt), through the engine.

The reminder's row and this job are written in one transaction (service.set_reminder). The job's
key is the reminder's random id and its rule holds only the due instant and the attempt: the
member's id is sealed in the row (sealing.JournalSeal.seal_member), opened here to DM them. The
DM goes through the paced sender with the run's nonce, so a retry or a re-send after kill -9
shows it once; what the run did is recorded with its outcome (sent, or DMs closed: the member
is told at their next command).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import discord

from bot.clock import Clock
from bot.scheduling import DueRun, Occurrence, RunOutcome, from_epoch, to_epoch
from bot.sending import PermanentFailure, Sender
from cogs.debrief import messages as m
from cogs.debrief.logic import LAST_ATTEMPT, Debrief
from cogs.debrief.repository import (
    DebriefRepository,
    reminder_sent,
    reminder_undelivered,
)
from cogs.debrief.sealing import JournalSeal

REMINDER_JOB = "debrief.reminder"
# Waiting reminders follow a /timezone change (the durable event MEMBER_TIMEZONE_CHANGED).
ZONE_JOB = "debrief.zone_change"
# A reminder a few hours late (the bot was down at 09:00) is still welcome; a day late is not.
REMINDER_GRACE = timedelta(hours=12)

#: The three buttons under a reminder DM, for one reminder id.
ReminderButtons = Callable[[str], discord.ui.View]


_ATTEMPT = "attempt-"


def reminder_rule(due: datetime, attempt: int) -> dict[str, Any]:
    return {"due": to_epoch(due), "attempt": attempt}


def attempt_of(occurrence: str) -> int | None:
    """ "attempt-2" -> 2: each attempt of a reminder is an occurrence of its own."""
    number = occurrence.removeprefix(_ATTEMPT)
    return int(number) if occurrence.startswith(_ATTEMPT) and number.isdigit() else None


class ReminderJob:
    kind = REMINDER_JOB

    def __init__(
        self,
        repo: DebriefRepository,
        seal: JournalSeal,
        sender: Sender,
        clock: Clock,
        buttons: ReminderButtons,
    ) -> None:
        self.repo = repo
        self.seal = seal
        self.sender = sender
        self.clock = clock
        self.buttons = buttons

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["due"]))
        return Occurrence(due, f"{_ATTEMPT}{int(rule['attempt'])}") if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return REMINDER_GRACE

    async def run(self, run: DueRun) -> RunOutcome:
        # From the occurrence, not the rule: a run re-sent after a crash has no rule any more
        # (a one-shot schedule is gone once claimed).
        attempt = attempt_of(run.occurrence)
        if attempt is None:
            return "failed", "bad_occurrence"
        reminder = await self.repo.reminder(run.key)
        if reminder is None or reminder.status != "waiting" or reminder.attempt != attempt:
            return "skipped", "answered_or_gone"
        user_id = self.seal.open_member(reminder.reminder_id, reminder.sealed_member)
        stored = await self.repo.entry(reminder.owner, reminder.entry_id)
        text = (
            self.seal.open(user_id, stored.entry_id, stored.sealed) if user_id and stored else None
        )
        if user_id is None or text is None:
            return "failed", "unreadable"
        debrief = Debrief.from_json(text)
        day = f"{date.fromisoformat(debrief.day):%-d %B}" if debrief.day else ""
        words = m.REMINDER_DM_AGAIN if attempt >= LAST_ATTEMPT else m.REMINDER_DM
        try:
            await self.sender.send_dm(
                user_id,
                nonce=run.nonce,
                content=words.format(title=debrief.title(), day=day),
                view=self.buttons(reminder.reminder_id),
            )
        except PermanentFailure as failure:
            if failure.reason != "dms_closed":
                return "failed", failure.reason
            now = self.clock.now()
            return (
                "failed",
                "dms_closed",
                reminder_undelivered(reminder.reminder_id, reminder.owner, attempt, now),
            )
        return "done", None, reminder_sent(reminder.reminder_id, attempt, self.clock.now())
