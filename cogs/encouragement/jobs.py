"""The scheduler's view of encouragement: author digests and weekly roundups are due work of the
one engine (claimed once per occurrence, across restarts), run by the service."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.scheduling import DueRun, Occurrence, Outcome, from_epoch
from cogs.encouragement import logic
from cogs.encouragement.repository import DIGEST_JOB, ROUNDUP_JOB
from cogs.encouragement.service import EncouragementService


class DigestJob:
    """One pending digest per story: rule {"at": epoch}; it ends after running."""

    kind = DIGEST_JOB

    def __init__(self, service: EncouragementService) -> None:
        self.service = service

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["at"]))
        return Occurrence(due, logic.digest_label(due)) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        # A digest is still welcome after a long outage; it only gathers what is new.
        return timedelta(days=7)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await self.service.send_digest(int(run.key), run.nonce)


class RoundupJob:
    """Every Monday morning per server: rule {"zone": IANA name}; occurrence = the ISO week."""

    kind = ROUNDUP_JOB

    def __init__(self, service: EncouragementService) -> None:
        self.service = service

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        occurrence = logic.next_roundup(after, str(rule.get("zone") or "UTC"))
        return Occurrence(occurrence.due_at, occurrence.week)

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        # Still worth posting on Monday evening; a roundup on Thursday would be stale.
        return timedelta(hours=12)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await self.service.post_roundup(
            int(run.key), run.occurrence, str(run.rule.get("zone") or "UTC"), run.nonce
        )
