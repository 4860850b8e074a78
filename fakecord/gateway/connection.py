"""One gateway session (IDENTIFY starts it, RESUME continues it) and one websocket, whose frames
go out through a queue drained by a single writer task; the opcodes and gateway limits."""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web

from ..util import JSON

if TYPE_CHECKING:
    from ..state import FakeState


HEARTBEAT_INTERVAL_MS = 41250
MAX_BUFFER = 5000
ALL_INTENTS = (1 << 26) - 1
#: Discord refuses a session with more guilds than this (close code 4011).
MAX_GUILDS_PER_SESSION = 2500

DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
VOICE_STATE_UPDATE = 4
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11


@dataclass(eq=False)
class GatewaySession:
    """One gateway session (created by IDENTIFY, continued by RESUME)."""

    id: str
    intents: int
    shard: list[int] | None = None
    seq: int = 0
    buffer: list[tuple[int, str]] = field(default_factory=list)
    conn: GatewayConnection | None = None
    invalid: bool = False
    resumes: int = 0

    def owns(self, guild_id: int | None, state: FakeState) -> bool:
        """Whether this session's shard gets a guild's events (DMs and the like: shard 0)."""
        if self.shard is None:
            return True
        if guild_id is None:
            return self.shard[0] == 0
        return state.shard_of(guild_id, self.shard[1]) == self.shard[0]

    def push(
        self, event: str, data_json: str, *, on_written: Callable[[], None] | None = None
    ) -> None:
        self.seq += 1
        frame = f'{{"op":0,"t":"{event}","s":{self.seq},"d":{data_json}}}'
        self.buffer.append((self.seq, frame))
        if len(self.buffer) > MAX_BUFFER:
            del self.buffer[: len(self.buffer) - MAX_BUFFER]
        if self.conn is not None:
            self.conn.send(frame, on_written=on_written)


class GatewayConnection:
    """One websocket. Frames go through a queue drained by a single writer task."""

    def __init__(self, ws: web.WebSocketResponse, *, compression: str | None) -> None:
        self.ws = ws
        self.compression = compression
        self.closed_with: int | None = None
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.session: GatewaySession | None = None
        self._zlib = zlib.compressobj() if compression == "zlib-stream" else None
        self.heartbeats = 0
        self.identify: JSON | None = None
        # id(frame) -> called once that frame was handed to the socket (interaction timing)
        self._written_hooks: dict[int, Callable[[], None]] = {}
        self.writer = asyncio.create_task(self._write(), name="fakecord-gateway-writer")

    def send(self, frame: str, *, on_written: Callable[[], None] | None = None) -> None:
        if on_written is not None:
            self._written_hooks[id(frame)] = on_written
        self.queue.put_nowait(frame)

    @property
    def pending_frames(self) -> int:
        """Frames queued but not yet written to the socket."""
        return self.queue.qsize()

    def send_json(self, payload: JSON) -> None:
        self.send(json.dumps(payload, separators=(",", ":"), ensure_ascii=False))

    async def _write(self) -> None:
        try:
            while True:
                frame = await self.queue.get()
                self.queue.task_done()
                if frame is None or self.ws.closed:
                    return
                if self._zlib is not None:
                    data = self._zlib.compress(frame.encode())
                    await self.ws.send_bytes(data + self._zlib.flush(zlib.Z_SYNC_FLUSH))
                else:
                    await self.ws.send_str(frame)
                hook = self._written_hooks.pop(id(frame), None)
                if hook is not None:
                    hook()
        except (ConnectionError, RuntimeError):
            return
        finally:
            while not self.queue.empty():  # nothing more will be written
                self.queue.get_nowait()
                self.queue.task_done()

    async def flush(self, timeout: float = 2.0) -> None:  # noqa: ASYNC109
        """Wait until queued frames were written (best effort)."""
        if self.writer.done():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.queue.join(), timeout)

    async def close(self, code: int, message: str = "") -> None:
        if self.closed_with is None:
            self.closed_with = code
        self.queue.put_nowait(None)
        if not self.ws.closed:
            with contextlib.suppress(Exception):
                await self.ws.close(code=code, message=message.encode())

    async def stop(self) -> None:
        self.queue.put_nowait(None)
        self.writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.writer
