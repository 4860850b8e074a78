"""Clicking buttons and picking in select menus on a message, as a person does."""

from __future__ import annotations

from typing import Any

from ..interactions import (
    MESSAGE_COMPONENT,
    InteractionResult,
    InvocationError,
    Resolver,
    find_component,
    walk_components,
)
from ..models import AnyChannel, FakeChannel, FakeMember, FakeRole, FakeThread, FakeUser, as_user
from ..util import JSON
from .sender import Acting


class Components(Acting):
    """``fake.components``: ``click`` and ``select``."""

    async def click(
        self,
        member: FakeMember | FakeUser,
        message: JSON | int | str,
        *,
        label: str | None = None,
        custom_id: str | None = None,
    ) -> InteractionResult:
        """Click the button with this ``label`` or ``custom_id`` on ``message``."""
        if (label is None) == (custom_id is None):
            raise InvocationError("click() takes exactly one of label= or custom_id=")
        user = as_user(member)
        channel, msg = self._live_message(message)
        self._check_message_access(user, channel, msg)
        self.sender.member_for(member, channel)
        comp = find_component(msg, label=label, custom_id=custom_id, types=(2,))
        if comp.get("disabled"):
            raise InvocationError(f"button {label or custom_id!r} is disabled")
        if "custom_id" not in comp:
            raise InvocationError(f"button {label or custom_id!r} is a link/premium button")
        data: JSON = {"custom_id": comp["custom_id"], "component_type": 2}
        if "id" in comp:
            data["id"] = comp["id"]
        await self.sender.require_bot(channel)
        p = self.interactions.create(MESSAGE_COMPONENT, user, channel, data, message=msg)
        return await self.sender.send(p)

    async def select(
        self,
        member: FakeMember | FakeUser,
        message: JSON | int | str,
        *,
        custom_id: str | None = None,
        values: list[Any],
    ) -> InteractionResult:
        """Pick ``values`` in the select menu ``custom_id`` (or the only one) of ``message``.
        String selects take option values; user/role/mentionable/channel selects take Fake
        objects."""
        user = as_user(member)
        channel, msg = self._live_message(message)
        self._check_message_access(user, channel, msg)
        guild_member = self.sender.member_for(member, channel)
        selects_types = (3, 5, 6, 7, 8)
        if custom_id is None:
            found = [
                c for c in walk_components(msg["components"]) if c.get("type") in selects_types
            ]
            if len(found) != 1:
                raise InvocationError(f"message has {len(found)} selects: pass custom_id=")
            comp = found[0]
        else:
            comp = find_component(msg, label=None, custom_id=custom_id, types=selects_types)
        if comp.get("disabled"):
            raise InvocationError(f"select {comp.get('custom_id')!r} is disabled")
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise InvocationError(f"select takes {lo}..{hi} values, got {len(values)}")
        resolver = Resolver(self.state, guild_member)
        out: list[str] = []
        ctype = comp["type"]
        for v in values:
            if ctype == 3:
                allowed = [o.get("value") for o in comp.get("options") or []]
                if v not in allowed:
                    raise InvocationError(f"{v!r} is not an option of the select: {allowed!r}")
                out.append(v)
            elif isinstance(v, FakeRole) and ctype in (6, 7):
                out.append(resolver.role(v))
            elif isinstance(v, FakeMember | FakeUser) and ctype in (5, 7):
                out.append(resolver.user(v))
            elif isinstance(v, FakeChannel | FakeThread) and ctype == 8:
                out.append(resolver.channel(v))
            else:
                raise InvocationError(f"{v!r} cannot be picked in a select of type {ctype}")
        data: JSON = {"custom_id": comp["custom_id"], "component_type": ctype, "values": out}
        if "id" in comp:
            data["id"] = comp["id"]
        if resolver.data:
            data["resolved"] = resolver.data
        await self.sender.require_bot(channel)
        p = self.interactions.create(MESSAGE_COMPONENT, user, channel, data, message=msg)
        return await self.sender.send(p)

    def _live_message(self, message: JSON | int | str) -> tuple[AnyChannel, JSON]:
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        found = self.state.find_message(mid)
        if found is None:
            raise InvocationError(f"message {mid} does not exist (deleted?)")
        return found

    def _check_message_access(self, user: FakeUser, channel: AnyChannel, msg: JSON) -> None:
        self.sender.check_channel_user(user, channel)
        if msg["flags"] & (1 << 6):
            owner = (msg.get("interaction_metadata") or {}).get("user", {}).get("id")
            if owner is not None and owner != str(user.id):
                raise InvocationError("an ephemeral message can only be used by its recipient")
