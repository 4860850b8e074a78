"""The debrief use cases: write, read, delete, draft a feedback request, set and answer a
reminder, count. Everything is found by the member's journal pseudonym and opened with their own
key (cogs/debrief/sealing.py); the reminder's DM is a job of the engine, put in the same
transaction as the reminder's row."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from bot.crisis import CrisisContent, crisis_match
from bot.deps import ServiceDeps, WithDeps
from bot.errors import UserFacingError
from bot.member_settings import member_timezone
from bot.timekeeping import InvalidInput, format_time, local_today, parse_time, resolve_local
from cogs.debrief import logic
from cogs.debrief import messages as m
from cogs.debrief.jobs import REMINDER_JOB, reminder_rule
from cogs.debrief.logic import Debrief, Entry
from cogs.debrief.repository import DebriefRepository, MemberCounts, Reminder, StoredEntry
from cogs.debrief.sealing import JournalSeal

Answer = Literal["heard", "no_answer", "stop"]


@dataclass(frozen=True, slots=True)
class Saved:
    entry: Entry
    crisis: str | None  # the support resources, when the words call for them


@dataclass(frozen=True, slots=True)
class ReminderSet:
    due: datetime
    zone: str
    own_zone: bool


def _new_id() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, opaque, fits any custom_id


class DebriefService(WithDeps):
    def __init__(self, deps: ServiceDeps, crisis: CrisisContent) -> None:
        super().__init__(deps)
        self.repo = DebriefRepository(self.store)
        self.seal = JournalSeal(self.anonymizer)
        self.crisis = crisis

    # -- zones ----------------------------------------------------------------------------------

    async def _zone(self, user_id: int) -> tuple[str, bool]:
        """The member's /timezone (True), else UTC (False); a debrief has no server."""
        own = await member_timezone(self.store, user_id)
        return (own, True) if own else ("UTC", False)

    async def today(self, user_id: int) -> date:
        zone, _ = await self._zone(user_id)
        return local_today(self.clock.now(), zone)

    # -- writing --------------------------------------------------------------------------------

    def _crisis(self, debrief: Debrief) -> str | None:
        if crisis_match(debrief.all_text(), self.crisis.phrases):
            return f"{m.CRISIS_INTRO}\n{self.crisis.text()}"
        return None

    async def start(
        self, user_id: int, role: str, company: str, stage: str, day_text: str
    ) -> Saved:
        """Step 1: a new debrief (role, company, stage, date). Checked before anything is kept."""
        debrief = Debrief(
            role=logic.clean(role, logic.ROLE_MAX, m.WHAT_ROLE, one_line=True),
            company=logic.clean(company, logic.COMPANY_MAX, m.WHAT_COMPANY, one_line=True),
            stage=logic.check_choice(stage, logic.STAGE_LABELS),
            day=logic.parse_day(
                logic.clean(day_text, logic.DATE_MAX, m.WHAT_DATE, one_line=True),
                await self.today(user_id),
            ).isoformat(),
        )
        entry_id, owner, now = _new_id(), self.seal.owner(user_id), self.clock.now()
        sealed = self.seal.seal(user_id, entry_id, debrief.to_json())
        async with self.store.transaction() as conn:
            await self.repo.add_entry(conn, entry_id, owner, sealed, now)
        return Saved(Entry(entry_id, debrief, now), self._crisis(debrief))

    async def add_answers(
        self, user_id: int, entry_id: str, kinds: Sequence[str], answers: Mapping[str, str]
    ) -> Saved:
        """Step 2 (or an edit of it): the kinds that threw the member and their four answers."""
        checked_kinds = logic.check_kinds(kinds)
        cleaned = {
            key: logic.clean(answers.get(key), logic.ANSWER_MAX, m.WHAT_ANSWER)
            for key in logic.ANSWER_FIELDS
        }
        owner, now = self.seal.owner(user_id), self.clock.now()
        async with self.store.transaction() as conn:
            stored = await self.repo.entry_in(conn, owner, entry_id)
            entry = self._open(user_id, stored)
            if entry is None:
                raise UserFacingError(m.NOT_FOUND)
            debrief = entry.debrief.with_answers(checked_kinds, cleaned)
            sealed = self.seal.seal(user_id, entry_id, debrief.to_json())
            await self.repo.replace_sealed(conn, entry_id, owner, sealed, now)
        return Saved(replace(entry, debrief=debrief), self._crisis(debrief))

    # -- reading --------------------------------------------------------------------------------

    def _open(self, user_id: int, stored: StoredEntry | None) -> Entry | None:
        """The entry, opened with the member's key (None: not theirs, or not there)."""
        if stored is None:
            return None
        text = self.seal.open(user_id, stored.entry_id, stored.sealed)
        if text is None:
            return None
        return Entry(
            stored.entry_id, Debrief.from_json(text), stored.created_at, stored.feedback_asked
        )

    async def journal(self, user_id: int) -> list[Entry]:
        """Every debrief of the member, newest first."""
        found = []
        for stored in await self.repo.entries(self.seal.owner(user_id)):
            entry = self._open(user_id, stored)
            if entry is not None:
                found.append(entry)
        return found

    async def entry(self, user_id: int, entry_id: str) -> Entry:
        stored = await self.repo.entry(self.seal.owner(user_id), entry_id)
        entry = self._open(user_id, stored)
        if entry is None:
            raise UserFacingError(m.NOT_FOUND)
        return entry

    async def numbered(self, user_id: int, number: int) -> tuple[Entry, int]:
        """The debrief numbered `number` in /debrief list (1: the newest), and how many."""
        journal = await self.journal(user_id)
        if not journal:
            raise UserFacingError(m.EMPTY)
        if not 1 <= number <= len(journal):
            raise UserFacingError(m.NUMBER_NOT_FOUND.format(count=len(journal)))
        return journal[number - 1], len(journal)

    async def reminders(self, user_id: int) -> dict[str, Reminder]:
        return await self.repo.reminders_of(self.seal.owner(user_id))

    async def patterns(self, user_id: int) -> logic.Patterns:
        return logic.patterns([e.debrief for e in await self.journal(user_id)])

    # -- deleting -------------------------------------------------------------------------------

    async def delete(self, user_id: int, entry_id: str) -> None:
        owner = self.seal.owner(user_id)
        async with self.store.transaction() as conn:
            reminder = await self.repo.reminder_for(conn, owner, entry_id)
            if not await self.repo.delete_entry(conn, owner, entry_id):
                raise UserFacingError(m.NOT_FOUND)
            if reminder is not None:
                await self.repo.delete_reminder(conn, reminder.reminder_id)
                await self.scheduler.remove_job(conn, REMINDER_JOB, reminder.reminder_id)

    # -- feedback -------------------------------------------------------------------------------

    async def feedback_draft(self, user_id: int, entry_id: str, interviewer: str, tone: str) -> str:
        """The draft to copy; the interviewer's name is kept (sealed) for the next draft, and
        the debrief counts once as "feedback asked"."""
        name = logic.clean(interviewer, logic.NAME_MAX, m.WHAT_NAME, one_line=True)
        logic.check_choice(tone, logic.TONE_LABELS)
        owner, now = self.seal.owner(user_id), self.clock.now()
        async with self.store.transaction() as conn:
            stored = await self.repo.entry_in(conn, owner, entry_id)
            entry = self._open(user_id, stored)
            if entry is None:
                raise UserFacingError(m.NOT_FOUND)
            debrief = replace(entry.debrief, interviewer=name)
            if name != entry.debrief.interviewer:
                sealed = self.seal.seal(user_id, entry_id, debrief.to_json())
                await self.repo.replace_sealed(conn, entry_id, owner, sealed, now)
            await self.repo.mark_feedback_asked(conn, owner, entry_id, now)
        day = date.fromisoformat(debrief.day) if debrief.day else None
        return logic.feedback_draft(debrief, tone, name, f"{day:%-d %B}" if day else "")

    # -- reminders ------------------------------------------------------------------------------

    async def set_reminder(
        self, user_id: int, entry_id: str, days_value: str, time_text: str
    ) -> ReminderSet:
        days = logic.parse_days(days_value)
        # Echoed in the refusal: without direction marks or invisible characters.
        time_text = logic.clean(time_text, logic.TIME_MAX, m.WHAT_TIME, one_line=True)
        try:
            at = parse_time(time_text) if time_text.strip() else logic.REMIND_TIME_DEFAULT
        except InvalidInput as error:
            raise UserFacingError(f"{error.message} Nothing changed.") from None
        zone, own = await self._zone(user_id)
        now, owner = self.clock.now(), self.seal.owner(user_id)
        due = logic.reminder_due(now, zone, days, at)
        reminder_id = _new_id()
        reminder = Reminder(
            reminder_id=reminder_id,
            entry_id=entry_id,
            owner=owner,
            sealed_member=self.seal.seal_member(reminder_id, user_id),
            days=days,
            local_time=format_time(at),
            timezone=zone,
            attempt=1,
            status="waiting",
            due_at=due,
        )
        async with self.store.transaction() as conn:
            if await self.repo.entry_in(conn, owner, entry_id) is None:
                raise UserFacingError(m.NOT_FOUND)
            earlier = await self.repo.reminder_for(conn, owner, entry_id)
            if earlier is not None:
                await self.scheduler.remove_job(conn, REMINDER_JOB, earlier.reminder_id)
            await self.repo.put_reminder(conn, reminder, now)
            await self.scheduler.put_job(conn, REMINDER_JOB, reminder_id, reminder_rule(due, 1))
        return ReminderSet(due, zone, own)

    async def answer(self, user_id: int, reminder_id: str, answer: Answer) -> str:
        """A button under a reminder DM: what the member is told. Only the journal's owner can
        answer; a second click changes nothing."""
        owner, now = self.seal.owner(user_id), self.clock.now()
        current = await self.repo.reminder(reminder_id)
        if current is None or current.owner != owner:
            raise UserFacingError(m.NOT_FOUND)
        again = answer == "no_answer" and current.attempt < logic.LAST_ATTEMPT
        async with self.store.transaction() as conn:
            if again:
                at = parse_time(current.local_time)
                due = logic.next_attempt_due(current.due_at, current.timezone, at)
                done = await self.repo.answer_reminder(
                    conn,
                    reminder_id,
                    owner,
                    "waiting",
                    now,
                    attempt=current.attempt + 1,
                    due_at=due,
                )
                if done is not None:
                    rule = reminder_rule(due, done.attempt)
                    await self.scheduler.put_job(conn, REMINDER_JOB, reminder_id, rule)
            else:
                status = {"heard": "heard", "no_answer": "no_answer", "stop": "stopped"}[answer]
                done = await self.repo.answer_reminder(conn, reminder_id, owner, status, now)
                if done is not None:
                    await self.scheduler.remove_job(conn, REMINDER_JOB, reminder_id)
        if done is None:
            return m.ANSWER_ALREADY
        if answer == "heard":
            return m.ANSWER_HEARD
        if answer == "stop":
            return m.ANSWER_STOPPED
        return m.ANSWER_NO_ANSWER if again else m.ANSWER_NO_ANSWER_LAST

    async def follow_zone(self, user_id: int) -> int:
        """The member changed their /timezone: a waiting reminder keeps its local day and time,
        now in the new zone (unless that moment has passed). How many moved."""
        zone, _ = await self._zone(user_id)
        owner, now, moved = self.seal.owner(user_id), self.clock.now(), 0
        async with self.store.transaction() as conn:
            for r in await self.repo.waiting_reminders_in(conn, owner):
                day = local_today(r.due_at, r.timezone)
                due = resolve_local(day, parse_time(r.local_time), zone)
                if r.timezone == zone or due <= now:
                    continue
                await self.repo.move_reminder(conn, r.reminder_id, zone, due, now)
                rule = reminder_rule(due, r.attempt)
                await self.scheduler.put_job(conn, REMINDER_JOB, r.reminder_id, rule)
                moved += 1
        return moved

    # -- counts ---------------------------------------------------------------------------------

    async def counts(self, user_id: int, in_streak: bool | None = None) -> MemberCounts:
        owner = self.seal.owner(user_id)
        if in_streak is not None:
            async with self.store.transaction() as conn:
                await self.repo.set_in_streak(conn, owner, in_streak, self.clock.now())
        return await self.repo.counts(owner)

    async def private_lines(self, user_id: int) -> list[str]:
        """For the member's own /streak show (bot.seams.STREAK_SHOW_LINES), if they opted in."""
        counts = await self.repo.counts(self.seal.owner(user_id))
        if not counts.in_streak:
            return []
        return [m.STREAK_LINE.format(asked=counts.feedback_asked, answers=counts.answers_received)]

    async def take_notice(self, user_id: int) -> bool:
        return await self.repo.take_notice(self.seal.owner(user_id))
