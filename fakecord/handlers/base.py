"""What every endpoint needs: looking up guilds, channels and messages as the bot may see them,
and Discord's permission checks with its error codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import models as M
from .. import permissions as P
from ..interactions import InteractionManager
from ..models import AnyChannel, FakeChannel, FakeDMChannel, FakeGuild, FakeThread
from ..rest import HandlerFn
from ..state import FakeState
from ..util import (
    JSON,
    ApiError,
    form_error,
    missing_access,
    missing_permissions,
    unknown_channel,
    unknown_guild,
    unknown_message,
)

if TYPE_CHECKING:
    from ..gateway import GatewayHub

#: (method, path template as spelled in Discord's spec, handler, needs the bot token)
Route = tuple[str, str, HandlerFn, bool]


def route(method: str, template: str, handler: HandlerFn, *, auth: bool = True) -> Route:
    """One endpoint. ``auth=False``: no bot token (interaction routes carry a token in the URL)."""
    return (method, template, handler, auth)


def as_int(value: str, error: ApiError) -> int:
    """A snowflake from the path, or ``error`` (Discord's 404 for that resource)."""
    try:
        return int(value)
    except ValueError:
        raise error from None


def truthy(value: str | None) -> bool:
    """A boolean query parameter (``?wait=true``)."""
    return (value or "").lower() in ("1", "true", "yes")


class Endpoints:
    """Base of the endpoint groups: the world, lookups and Discord's permission checks."""

    def __init__(self, state: FakeState, interactions: InteractionManager, hub: GatewayHub) -> None:
        self.state = state
        self.interactions = interactions
        self.hub = hub

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def guild(self, gid: str) -> FakeGuild:
        guild = self.state.guilds.get(as_int(gid, unknown_guild()))
        if guild is None:
            raise unknown_guild()
        if not guild.bot_present:
            raise missing_access()
        return guild

    def channel(self, cid: str) -> AnyChannel:
        chan = self.state.channels.get(as_int(cid, unknown_channel()))
        if chan is None or chan.deleted:
            raise unknown_channel()
        if isinstance(chan, FakeDMChannel):
            return chan
        if isinstance(chan, FakeThread) and chan.parent.deleted:
            raise unknown_channel()
        if not chan.guild.bot_present:
            raise missing_access()
        if not self.bot_perms(chan) & P.VIEW_CHANNEL:
            raise missing_access()
        return chan

    def bot_perms(self, chan: AnyChannel) -> int:
        if isinstance(chan, FakeDMChannel):
            return P.DM_PERMISSIONS
        bot = chan.guild.get_member(self.state.bot_user)
        return bot.permissions_in(chan) if bot is not None else 0

    def require(self, chan: AnyChannel, bits: int) -> None:
        if self.bot_perms(chan) & bits != bits:
            raise missing_permissions()

    def message(self, chan: AnyChannel, mid: str) -> JSON:
        found = self.state.find_message(as_int(mid, unknown_message()))
        if found is None or found[0] is not chan or found[1]["flags"] & (1 << 6):
            raise unknown_message()
        return found[1]

    def require_send(self, chan: AnyChannel, *, files: bool = False) -> None:
        if isinstance(chan, FakeDMChannel):
            if chan.recipient.dms_closed or chan.recipient.bot:
                raise ApiError(403, 50007, "Cannot send messages to this user")
            return
        if isinstance(chan, FakeChannel) and chan.type == M.FORUM:
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        if isinstance(chan, FakeThread):
            self.require(chan, P.SEND_MESSAGES_IN_THREADS)
            if chan.locked and not self.bot_perms(chan) & P.MANAGE_THREADS:
                raise ApiError(400, 50083, "Thread is archived")
            if chan.archived:
                chan.archived = False
                self.state.channel_updated(chan)
        else:
            self.require(chan, P.SEND_MESSAGES)
        if files:
            self.require(chan, P.ATTACH_FILES)

    def channel_payload(self, chan: AnyChannel) -> JSON:
        if isinstance(chan, FakeThread):
            return chan.to_payload(bot_id=self.state.bot_user.id)
        return chan.to_payload()

    def _thread_parent(self, chan: AnyChannel) -> FakeChannel:
        if not isinstance(chan, FakeChannel):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return chan

    def _thread(self, cid: str) -> FakeThread:
        chan = self.channel(cid)
        if not isinstance(chan, FakeThread):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return chan

    def _tags(self, forum: FakeChannel, raw: list[Any]) -> list[int]:
        ids = [int(t) for t in raw]
        known = {t.id for t in forum.tags}
        for i, tid in enumerate(ids):
            if tid not in known:
                raise form_error(["applied_tags", i], "UNKNOWN_TAG", "Unknown tag")
        if len(ids) > 5:
            raise form_error(
                ["applied_tags"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."
            )
        return ids
