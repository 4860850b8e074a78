"""The gateway websocket: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME with replay,
INVALID_SESSION, RECONNECT and dispatches, as text JSON frames (or zlib-stream if asked).

``connection`` (a session and a websocket), ``protocol`` (what is said on one websocket) and
``hub`` (every session: dispatching events, injected faults, waiting for the client).
"""

from ..state import GUILD_MEMBERS, GUILDS, MESSAGE_CONTENT, PRIVILEGED_INTENTS
from .connection import (
    ALL_INTENTS,
    DISPATCH,
    HEARTBEAT,
    HEARTBEAT_ACK,
    HEARTBEAT_INTERVAL_MS,
    HELLO,
    IDENTIFY,
    INVALID_SESSION,
    MAX_BUFFER,
    MAX_GUILDS_PER_SESSION,
    PRESENCE_UPDATE,
    RECONNECT,
    REQUEST_GUILD_MEMBERS,
    RESUME,
    VOICE_STATE_UPDATE,
    GatewayConnection,
    GatewaySession,
)
from .hub import GatewayHub
from .protocol import GatewayProtocol

__all__ = [
    "ALL_INTENTS",
    "DISPATCH",
    "GUILDS",
    "GUILD_MEMBERS",
    "HEARTBEAT",
    "HEARTBEAT_ACK",
    "HEARTBEAT_INTERVAL_MS",
    "HELLO",
    "IDENTIFY",
    "INVALID_SESSION",
    "MAX_BUFFER",
    "MAX_GUILDS_PER_SESSION",
    "MESSAGE_CONTENT",
    "PRESENCE_UPDATE",
    "PRIVILEGED_INTENTS",
    "RECONNECT",
    "REQUEST_GUILD_MEMBERS",
    "RESUME",
    "VOICE_STATE_UPDATE",
    "GatewayConnection",
    "GatewayHub",
    "GatewayProtocol",
    "GatewaySession",
]
