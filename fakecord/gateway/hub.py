"""All gateway sessions and connections of one emulator: dispatching events to the sessions
that should get them (intents, shards, MESSAGE_CONTENT), and the faults a test injects."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from ..models import FakeGuild
from ..state import GUILD_MEMBERS, GUILDS, MESSAGE_CONTENT, FakeState
from ..util import JSON
from .connection import INVALID_SESSION, RECONNECT, GatewayConnection, GatewaySession
from .protocol import GatewayProtocol

_GUILD_ID_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})


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
        self.protocol = GatewayProtocol(self)
        state.hub = self

    async def notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Any, timeout: float) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(predicate)

    async def wait_for_identify(self, count: int = 1, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` sessions were identified (READY sent) in total."""
        await self.wait_until(lambda: self.ready_count >= count, timeout)

    async def wait_for_resume(self, count: int = 1, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` RESUMEs were accepted in total."""
        await self.wait_until(lambda: self.resume_count >= count, timeout)

    async def wait_for_disconnect(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until no gateway connection is open."""
        await self.wait_until(lambda: not self.connections, timeout)

    @property
    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if not s.invalid]

    @property
    def connected_sessions(self) -> list[GatewaySession]:
        return [s for s in self.live_sessions if s.conn is not None]

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

    async def drop(self, code: int = 4000, reason: str = "") -> int:
        """Close every open connection with ``code``. Returns how many were closed."""
        conns = [c for c in self.connections if not c.ws.closed]
        for conn in conns:
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            await conn.close(code, reason)
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

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler of the gateway websocket (at ``/``)."""
        return await self.protocol.handle(request)


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
