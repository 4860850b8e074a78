"""What a scheduled run is: the run, its outcome, the handler protocol, retries and nonces.

Pure types and functions, no database: the runner (bot.scheduling.runner) and the jobs
repository (bot.scheduling.jobs) build on them, and features import them to write handlers.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from bot.timekeeping import Occurrence, require_aware

if TYPE_CHECKING:
    from bot.db import Connection

Outcome = Literal["done", "failed", "skipped"]
#: Writes a handler wants in the same transaction that records the run's outcome (e.g. the
#: post's message id): one round trip and one commit instead of two. An ``async def (conn)`` that
#: awaits only `conn` (it runs as a `Store.run` body, on SQLite's thread there).
Recorder = Callable[["Connection"], Coroutine[Any, Any, None]]
#: What a handler's run returns: the outcome, a short detail, and optionally a Recorder.
RunOutcome = tuple[Outcome, str | None] | tuple[Outcome, str | None, Recorder]
#: What a run came to: a handler's outcome, or the scheduler's own verdicts.
ResultKind = Literal[
    "done", "failed", "skipped", "missed", "pending", "already_done", "in_progress"
]
#: What `run_state` tells a status command: posted, being sent (or will be retried), not done.
RunState = Literal["done", "in_progress", "not_done"]
#: `prune(conn, cutoff)`: a feature's history older than `cutoff` deleted; returns the rows.
Housekeeper = Callable[["Connection", datetime], Awaitable[int]]

NONCE_LENGTH = 24
# Backoff for a run that asked to be retried without saying when: 30 s, 1, 2, 4 ... 10 min.
_RETRY_BASE = timedelta(seconds=30)
_RETRY_MAX = timedelta(minutes=10)

#: Job kinds that were renamed, with the name their nonces were made from. A run claimed (and
#: perhaps sent) under the old name must carry the same nonce when it is sent again under the
#: new one, or Discord would post it twice; so nonces keep the old name. A feature that renames
#: a kind says so with :func:`keep_nonces_of` (and a migration renames its rows).
NONCE_KIND: dict[str, str] = {}


def keep_nonces_of(old_kind: str, new_kind: str) -> None:
    """Runs of `new_kind` keep the nonces they had as `old_kind`."""
    NONCE_KIND[new_kind] = old_kind


def make_nonce(kind: str, key: str, occurrence: str, part: str = "") -> str:
    """The nonce of one run (and, with `part`, of one of several messages it sends).

    Deterministic, so every retry, a re-send after a crash and a manual `now` for the same
    occurrence carry the same one; 24 base32 characters (Discord allows at most 25)."""
    digest = hashlib.blake2b(
        "\x1f".join((NONCE_KIND.get(kind, kind), key, occurrence, part)).encode("utf-8"),
        digest_size=15,
    ).digest()
    return base64.b32encode(digest).decode("ascii").lower()


def to_epoch(instant: datetime) -> int:
    return int(require_aware(instant).timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def retry_delay(attempt: int) -> timedelta:
    """30 s after the first attempt, doubling, at most 10 minutes."""
    return min(_RETRY_BASE * (2 ** max(0, attempt - 1)), _RETRY_MAX)


class RetryLater(Exception):
    """Raised by a handler (or the sender) when the work may well succeed later.

    The run becomes ``pending`` and is tried again after `after` (default: a backoff that
    doubles with each attempt), with the same nonce, until its grace window ends."""

    def __init__(self, detail: str, *, after: timedelta | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.after = after


@dataclass(frozen=True, slots=True)
class DueRun:
    kind: str
    key: str
    occurrence: str
    due_at: datetime
    started_at: datetime
    rule: Mapping[str, Any]
    attempt: int = 1
    #: run by hand (Scheduler.run_now), not by the schedule
    manual: bool = False
    #: what the handler's ``prepare_in`` read in the claim's transaction (None: not prepared,
    #: or it failed; the handler then reads for itself)
    prepared: Any = field(default=None, compare=False, repr=False)

    @property
    def lateness(self) -> timedelta:
        return self.started_at - self.due_at

    @property
    def nonce(self) -> str:
        """The nonce for the run's message (pass it to the sender)."""
        return make_nonce(self.kind, self.key, self.occurrence)

    def nonce_for(self, part: str) -> str:
        """A nonce for another message the same run sends (a notice, a second post)."""
        return make_nonce(self.kind, self.key, self.occurrence, part)


@dataclass(frozen=True, slots=True)
class RunResult:
    run: DueRun
    outcome: ResultKind
    detail: str | None = None


class JobHandler(Protocol):
    """What a feature registers for one kind of scheduled work."""

    kind: str

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        """The first occurrence strictly after `after`, or None when the schedule has ended."""
        ...

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        """How late an occurrence may still run; older ones are recorded as missed."""
        ...

    async def run(self, run: DueRun) -> RunOutcome:
        """Do the work; return the outcome and a short detail (no personal data), and
        optionally a Recorder for what must be stored with the outcome.

        Raise RetryLater for a passing problem; send with `run.nonce` so a retry cannot
        double a message."""
        ...


class PreparesInClaim(Protocol):
    """A JobHandler may also read what its run needs inside the claim's transaction (e.g. a
    post's schedule and today's card): on SQLite one round trip for a batch of claimed runs
    instead of one read each. The result arrives as ``run.prepared``. It must only await `conn`
    (a `Store.run` body) and use pure Python; if it raises, the run gets ``prepared=None``."""

    async def prepare_in(self, conn: Connection, run: DueRun) -> Any: ...


def is_resumable(handler: JobHandler) -> bool:
    """A handler with ``resumable = True`` makes its side effect idempotent without a nonce
    (it looks for what an earlier attempt made before making it: bot.creating), so a run a
    crash left claimed is run again at any age, not only inside the nonce window."""
    return bool(getattr(handler, "resumable", False))
