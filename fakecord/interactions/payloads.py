"""Building an INTERACTION_CREATE's parts as Discord does: the member, the channel and the
``resolved`` map of users, roles, channels and attachments the options name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import permissions as P
from ..messages import StoredFile
from ..models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
)
from ..util import JSON
from .model import InvocationError

if TYPE_CHECKING:
    from ..state import FakeState


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
