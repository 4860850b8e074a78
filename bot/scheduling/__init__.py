"""The scheduler. The database says what is due; a small loop wakes when something is.

Each schedule is a row in `scheduled_jobs` with the UTC instant of its next run and an
*occurrence* label (for a daily post, the local date it is for). Every run of every feature
(server posts, personal DMs, story delays, digests, weekly prompts) goes through here:

1. **Claim as you go.** A bounded pool of workers (``workers``, default 16) takes due runs a few
   at a time, each claim one transaction: insert ``(kind, key, occurrence)`` into `job_runs`
   as ``claimed`` and move the job's ``next_run_at`` on. The insert can succeed only once per
   occurrence, so an overlapping tick, a second process, a gateway resume or the repeated hour
   when clocks fall back cannot run an occurrence twice. Occurrences older than the feature's
   grace window are recorded as ``missed``. A crash touches only what was in flight.
   A handler may also read what its run needs in that transaction (:class:`PreparesInClaim`,
   e.g. a post's schedule and card): one round trip for the batch, not one per run.
2. **Run** outside the transaction, then record the outcome (``done``, ``failed``,
   ``skipped``). A worker is free as soon as its handler returns; outcomes that finish while
   other runs are still sending are committed together (:mod:`bot.db.group_commit`: one commit
   and one fsync for several posts, at most 0.1 s later; a run that was sent but not yet
   recorded when the process dies is re-sent with its nonce, step 3). A handler that raises
   :class:`RetryLater` (a passing Discord error, a server that is unavailable right now) leaves
   the run ``pending`` until ``retry_at``; it is tried again, with the same nonce, until its
   grace window ends, and only then recorded ``failed``.
3. **Idempotent sends.** Each run has a nonce derived from ``(kind, key, occurrence)``
   (:func:`make_nonce`, 24 characters; Discord allows 25). Discord returns the first message
   instead of posting again when the same bot sends the same nonce to the same channel within
   a few minutes. So on start, a run a crash left ``claimed`` is sent again (``pending``, due
   now) if it was claimed within ``nonce_window``, and recorded ``interrupted`` only past it:
   after ``kill -9`` nothing is doubled and nothing is lost. A handler marked ``resumable``
   (its create looks for what an earlier attempt made: :mod:`bot.creating`) is run again at
   any age.
4. **Graceful stop.** :meth:`Scheduler.stop` stops claiming, gives what is in flight a few
   seconds (``drain_seconds``) to finish and record, and cancels the rest (left ``claimed``:
   the next start re-sends them with their nonce). What was never claimed is still due and is
   served by the next start inside its grace window.
5. **Wake on time.** The loop sleeps until the next due instant (or pending retry), at most
   ``tick_seconds`` (a safety tick), on an APScheduler timer that follows the injected clock
   (:mod:`bot.scheduling.waking`); :meth:`Scheduler.wake` cuts a sleep short.
6. **Housekeeping.** Finished run history older than ``history_days`` is pruned hourly (a timer
   of the same kind), and features may register their own pruning
   (:meth:`Scheduler.add_housekeeping`).

Features register a :class:`JobHandler` per kind and send through :mod:`bot.sending` with
``run.nonce``; ``/… now`` style commands call :meth:`Scheduler.run_now` so a manual run takes
the same claim/run/record path and the same nonce as the scheduled one.

The package: :mod:`~bot.scheduling.model` (runs, outcomes, the handler protocol, retries,
nonces), :mod:`~bot.scheduling.jobs` (the only SQL on `scheduled_jobs` and `job_runs`),
:mod:`~bot.scheduling.schedules` (what features call), :mod:`~bot.scheduling.runner` (loop,
pool, claim, execute, recover, stop), :mod:`~bot.scheduling.waking` (the timers) and
:mod:`~bot.scheduling.housekeeping` (the hourly pruning); durable events between features are
jobs too (:mod:`~bot.scheduling.events`).
"""

from bot.scheduling import jobs
from bot.scheduling.jobs import due_jobs_sql
from bot.scheduling.model import (
    NONCE_KIND,
    NONCE_LENGTH,
    DueRun,
    Housekeeper,
    JobHandler,
    Outcome,
    PreparesInClaim,
    Recorder,
    ResultKind,
    RetryLater,
    RunOutcome,
    RunResult,
    RunState,
    from_epoch,
    is_resumable,
    keep_nonces_of,
    make_nonce,
    retry_delay,
    to_epoch,
)
from bot.scheduling.runner import Scheduler
from bot.timekeeping import Occurrence

__all__ = [
    "NONCE_KIND",
    "NONCE_LENGTH",
    "DueRun",
    "Housekeeper",
    "JobHandler",
    "Occurrence",
    "Outcome",
    "PreparesInClaim",
    "Recorder",
    "ResultKind",
    "RetryLater",
    "RunOutcome",
    "RunResult",
    "RunState",
    "Scheduler",
    "due_jobs_sql",
    "from_epoch",
    "is_resumable",
    "jobs",
    "keep_nonces_of",
    "make_nonce",
    "retry_delay",
    "to_epoch",
]
