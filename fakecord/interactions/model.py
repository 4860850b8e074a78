"""What an interaction is: its types, the test-bug error, and one interaction in flight with
everything the bot answered to it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from ..models import AnyChannel, FakeMember, FakeUser
from ..util import JSON

TOKEN_LIFETIME = 15 * 60.0

PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

OPTION_TYPES = {
    1: "SUB_COMMAND",
    2: "SUB_COMMAND_GROUP",
    3: "STRING",
    4: "INTEGER",
    5: "BOOLEAN",
    6: "USER",
    7: "CHANNEL",
    8: "ROLE",
    9: "MENTIONABLE",
    10: "NUMBER",
    11: "ATTACHMENT",
}

#: Callback types a client may answer with, per interaction type.
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


class InvocationError(AssertionError):
    """The test asked for an interaction Discord's client would never send (a test bug)."""


@dataclass
class FakeFile:
    """A file attached to a message: name, bytes and the attachment dict."""

    filename: str
    data: bytes
    content_type: str
    attachment: JSON

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(eq=False)
class PendingInteraction:
    """One interaction sent to the bot, and everything it answered."""

    id: int
    token: str
    type: int
    payload: JSON
    channel: AnyChannel
    user: FakeUser
    member: FakeMember | None
    deadline: float
    created: float = field(default_factory=time.monotonic)
    #: ``advance_time`` when it was created: only time advanced since then ages its token
    clock_offset: float = 0.0
    command_name: str | None = None
    source_message: JSON | None = None
    origin: PendingInteraction | None = None
    response_type: int | None = None
    response_body: JSON | None = None
    original: JSON | None = None
    original_deleted: bool = False
    followups: list[JSON] = field(default_factory=list)
    modal: JSON | None = None
    choices: list[JSON] | None = None
    missed_deadline: bool = False
    late_callbacks: int = 0
    lacked_default_permissions: bool = False
    updates: int = 0
    responded: asyncio.Event = field(default_factory=asyncio.Event)
    progressed: asyncio.Event = field(default_factory=asyncio.Event)
    #: time.monotonic() when the INTERACTION_CREATE frame was handed to the bot's socket
    dispatched_at: float | None = None
    #: time.monotonic() when the bot's first callback request reached the emulator
    callback_at: float | None = None

    def mark_dispatched(self) -> None:
        if self.dispatched_at is None:
            self.dispatched_at = time.monotonic()

    @property
    def bot_latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE leaving the emulator to the bot's callback arriving
        (the bot's own time plus loopback), None if it never answered."""
        if self.callback_at is None:
            return None
        start = self.dispatched_at if self.dispatched_at is not None else self.created
        return self.callback_at - start

    def touch(self) -> None:
        self.updates += 1
        self.progressed.set()

    def metadata(self) -> JSON:
        """``interaction_metadata`` for messages created by this interaction."""
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "user": self.user.to_payload(),
            "authorizing_integration_owners": self.payload["authorizing_integration_owners"],
        }
        if self.type == MESSAGE_COMPONENT and self.source_message is not None:
            data["interacted_message_id"] = self.source_message["id"]
        if self.type == MODAL_SUBMIT:
            if self.origin is not None:
                data["triggering_interaction_metadata"] = self.origin.metadata()
            else:
                data["triggering_interaction_metadata"] = {
                    "id": str(self.id),
                    "type": APPLICATION_COMMAND,
                    "user": self.user.to_payload(),
                    "authorizing_integration_owners": self.payload[
                        "authorizing_integration_owners"
                    ],
                }
        return data
