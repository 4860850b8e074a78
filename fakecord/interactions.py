"""Interactions: building INTERACTION_CREATE payloads the way Discord does, and the server side of
callbacks, ``@original`` and followups (deadline, 15-minute tokens, 40060 on a second ack)."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import permissions as P
from .messages import (
    ATTACHMENT_SIZE_LIMIT,
    EPHEMERAL,
    LOADING,
    WEBHOOK_DEFAULT_PARSE,
    StoredFile,
    UploadedFile,
    apply_edit,
    build_message,
    public,
)
from .models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
)
from .util import JSON, ApiError, unknown_interaction, unknown_message, unknown_webhook

if TYPE_CHECKING:
    from .state import FakeState

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


class InteractionResult:
    """What the bot answered to one interaction. Live: later edits and followups show up."""

    def __init__(self, pending: PendingInteraction, state: FakeState) -> None:
        self._p = pending
        self._state = state

    def __repr__(self) -> str:
        return (
            f"<InteractionResult type={self.type} ephemeral={self.ephemeral} "
            f"missed_deadline={self.missed_deadline} followups={len(self._p.followups)}>"
        )

    @property
    def pending(self) -> PendingInteraction:
        return self._p

    @property
    def id(self) -> int:
        return self._p.id

    @property
    def token(self) -> str:
        return self._p.token

    @property
    def interaction(self) -> JSON:
        """The INTERACTION_CREATE payload that was sent."""
        return self._p.payload

    @property
    def type(self) -> int | None:
        """The callback type the bot answered with (4, 5, 6, 7, 8 or 9), None if none."""
        return self._p.response_type

    @property
    def deferred(self) -> bool:
        return self._p.response_type in (5, 6)

    @property
    def bot_latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE leaving the emulator to the callback arriving."""
        return self._p.bot_latency

    @property
    def missed_deadline(self) -> bool:
        return self._p.missed_deadline

    @property
    def lacked_default_permissions(self) -> bool:
        """The member lacked the command's default_member_permissions (dispatched anyway)."""
        return self._p.lacked_default_permissions

    @property
    def message(self) -> JSON | None:
        """The response message dict (for 6/7: the component's message), None if deleted."""
        if self._p.original_deleted:
            return None
        return self._p.original

    @property
    def deleted(self) -> bool:
        return self._p.original_deleted

    @property
    def content(self) -> str | None:
        msg = self.message
        return None if msg is None else msg["content"]

    @property
    def embeds(self) -> list[JSON]:
        msg = self.message
        return [] if msg is None else msg["embeds"]

    @property
    def components(self) -> list[JSON]:
        msg = self.message
        return [] if msg is None else msg["components"]

    @property
    def ephemeral(self) -> bool:
        msg = self.message
        if msg is not None:
            return bool(msg["flags"] & EPHEMERAL)
        body = self._p.response_body or {}
        return bool(int((body.get("data") or {}).get("flags") or 0) & EPHEMERAL)

    @property
    def files(self) -> list[FakeFile]:
        msg = self.message
        return [] if msg is None else files_of(self._state, msg)

    @property
    def modal(self) -> JSON | None:
        """For a type 9 answer: ``{"custom_id", "title", "components"}`` as the bot sent them."""
        return self._p.modal

    @property
    def choices(self) -> list[JSON] | None:
        return self._p.choices

    @property
    def followups(self) -> list[JSON]:
        return list(self._p.followups)

    async def wait_for_followups(self, count: int = 1, timeout: float = 3.0) -> list[JSON]:  # noqa: ASYNC109
        """Wait until at least ``count`` followups arrived."""
        async with asyncio.timeout(timeout):
            while len(self._p.followups) < count:
                self._p.progressed.clear()
                await self._p.progressed.wait()
        return self.followups

    async def wait_for_update(self, timeout: float = 3.0) -> None:  # noqa: ASYNC109
        """Wait for the next edit of the original response or a followup."""
        before = self._p.updates
        async with asyncio.timeout(timeout):
            while self._p.updates == before:
                self._p.progressed.clear()
                await self._p.progressed.wait()


def files_of(state: FakeState, msg: JSON) -> list[FakeFile]:
    out = []
    for att in msg.get("attachments", []):
        stored = state.files.get(int(att["id"]))
        if stored is not None:
            out.append(FakeFile(stored.filename, stored.data, stored.content_type, att))
    return out


# -- payload building ------------------------------------------------------------------------------
def member_payload(member: FakeMember, channel: FakeChannel | FakeThread) -> JSON:
    return member.to_payload() | {"permissions": str(member.permissions_in(channel))}


def channel_payload(state: FakeState, channel: AnyChannel, member: FakeMember | None) -> JSON:
    if isinstance(channel, FakeDMChannel):
        return channel.to_payload()
    if isinstance(channel, FakeThread):
        data = channel.to_payload(bot_id=state.bot_user.id)
    else:
        data = channel.to_payload()
    if member is not None:
        data["permissions"] = str(member.permissions_in(channel))
    return data


def resolved_channel(state: FakeState, channel: AnyChannel, member: FakeMember | None) -> JSON:
    data = channel_payload(state, channel, member)
    data.setdefault("permissions", str(P.ALL if member is None else 0))
    return data


class Resolver:
    """Collects the ``resolved`` map of an interaction."""

    def __init__(self, state: FakeState, member: FakeMember | None) -> None:
        self.state = state
        self.member = member
        self.data: JSON = {}

    def user(self, obj: FakeUser | FakeMember) -> str:
        user = obj.user if isinstance(obj, FakeMember) else obj
        self.data.setdefault("users", {})[str(user.id)] = user.to_payload()
        guild = self.member.guild if self.member is not None else None
        m = obj if isinstance(obj, FakeMember) else (guild.get_member(user) if guild else None)
        if m is not None and self.member is not None:
            channel_perms = str(m.guild_permissions())
            entry = m.to_payload(with_user=False) | {"permissions": channel_perms}
            self.data.setdefault("members", {})[str(user.id)] = entry
        return str(user.id)

    def role(self, role: FakeRole) -> str:
        self.data.setdefault("roles", {})[str(role.id)] = role.to_payload()
        return str(role.id)

    def channel(self, channel: AnyChannel) -> str:
        self.data.setdefault("channels", {})[str(channel.id)] = resolved_channel(
            self.state, channel, self.member
        )
        return str(channel.id)

    def attachment(self, value: Any) -> str:
        if isinstance(value, tuple) and len(value) in (2, 3):
            filename, data = value[0], value[1]
            ctype = value[2] if len(value) == 3 else "application/octet-stream"
        else:
            raise InvocationError("attachment options take (filename, bytes[, content_type])")
        aid = self.state.next_id()
        self.state.files[aid] = StoredFile(aid, filename, ctype, bytes(data))
        url = f"{self.state.base_url}/attachments/0/{aid}/{filename}"
        self.data.setdefault("attachments", {})[str(aid)] = {
            "id": str(aid),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": ctype,
        }
        return str(aid)


# Discord's limits on what a person can send as an option (application-commands docs).
MAX_STRING_OPTION = 6000
MAX_SAFE_INTEGER = 2**53 - 1


def _coerce_option(
    opt: JSON, value: Any, resolver: Resolver, channel: AnyChannel, *, focused: bool = False
) -> JSON:
    name, otype = opt["name"], opt["type"]
    out: JSON = {"name": name, "type": otype}
    where = f"option {name!r} ({OPTION_TYPES.get(otype, otype)})"
    if focused:
        typed = "" if value is None else str(value)
        if len(typed) > MAX_STRING_OPTION:
            raise InvocationError(f"{where}: Discord lets nobody type more than 6000 characters")
        out["value"] = typed
        out["focused"] = True
        return out
    if otype == 3:
        if not isinstance(value, str):
            raise InvocationError(f"{where} needs a str, got {value!r}")
        if len(value) > MAX_STRING_OPTION:
            raise InvocationError(
                f"{where}: {len(value)} characters; Discord never sends more than 6000"
            )
        lo, hi = opt.get("min_length"), opt.get("max_length")
        if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
            raise InvocationError(f"{where}: length {len(value)} outside [{lo}, {hi}]")
    elif otype == 4:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvocationError(f"{where} needs an int, got {value!r}")
    elif otype == 10:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvocationError(f"{where} needs a number, got {value!r}")
    elif otype == 5 and not isinstance(value, bool):
        raise InvocationError(f"{where} needs a bool, got {value!r}")
    if otype in (4, 10) and not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise InvocationError(f"{where}: {value} is outside ±(2^53 - 1), which Discord never sends")
    if otype in (4, 10):
        lo, hi = opt.get("min_value"), opt.get("max_value")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise InvocationError(f"{where}: {value} outside [{lo}, {hi}]")
    if otype in (3, 4, 10) and opt.get("choices"):
        allowed = [c["value"] for c in opt["choices"]]
        if value not in allowed:
            raise InvocationError(f"{where}: {value!r} is not one of the choices {allowed!r}")
    if otype in (3, 4, 5, 10):
        out["value"] = value
    elif otype == 6:
        if not isinstance(value, FakeUser | FakeMember):
            raise InvocationError(f"{where} needs a FakeMember or FakeUser, got {value!r}")
        out["value"] = resolver.user(value)
    elif otype == 7:
        if not isinstance(value, FakeChannel | FakeThread | FakeDMChannel):
            raise InvocationError(f"{where} needs a Fake channel or thread, got {value!r}")
        types = opt.get("channel_types")
        if types and value.type not in types:
            raise InvocationError(f"{where}: channel type {value.type} not in {types}")
        out["value"] = resolver.channel(value)
    elif otype == 8:
        if not isinstance(value, FakeRole):
            raise InvocationError(f"{where} needs a FakeRole, got {value!r}")
        out["value"] = resolver.role(value)
    elif otype == 9:
        if isinstance(value, FakeRole):
            out["value"] = resolver.role(value)
        elif isinstance(value, FakeUser | FakeMember):
            out["value"] = resolver.user(value)
        else:
            raise InvocationError(f"{where} needs a FakeMember, FakeUser or FakeRole")
    elif otype == 11:
        out["value"] = resolver.attachment(value)
    else:
        raise InvocationError(f"{where}: unsupported option type")
    return out


def build_command_options(
    command: JSON,
    path: list[str],
    options: dict[str, Any],
    resolver: Resolver,
    channel: AnyChannel,
    *,
    focused: str | None = None,
) -> list[JSON]:
    """Option payloads for ``/command sub...`` with values checked against the definition."""
    defs: list[JSON] = command.get("options") or []
    chain: list[JSON] = []
    for name in path:
        found = next((o for o in defs if o["name"] == name and o["type"] in (1, 2)), None)
        if found is None:
            subs = [o["name"] for o in defs if o["type"] in (1, 2)]
            raise InvocationError(
                f"/{command['name']} has no subcommand (group) {name!r}; it has {subs!r}"
            )
        chain.append(found)
        defs = found.get("options") or []
    if any(o["type"] in (1, 2) for o in defs):
        subs = [o["name"] for o in defs if o["type"] in (1, 2)]
        full = " ".join([command["name"], *path])
        raise InvocationError(f"/{full} is a group: name one of its subcommands {subs!r}")

    by_name = {o["name"]: o for o in defs}
    given: dict[str, Any] = {}
    for key, value in options.items():
        name = key if key in by_name else key.replace("_", "-")
        if name not in by_name:
            full = " ".join([command["name"], *path])
            raise InvocationError(
                f"/{full} has no option {key!r}; its options are {list(by_name)!r}"
            )
        given[name] = value
    if focused is not None:
        focused = focused if focused in by_name else focused.replace("_", "-")
        if focused not in by_name:
            raise InvocationError(f"no option {focused!r} to focus; options are {list(by_name)!r}")
        if not by_name[focused].get("autocomplete"):
            raise InvocationError(f"option {focused!r} does not have autocomplete enabled")
    built: list[JSON] = []
    for opt in defs:
        name = opt["name"]
        if name == focused:
            built.append(_coerce_option(opt, given.get(name, ""), resolver, channel, focused=True))
        elif name in given:
            if given[name] is None:
                continue
            built.append(_coerce_option(opt, given[name], resolver, channel))
        elif opt.get("required") and focused is None:
            full = " ".join([command["name"], *path])
            raise InvocationError(f"/{full} requires option {name!r}")
    for sub in reversed(chain):
        built = [{"name": sub["name"], "type": sub["type"], "options": built}]
    return built


# -- components ------------------------------------------------------------------------------------
def walk_components(components: list[JSON]) -> list[JSON]:
    out: list[JSON] = []

    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        out.append(node)
        for child in node.get("components") or []:
            visit(child)
        for key in ("accessory", "component"):
            if isinstance(node.get(key), dict):
                visit(node[key])

    for c in components:
        visit(c)
    return out


def find_component(
    message: JSON, *, label: str | None, custom_id: str | None, types: tuple[int, ...]
) -> JSON:
    comps = [c for c in walk_components(message.get("components") or []) if c.get("type") in types]
    for c in comps:
        if custom_id is not None and c.get("custom_id") == custom_id:
            return c
        if label is not None and custom_id is None and c.get("label") == label:
            return c
    available = [(c.get("label"), c.get("custom_id")) for c in comps]
    raise InvocationError(
        f"message {message.get('id')} has no component with label={label!r} "
        f"custom_id={custom_id!r}; it has (label, custom_id) {available!r}"
    )


# -- modal submissions -----------------------------------------------------------------------------
def modal_submission(modal: JSON, values: dict[str, Any]) -> list[JSON]:
    """Submitted components for ``modal`` with ``values`` keyed by label or custom_id."""
    used: set[str] = set()

    def value_for(comp: JSON, label: str | None) -> tuple[bool, Any]:
        for key in (comp.get("custom_id"), label):
            if key is not None and key in values:
                used.add(key)
                return True, values[key]
        return False, None

    def text_input(comp: JSON, label: str | None) -> JSON:
        found, value = value_for(comp, label)
        if not found:
            value = comp.get("value") or ""
        if not isinstance(value, str):
            raise InvocationError(f"text input {label or comp.get('custom_id')!r} takes a str")
        required = comp.get("required", True)
        if required and not value:
            raise InvocationError(f"modal field {label or comp.get('custom_id')!r} is required")
        lo, hi = comp.get("min_length"), comp.get("max_length")
        if value and ((lo is not None and len(value) < lo) or (hi is not None and len(value) > hi)):
            raise InvocationError(
                f"modal field {label or comp.get('custom_id')!r}: length {len(value)} "
                f"outside [{lo}, {hi}]"
            )
        out: JSON = {"type": 4, "custom_id": comp["custom_id"], "value": value}
        if "id" in comp:
            out["id"] = comp["id"]
        return out

    def select(comp: JSON, label: str | None) -> JSON:
        found, value = value_for(comp, label)
        # Left out: the options the bot marked as default stay selected, as in Discord.
        default = [o.get("value") for o in comp.get("options") or [] if o.get("default")]
        chosen = list(value) if found else default
        if comp.get("type") == 3:
            allowed = [o.get("value") for o in comp.get("options") or []]
            bad = [v for v in chosen if v not in allowed]
            if bad:
                raise InvocationError(f"select {label!r}: {bad!r} not among options {allowed!r}")
        chosen = [str(v.id) if hasattr(v, "id") else str(v) for v in chosen]
        out: JSON = {"type": comp["type"], "custom_id": comp["custom_id"], "values": chosen}
        if "id" in comp:
            out["id"] = comp["id"]
        return out

    def inner(comp: JSON, label: str | None) -> JSON | None:
        if comp.get("type") == 4:
            return text_input(comp, label)
        if comp.get("type") in (3, 5, 6, 7, 8):
            return select(comp, label)
        return None

    submitted: list[JSON] = []
    for top in modal.get("components") or []:
        if top.get("type") == 1:
            row: list[JSON] = []
            for child in top.get("components") or []:
                done = inner(child, child.get("label"))
                if done is not None:
                    row.append(done)
            entry: JSON = {"type": 1, "components": row}
            if "id" in top:
                entry["id"] = top["id"]
            submitted.append(entry)
        elif top.get("type") == 18 and isinstance(top.get("component"), dict):
            done = inner(top["component"], top.get("label"))
            if done is not None:
                entry = {"type": 18, "component": done}
                if "id" in top:
                    entry["id"] = top["id"]
                submitted.append(entry)
        elif top.get("type") == 10 and "id" in top:
            submitted.append({"type": 10, "id": top["id"]})
    unknown = set(values) - used
    if unknown:
        raise InvocationError(f"modal {modal.get('title')!r} has no field(s) {sorted(unknown)!r}")
    return submitted


# -- the server side -------------------------------------------------------------------------------
class InteractionManager:
    """All interactions of an emulator and the REST operations on them."""

    def __init__(self, state: FakeState, *, deadline: float = 3.0) -> None:
        self.state = state
        self.deadline = deadline
        self.token_lifetime = TOKEN_LIFETIME
        self.clock_offset = 0.0
        self.by_id: dict[int, PendingInteraction] = {}
        self.by_token: dict[str, PendingInteraction] = {}
        self.modal_origins: dict[str, PendingInteraction] = {}
        self.permission_bypasses: list[PendingInteraction] = []

    def now(self) -> float:
        return time.monotonic() + self.clock_offset

    # -- creating ----------------------------------------------------------------------------------
    def create(
        self,
        itype: int,
        user: FakeUser,
        channel: AnyChannel,
        data: JSON,
        *,
        message: JSON | None = None,
        command_name: str | None = None,
        origin: PendingInteraction | None = None,
    ) -> PendingInteraction:
        state = self.state
        iid = state.next_id()
        token = "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        guild = channel.guild
        member = guild.get_member(user) if guild is not None else None
        if guild is not None and member is None:
            raise InvocationError(f"{user.name!r} is not a member of guild {guild.name!r}")
        payload: JSON = {
            "id": str(iid),
            "application_id": str(state.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "locale": user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel_id": str(channel.id),
        }
        if isinstance(channel, FakeDMChannel):
            payload["user"] = user.to_payload()
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": "0"}
            payload["app_permissions"] = str(P.DM_PERMISSIONS)
            payload["channel"] = channel_payload(state, channel, None)
        else:
            assert member is not None and guild is not None
            payload["guild_id"] = str(guild.id)
            payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
            payload["guild_locale"] = guild.locale
            payload["member"] = member_payload(member, channel)
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
            bot = guild.get_member(state.bot_user)
            payload["app_permissions"] = str(bot.permissions_in(channel) if bot else 0)
            payload["channel"] = channel_payload(state, channel, member)
        if message is not None:
            payload["message"] = public(message)
        pending = PendingInteraction(
            iid,
            token,
            itype,
            payload,
            channel,
            user,
            member,
            deadline=time.monotonic() + self.deadline,
            clock_offset=self.clock_offset,
            command_name=command_name,
            source_message=message,
            origin=origin,
        )
        if itype == MODAL_SUBMIT and origin is not None and origin.source_message is not None:
            pending.source_message = origin.source_message
        self.by_id[iid] = pending
        self.by_token[token] = pending
        state.dispatch("INTERACTION_CREATE", payload, on_written=pending.mark_dispatched)
        return pending

    # -- lookups -----------------------------------------------------------------------------------
    def _expired(self, p: PendingInteraction) -> bool:
        return self.now() - (p.created + p.clock_offset) > self.token_lifetime

    def for_callback(self, interaction_id: int, token: str) -> PendingInteraction:
        p = self.by_id.get(interaction_id)
        if p is None or p.token != token or self._expired(p):
            raise unknown_interaction()
        return p

    def for_webhook(self, application_id: int, token: str) -> PendingInteraction:
        if application_id != self.state.application_id:
            raise unknown_webhook()
        p = self.by_token.get(token)
        if p is None or self._expired(p):
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return p

    # -- callback ----------------------------------------------------------------------------------
    def callback(self, p: PendingInteraction, body: JSON, files: list[UploadedFile]) -> JSON:
        if p.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() > p.deadline:
            p.missed_deadline = True
            p.late_callbacks += 1
            raise unknown_interaction()
        ctype = int(body.get("type") or 0)
        if ctype not in ALLOWED_CALLBACKS.get(p.type, set()) or (
            ctype in (6, 7) and p.source_message is None
        ):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_CALLBACK_TYPE_INVALID",
                                "message": f"Callback type {ctype} is not valid for "
                                f"interaction type {p.type}",
                            }
                        ]
                    }
                },
            )
        data: JSON = body.get("data") or {}
        resource: JSON | None = None
        if ctype == 4:
            msg = self._new_message(p, data, files, initial=True)
            self._store(p, msg)
            p.original = msg
            resource = {"type": 4, "message": public(msg)}
        elif ctype == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            msg = self._new_message(p, {"content": "\u200b"}, [], initial=True)
            msg["content"] = ""
            msg["flags"] = flags
            self._store(p, msg)
            p.original = msg
        elif ctype == 6:
            p.original = p.source_message
        elif ctype == 7:
            assert p.source_message is not None
            found = self.state.find_message(int(p.source_message["id"]))
            if found is None:
                raise unknown_message()
            chan, msg = found
            apply_edit(self.state, chan, msg, data, files)
            self.state.message_updated(chan, msg)
            p.original = msg
            resource = {"type": 7, "message": public(msg)}
        elif ctype == 8:
            p.choices = list(data.get("choices") or [])
        elif ctype == 9:
            p.modal = data
            self.modal_origins[str(data.get("custom_id"))] = p
        p.response_type = ctype
        p.response_body = body
        p.responded.set()
        p.touch()
        info: JSON = {"id": str(p.id), "type": p.type}
        if p.original is not None and ctype in (4, 5, 6, 7):
            info["response_message_id"] = p.original["id"]
            info["response_message_loading"] = ctype == 5
            info["response_message_ephemeral"] = bool(p.original["flags"] & EPHEMERAL)
        answer: JSON = {"interaction": info}
        if resource is not None:
            answer["resource"] = resource
        return answer

    def _new_message(
        self, p: PendingInteraction, body: JSON, files: list[UploadedFile], *, initial: bool
    ) -> JSON:
        mtype = 20 if p.type == APPLICATION_COMMAND else 0
        msg = build_message(
            self.state,
            p.channel,
            self.state.bot_user,
            body,
            files,
            default_parse=WEBHOOK_DEFAULT_PARSE,
            message_type=mtype,
        )
        msg["webhook_id"] = str(self.state.application_id)
        msg["application_id"] = str(self.state.application_id)
        meta = p.metadata()
        if not initial and p.original is not None:
            meta["original_response_message_id"] = p.original["id"]
        msg["interaction_metadata"] = meta
        if p.type == APPLICATION_COMMAND:
            msg["interaction"] = {
                "id": str(p.id),
                "type": p.type,
                "name": p.command_name or "",
                "user": p.user.to_payload(),
            }
        return msg

    def _store(self, p: PendingInteraction, msg: JSON) -> None:
        if int(msg["id"]) in self.state.messages:
            return
        self.state.store_message(p.channel, msg, ephemeral=bool(msg["flags"] & EPHEMERAL))

    # -- original response -------------------------------------------------------------------------
    def get_original(self, p: PendingInteraction) -> JSON:
        if p.original is None or p.original_deleted:
            raise unknown_message()
        return p.original

    def edit_original(self, p: PendingInteraction, body: JSON, files: list[UploadedFile]) -> JSON:
        msg = self.get_original(p)
        found = self.state.find_message(int(msg["id"]))
        if found is None:
            raise unknown_message()
        chan, msg = found
        apply_edit(self.state, chan, msg, body, files)
        self.state.message_updated(chan, msg)
        p.touch()
        return msg

    def delete_original(self, p: PendingInteraction) -> None:
        msg = self.get_original(p)
        found = self.state.find_message(int(msg["id"]))
        if found is not None:
            self.state.delete_message(*found)
        p.original_deleted = True
        p.touch()

    # -- followups ---------------------------------------------------------------------------------
    def followup(
        self,
        p: PendingInteraction,
        body: JSON,
        files: list[UploadedFile],
        *,
        thread_id: int | None = None,
    ) -> JSON:
        if p.response_type is None:
            raise unknown_webhook()
        original = p.original
        if (
            p.response_type == 5
            and original is not None
            and not p.original_deleted
            and original["flags"] & LOADING
        ):
            # Discord: the first followup after a deferred "thinking" answer replaces it
            found = self.state.find_message(int(original["id"]))
            assert found is not None
            chan, msg = found
            apply_edit(self.state, chan, msg, body, files)
            self.state.message_updated(chan, msg)
            p.followups.append(msg)
            p.touch()
            return msg
        target: AnyChannel = p.channel
        if thread_id is not None:
            chan_obj = self.state.channels.get(thread_id)
            if not isinstance(chan_obj, FakeThread) or chan_obj.deleted:
                raise ApiError(
                    400,
                    50035,
                    "Invalid Form Body",
                    {
                        "thread_id": {
                            "_errors": [{"code": "UNKNOWN_CHANNEL", "message": "Unknown channel"}]
                        }
                    },
                )
            target = chan_obj
        saved_channel = p.channel
        p.channel = target
        try:
            msg = self._new_message(p, body, files, initial=False)
        finally:
            p.channel = saved_channel
        self.state.store_message(target, msg, ephemeral=bool(msg["flags"] & EPHEMERAL))
        p.followups.append(msg)
        p.touch()
        return msg

    def webhook_message(self, p: PendingInteraction, message_id: int) -> tuple[AnyChannel, JSON]:
        found = self.state.find_message(message_id)
        if found is None or found[1].get("webhook_id") != str(self.state.application_id):
            raise unknown_message()
        return found

    def edit_webhook_message(
        self, p: PendingInteraction, message_id: int, body: JSON, files: list[UploadedFile]
    ) -> JSON:
        chan, msg = self.webhook_message(p, message_id)
        apply_edit(self.state, chan, msg, body, files)
        self.state.message_updated(chan, msg)
        p.touch()
        return msg

    def delete_webhook_message(self, p: PendingInteraction, message_id: int) -> None:
        chan, msg = self.webhook_message(p, message_id)
        self.state.delete_message(chan, msg)
        if p.original is msg:
            p.original_deleted = True
        p.touch()
