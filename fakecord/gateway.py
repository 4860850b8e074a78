"""The gateway websocket: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME with replay,
INVALID_SESSION, RECONNECT and dispatches, as text JSON frames (or zlib-stream if asked)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .models import FakeGuild
from .state import (
    GUILD_MEMBERS,
    GUILDS,
    MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
    FakeState,
)
from .util import JSON

log = logging.getLogger("fakecord.gateway")

HEARTBEAT_INTERVAL_MS = 41250
MAX_BUFFER = 5000
ALL_INTENTS = (1 << 26) - 1
#: Discord refuses a session with more guilds than this (close code 4011).
MAX_GUILDS_PER_SESSION = 2500
_GUILD_ID_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})

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


class GatewayHub:
    """All gateway sessions and connections of one emulator."""

    def __init__(self, state: FakeState, *, granted_intents: int = 0) -> None:
        self.state = state
        self.granted_intents = granted_intents
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: list[GatewayConnection] = []
        self.identifies: list[JSON] = []
        self.close_codes: list[int] = []
        self.presence: JSON | None = None
        self._changed = asyncio.Condition()
        self.ready_count = 0
        self.resume_count = 0
        # When the last event was dispatched (settle() waits for the bot to react to it).
        self.last_dispatch = 0.0
        state.hub = self

    # -- waiting --------------------------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Any, timeout: float) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(predicate)

    @property
    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if not s.invalid]

    @property
    def connected_sessions(self) -> list[GatewaySession]:
        return [s for s in self.live_sessions if s.conn is not None]

    # -- dispatch -------------------------------------------------------------------------------
    def dispatch(
        self,
        event: str,
        data: Any,
        *,
        intent: int | None = None,
        on_written: Callable[[], None] | None = None,
    ) -> None:
        self.last_dispatch = time.monotonic()
        data_json = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        stripped_json: str | None = None
        guild_id = _event_guild_id(event, data)
        for session in self.live_sessions:
            if intent is not None and not session.intents & intent:
                continue
            if not session.owns(guild_id, self.state):
                continue
            if self._needs_content_strip(event, data, session):
                if stripped_json is None:
                    stripped = dict(data)
                    stripped.update(content="", embeds=[], attachments=[], components=[])
                    stripped_json = json.dumps(stripped, separators=(",", ":"), ensure_ascii=False)
                session.push(event, stripped_json)
            else:
                session.push(event, data_json, on_written=on_written)

    def _needs_content_strip(self, event: str, data: Any, session: GatewaySession) -> bool:
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or session.intents & MESSAGE_CONTENT:
            return False
        if not isinstance(data, dict) or "guild_id" not in data:
            return False  # DMs keep content
        bot_id = str(self.state.bot_user.id)
        if data.get("author", {}).get("id") == bot_id:
            return False
        return not any(m.get("id") == bot_id for m in data.get("mentions", []))

    def dispatch_guild_event(self, guild_id: int, event: str, data: JSON) -> None:
        data_json = json.dumps(data, separators=(",", ":"))
        for session in self.live_sessions:
            if session.intents & GUILDS and session.owns(guild_id, self.state):
                session.push(event, data_json)

    def dispatch_guild_create(self, guild: FakeGuild, *, joined: bool = True) -> None:
        self.last_dispatch = time.monotonic()
        for session in self.live_sessions:
            if not session.intents & GUILDS or not session.owns(guild.id, self.state):
                continue
            payload = guild.gateway_payload(all_members=bool(session.intents & GUILD_MEMBERS))
            if joined:
                payload.pop("unavailable", None)
            session.push("GUILD_CREATE", json.dumps(payload, separators=(",", ":")))

    # -- faults ---------------------------------------------------------------------------------
    async def drop(self, code: int = 4000, message: str = "") -> int:
        """Close every open connection with ``code``. Returns how many were closed."""
        conns = [c for c in self.connections if not c.ws.closed]
        for conn in conns:
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            await conn.close(code, message)
        return len(conns)

    def invalidate(self, *, resumable: bool = False) -> None:
        """Send INVALID_SESSION to every connected session; non-resumable ends the session."""
        for session in self.connected_sessions:
            conn = session.conn
            assert conn is not None
            if not resumable:
                session.invalid = True
            conn.send_json({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})

    def reconnect(self) -> None:
        """Send op 7 RECONNECT to every connected session (the client resumes)."""
        for session in self.connected_sessions:
            assert session.conn is not None
            session.conn.send_json({"op": RECONNECT, "d": None, "s": None, "t": None})

    async def close_all(self) -> None:
        for conn in list(self.connections):
            await conn.close(1001, "fakecord shutting down")
            await conn.stop()

    # -- the websocket --------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(ws, compression=request.query.get("compress"))
        self.connections.append(conn)
        conn.send_json(
            {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}, "s": None, "t": None}
        )
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        payload = json.loads(msg.data)
                    except ValueError:
                        await self._close(conn, 4002, "Error while decoding payload.")
                        break
                    await self._on_payload(conn, payload)
                elif msg.type is WSMsgType.BINARY:
                    await self._close(conn, 4002, "Error while decoding payload.")
                    break
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            code = conn.closed_with if conn.closed_with is not None else ws.close_code
            if code is not None:
                self.close_codes.append(int(code))
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
                if conn.closed_with is None and ws.close_code in (1000, 1001):
                    # a client that closes cleanly ends its session (Discord invalidates it)
                    conn.session.invalid = True
            await conn.stop()
            if conn in self.connections:
                self.connections.remove(conn)
            await self._notify()
        return ws

    async def _close(self, conn: GatewayConnection, code: int, reason: str) -> None:
        log.warning("fakecord gateway closing a connection with %s (%s)", code, reason)
        if conn.session is not None and conn.session.conn is conn:
            conn.session.conn = None
        await conn.flush()
        await conn.close(code, reason)

    async def _on_payload(self, conn: GatewayConnection, payload: Any) -> None:
        if not isinstance(payload, dict):
            await self._close(conn, 4002, "Error while decoding payload.")
            return
        op = payload.get("op")
        data = payload.get("d")
        if op == HEARTBEAT:
            conn.heartbeats += 1
            conn.send_json({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            return
        if op == IDENTIFY:
            await self._identify(conn, data if isinstance(data, dict) else {})
            return
        if op == RESUME:
            await self._resume(conn, data if isinstance(data, dict) else {})
            return
        if conn.session is None:
            await self._close(conn, 4003, "Not authenticated.")
            return
        if op == PRESENCE_UPDATE:
            self.presence = data
            return
        if op == VOICE_STATE_UPDATE:
            return
        if op == REQUEST_GUILD_MEMBERS:
            self._members_chunk(conn, data if isinstance(data, dict) else {})
            return
        await self._close(conn, 4001, "Unknown opcode.")

    async def _identify(self, conn: GatewayConnection, data: JSON) -> None:
        if conn.session is not None:
            await self._close(conn, 4005, "Already authenticated.")
            return
        if data.get("token") != self.state.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents & ~ALL_INTENTS:
            await self._close(conn, 4013, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~self.granted_intents:
            await self._close(conn, 4014, "Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None and (
            not isinstance(shard, list) or len(shard) != 2 or not 0 <= shard[0] < shard[1]
        ):
            await self._close(conn, 4010, "Invalid shard.")
            return
        self.identifies.append(data)
        conn.identify = data
        session = GatewaySession(secrets.token_hex(16), intents, shard=shard)
        guilds = [
            g
            for g in self.state.guilds.values()
            if g.bot_present and session.owns(g.id, self.state)
        ]
        if len(guilds) > MAX_GUILDS_PER_SESSION:
            await self._close(conn, 4011, "Sharding required.")
            return
        self.sessions[session.id] = session
        session.conn = conn
        conn.session = session
        ready: JSON = {
            "v": 10,
            "user": self.state.bot_user.to_payload()
            | {"mfa_enabled": False, "locale": "en-US", "verified": True, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.state.gateway_url,
            "application": {"id": str(self.state.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fakecord"],
            "user_settings": {},
            "_trace": ["fakecord"],
        }
        if shard is not None:
            ready["shard"] = shard
        session.push("READY", json.dumps(ready, separators=(",", ":")))
        for guild in guilds:
            if intents & GUILDS and not guild.outage:
                payload = guild.gateway_payload(all_members=bool(intents & GUILD_MEMBERS))
                session.push("GUILD_CREATE", json.dumps(payload, separators=(",", ":")))
        self.ready_count += 1
        log.info("fakecord gateway: session %s identified (intents %s)", session.id[:8], intents)
        await self._notify()

    async def _resume(self, conn: GatewayConnection, data: JSON) -> None:
        if data.get("token") != self.state.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.invalid:
            conn.send_json({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        seq = data.get("seq") or 0
        if session.conn is not None and session.conn is not conn:
            old = session.conn
            session.conn = None
            await old.close(4000, "Session resumed elsewhere")
        for s, frame in session.buffer:
            if s > seq:
                conn.send(frame)
        session.conn = conn
        conn.session = session
        session.resumes += 1
        self.resume_count += 1
        session.push("RESUMED", "{}")
        log.info("fakecord gateway: session %s resumed from seq %s", session.id[:8], seq)
        await self._notify()

    def _members_chunk(self, conn: GatewayConnection, data: JSON) -> None:
        guild = self.state.guilds.get(int(data.get("guild_id") or 0))
        if guild is None or conn.session is None:
            return
        members = list(guild.members.values())
        user_ids = data.get("user_ids")
        if user_ids:
            wanted = {int(u) for u in user_ids}
            members = [m for m in members if m.id in wanted]
        query = data.get("query")
        if query:
            members = [m for m in members if m.name.lower().startswith(str(query).lower())]
        limit = data.get("limit") or 0
        if limit:
            members = members[:limit]
        payload: JSON = {
            "guild_id": str(guild.id),
            "members": [m.to_payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            payload["nonce"] = data["nonce"]
        conn.session.push("GUILD_MEMBERS_CHUNK", json.dumps(payload, separators=(",", ":")))


def _event_guild_id(event: str, data: Any) -> int | None:
    """The guild an event belongs to (its shard gets it), or None (shard 0 gets it)."""
    if not isinstance(data, dict):
        return None
    raw = data.get("guild_id")
    if raw is None and event in _GUILD_ID_EVENTS:
        raw = data.get("id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None
