"""Group commit: many small write transactions of the event loop, committed together.

On a busy morning each post ends in a small write (the run's outcome, the post's message id,
the server's deck). One transaction each is one round trip to the database, one COMMIT and,
at ``synchronous=FULL``, one fsync per post. :class:`GroupCommit` collects the writes that
arrive within ``linger`` seconds and commits them in one transaction, each inside its own
SAVEPOINT: a write that raises is rolled back alone and its caller gets the exception; the
others are committed. Every caller returns only once its write is durable.

A caller that should not wait (nothing else is coming soon, or a person is waiting for the
answer) passes ``soon=True``: the batch is committed at once with whatever it holds.

Lingering trades a little latency for fewer commits; it is safe for the scheduler's records
because a run that was sent but not yet recorded when the process dies is sent again with the
same nonce after the restart, and Discord answers with the first message.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

import aiosqlite

from bot.db.connection import Store, must_retry

#: One write: an ``async def (conn)`` that awaits only `conn` (a `Store.run` body).
Write = Callable[[aiosqlite.Connection], Coroutine[Any, Any, None]]

#: Seconds a write may wait for others to join its commit.
DEFAULT_LINGER = 0.1
#: Writes per commit at most (a full batch is committed at once).
DEFAULT_MAX_BATCH = 64


async def _apply(conn: aiosqlite.Connection, writes: list[Write]) -> list[BaseException | None]:
    """Each write in its own savepoint, inside the caller's transaction."""
    if len(writes) == 1:  # the transaction itself is the savepoint
        await writes[0](conn)
        return [None]
    errors: list[BaseException | None] = []
    for write in writes:
        await conn.execute("SAVEPOINT group_write")
        try:
            await write(conn)
        except Exception as exc:
            if must_retry(exc):  # the whole batch runs again (PostgreSQL: a lost conflict)
                raise
            await conn.execute("ROLLBACK TO group_write")
            errors.append(exc)
        else:
            errors.append(None)
        await conn.execute("RELEASE group_write")
    return errors


class GroupCommit:
    def __init__(
        self,
        store: Store,
        *,
        linger: float = DEFAULT_LINGER,
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> None:
        if linger < 0 or max_batch < 1:
            raise ValueError("linger must be >= 0 and max_batch >= 1")
        self._store = store
        self.linger = linger
        self.max_batch = max_batch
        self._pending: list[tuple[Write, asyncio.Future[None]]] = []
        self._soon = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None
        #: commits made and writes committed so far (tests and benchmarks read them)
        self.commits = 0
        self.writes = 0

    async def write(self, write: Write, *, soon: bool = False) -> None:
        """Run `write(conn)` in the next group commit; return once it is committed. Raises
        what `write` raised (its changes rolled back), or what the commit raised."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # Retrieved even when the caller was cancelled meanwhile (no "never retrieved" noise).
        future.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._pending.append((write, future))
        if soon or len(self._pending) >= self.max_batch:
            self._soon.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="rebound-group-commit")
        # A caller cancelled while waiting leaves its write in the batch: it still commits.
        await asyncio.shield(future)

    def hurry(self) -> None:
        """Commit what is waiting without lingering any more (the bot is stopping)."""
        self._soon.set()

    async def drain(self) -> None:
        """Commit whatever is waiting now and wait for it (before the store closes)."""
        self._soon.set()
        flusher = self._flusher
        if flusher is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(flusher)

    async def _flush(self) -> None:
        while self._pending:
            if not self._soon.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._soon.wait(), timeout=self.linger)
            self._soon.clear()
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            if len(self._pending) >= self.max_batch:
                self._soon.set()
            try:
                errors = await self._store.run(_apply, [write for write, _ in batch])
            except Exception as exc:  # the commit failed: nobody's write is stored
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.commits += 1
            self.writes += len(batch)
            for (_, future), error in zip(batch, errors, strict=True):
                if future.done():
                    continue
                if error is None:
                    future.set_result(None)
                else:
                    future.set_exception(error)
