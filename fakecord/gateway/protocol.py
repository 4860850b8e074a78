"""The gateway's side of one websocket: HELLO, heartbeats, IDENTIFY (READY and one GUILD_CREATE
per guild), RESUME with replay, member chunks, and the close codes for what Discord refuses."""

from __future__ import annotations

import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from ..state import GUILD_MEMBERS, GUILDS, PRIVILEGED_INTENTS
from ..util import JSON
from .connection import (
    ALL_INTENTS,
    HEARTBEAT,
    HEARTBEAT_ACK,
    HEARTBEAT_INTERVAL_MS,
    HELLO,
    IDENTIFY,
    INVALID_SESSION,
    MAX_GUILDS_PER_SESSION,
    PRESENCE_UPDATE,
    REQUEST_GUILD_MEMBERS,
    RESUME,
    VOICE_STATE_UPDATE,
    GatewayConnection,
    GatewaySession,
)

if TYPE_CHECKING:
    from .hub import GatewayHub

log = logging.getLogger("fakecord.gateway")


class GatewayProtocol:
    """Speaks the gateway protocol on each websocket for a :class:`GatewayHub`."""

    def __init__(self, hub: GatewayHub) -> None:
        self.hub = hub

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(ws, compression=request.query.get("compress"))
        self.hub.connections.append(conn)
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
                self.hub.close_codes.append(int(code))
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
                if conn.closed_with is None and ws.close_code in (1000, 1001):
                    # a client that closes cleanly ends its session (Discord invalidates it)
                    conn.session.invalid = True
            await conn.stop()
            if conn in self.hub.connections:
                self.hub.connections.remove(conn)
            await self.hub.notify()
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
            self.hub.presence = data
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
        if data.get("token") != self.hub.state.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents & ~ALL_INTENTS:
            await self._close(conn, 4013, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~self.hub.granted_intents:
            await self._close(conn, 4014, "Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None and (
            not isinstance(shard, list) or len(shard) != 2 or not 0 <= shard[0] < shard[1]
        ):
            await self._close(conn, 4010, "Invalid shard.")
            return
        self.hub.identifies.append(data)
        conn.identify = data
        session = GatewaySession(secrets.token_hex(16), intents, shard=shard)
        guilds = [
            g
            for g in self.hub.state.guilds.values()
            if g.bot_present and session.owns(g.id, self.hub.state)
        ]
        if len(guilds) > MAX_GUILDS_PER_SESSION:
            await self._close(conn, 4011, "Sharding required.")
            return
        self.hub.sessions[session.id] = session
        session.conn = conn
        conn.session = session
        ready: JSON = {
            "v": 10,
            "user": self.hub.state.bot_user.to_payload()
            | {"mfa_enabled": False, "locale": "en-US", "verified": True, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.hub.state.gateway_url,
            "application": {"id": str(self.hub.state.application_id), "flags": 0},
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
        self.hub.ready_count += 1
        log.info("fakecord gateway: session %s identified (intents %s)", session.id[:8], intents)
        await self.hub.notify()

    async def _resume(self, conn: GatewayConnection, data: JSON) -> None:
        if data.get("token") != self.hub.state.token:
            await self._close(conn, 4004, "Authentication failed.")
            return
        session = self.hub.sessions.get(str(data.get("session_id")))
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
        self.hub.resume_count += 1
        session.push("RESUMED", "{}")
        log.info("fakecord gateway: session %s resumed from seq %s", session.id[:8], seq)
        await self.hub.notify()

    def _members_chunk(self, conn: GatewayConnection, data: JSON) -> None:
        guild = self.hub.state.guilds.get(int(data.get("guild_id") or 0))
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
