"""The REST endpoints a bot uses, with Discord's permission checks and error codes."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import models as M
from . import permissions as P
from .interactions import InteractionManager
from .messages import apply_edit, build_message, public
from .models import AnyChannel, FakeChannel, FakeDMChannel, FakeGuild, FakeThread
from .rest import ApiRequest, HandlerFn, Reply
from .state import DIRECT_MESSAGE_REACTIONS, GUILD_MEMBERS, GUILD_MESSAGE_REACTIONS, FakeState
from .util import (
    JSON,
    ApiError,
    form_error,
    missing_access,
    missing_permissions,
    unknown_channel,
    unknown_guild,
    unknown_member,
    unknown_message,
    unknown_user,
)

if TYPE_CHECKING:
    from .gateway import GatewayHub


def _int(value: str, error: ApiError) -> int:
    try:
        return int(value)
    except ValueError:
        raise error from None


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


class Handlers:
    def __init__(self, state: FakeState, interactions: InteractionManager, hub: GatewayHub) -> None:
        self.state = state
        self.interactions = interactions
        self.hub = hub
        self.verify_key = secrets.token_hex(32)
        self.app_owner = state.create_user("app-owner")

    def routes(self) -> list[tuple[str, str, HandlerFn, bool]]:
        r: list[tuple[str, str, HandlerFn, bool]] = []

        def add(method: str, template: str, fn: HandlerFn, auth: bool = True) -> None:
            r.append((method, template, fn, auth))

        add("GET", "/users/@me", self.get_me)
        add("GET", "/users/{user_id}", self.get_user)
        add("GET", "/users/@me/guilds", self.get_my_guilds)
        add("DELETE", "/users/@me/guilds/{guild_id}", self.leave_guild)
        add("POST", "/users/@me/channels", self.create_dm)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway, auth=False)
        add("GET", "/gateway/bot", self.get_gateway_bot)
        # application commands
        add("GET", "/applications/{application_id}/commands", self.list_commands)
        add("PUT", "/applications/{application_id}/commands", self.put_commands)
        add("POST", "/applications/{application_id}/commands", self.create_command)
        add("GET", "/applications/{application_id}/commands/{command_id}", self.get_command)
        add("PATCH", "/applications/{application_id}/commands/{command_id}", self.edit_command)
        add("DELETE", "/applications/{application_id}/commands/{command_id}", self.delete_command)
        g = "/applications/{application_id}/guilds/{guild_id}/commands"
        add("GET", g, self.list_commands)
        add("PUT", g, self.put_commands)
        add("POST", g, self.create_command)
        add("GET", g + "/{command_id}", self.get_command)
        add("PATCH", g + "/{command_id}", self.edit_command)
        add("DELETE", g + "/{command_id}", self.delete_command)
        # channels and messages
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("PATCH", "/channels/{channel_id}", self.edit_channel)
        add("DELETE", "/channels/{channel_id}", self.delete_channel)
        add("GET", "/channels/{channel_id}/messages", self.list_messages)
        add("POST", "/channels/{channel_id}/messages", self.create_message)
        m = "/channels/{channel_id}/messages/{message_id}"
        add("GET", m, self.get_message)
        add("PATCH", m, self.edit_message)
        add("DELETE", m, self.delete_message)
        add("PUT", m + "/reactions/{emoji_name}/@me", self.add_reaction)
        add("DELETE", m + "/reactions/{emoji_name}/@me", self.remove_reaction)
        add("POST", m + "/threads", self.thread_from_message)
        add("POST", "/channels/{channel_id}/threads", self.create_thread)
        add("PUT", "/channels/{channel_id}/thread-members/@me", self.join_thread)
        add("DELETE", "/channels/{channel_id}/thread-members/@me", self.leave_thread)
        add("PUT", "/channels/{channel_id}/thread-members/{user_id}", self.add_thread_member)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        add("GET", "/channels/{channel_id}/messages/pins", self.list_pins)
        add("PUT", "/channels/{channel_id}/messages/pins/{message_id}", self.pin)
        add("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", self.unpin)
        add("PUT", "/channels/{channel_id}/pins/{message_id}", self.pin)
        add("DELETE", "/channels/{channel_id}/pins/{message_id}", self.unpin)
        add("PUT", "/channels/{channel_id}/permissions/{overwrite_id}", self.put_overwrite)
        # guilds
        add("GET", "/guilds/{guild_id}", self.get_guild)
        add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        add("GET", "/guilds/{guild_id}/roles", self.get_roles)
        add("GET", "/guilds/{guild_id}/members", self.list_members)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        add("GET", "/guilds/{guild_id}/threads/active", self.active_threads)
        add("GET", "/channels/{channel_id}/threads/archived/public", self.archived_public)
        add("GET", "/channels/{channel_id}/threads/archived/private", self.archived_private)
        add(
            "GET",
            "/channels/{channel_id}/users/@me/threads/archived/private",
            self.my_archived_private,
        )
        add("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.add_role)
        add("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self.remove_role)
        # interactions and their webhooks (no bot token: the token is in the URL)
        add(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self.callback,
            False,
        )
        w = "/webhooks/{webhook_id}/{webhook_token}"
        add("POST", w, self.followup, False)
        add("GET", w + "/messages/@original", self.get_original, False)
        add("PATCH", w + "/messages/@original", self.edit_original, False)
        add("DELETE", w + "/messages/@original", self.delete_original, False)
        add("GET", w + "/messages/{message_id}", self.get_webhook_message, False)
        add("PATCH", w + "/messages/{message_id}", self.edit_webhook_message, False)
        add("DELETE", w + "/messages/{message_id}", self.delete_webhook_message, False)
        return r

    # -- lookups and permission checks ---------------------------------------------------------
    def guild(self, gid: str) -> FakeGuild:
        guild = self.state.guilds.get(_int(gid, unknown_guild()))
        if guild is None:
            raise unknown_guild()
        if not guild.bot_present:
            raise missing_access()
        return guild

    def channel(self, cid: str) -> AnyChannel:
        chan = self.state.channels.get(_int(cid, unknown_channel()))
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
        found = self.state.find_message(_int(mid, unknown_message()))
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

    # -- users and application -----------------------------------------------------------------
    async def get_me(self, req: ApiRequest) -> Reply:
        me = self.state.bot_user.to_payload() | {
            "mfa_enabled": False,
            "locale": "en-US",
            "verified": True,
            "email": None,
        }
        return Reply(200, me)

    async def get_user(self, req: ApiRequest) -> Reply:
        user = self.state.users.get(_int(req.params["user_id"], unknown_user()))
        if user is None:
            raise unknown_user()
        return Reply(200, user.to_payload())

    async def get_my_guilds(self, req: ApiRequest) -> Reply:
        out: list[JSON] = []
        for g in self.state.guilds.values():
            if g.bot_present:
                out.append(
                    {
                        "id": str(g.id),
                        "name": g.name,
                        "icon": None,
                        "banner": None,
                        "owner": False,
                        "permissions": str(g.bot_member.guild_permissions()),
                        "features": [],
                    }
                )
        return Reply(200, out)

    async def leave_guild(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        self.state.remove_bot_from_guild(guild)
        return Reply(204)

    async def create_dm(self, req: ApiRequest) -> Reply:
        body = req.json or {}
        uid = body.get("recipient_id")
        user = self.state.users.get(int(uid)) if uid is not None else None
        if user is None:
            raise unknown_user()
        return Reply(200, self.state.dm_channel(user).to_payload())

    def application_payload(self) -> JSON:
        state = self.state
        return {
            "id": str(state.application_id),
            "name": state.bot_user.name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": self.verify_key,
            "flags": 0,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "owner": self.app_owner.to_payload(),
            "approximate_guild_count": sum(1 for g in state.guilds.values() if g.bot_present),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "team": None,
            "eligible_oauth2_scopes": [],
            "bot": state.bot_user.to_payload(),
            "tags": [],
            "rpc_origins": [],
            "integration_types_config": {"0": {}},
        }

    async def get_application(self, req: ApiRequest) -> Reply:
        return Reply(200, self.application_payload())

    async def get_gateway(self, req: ApiRequest) -> Reply:
        return Reply(200, {"url": self.state.gateway_url})

    async def get_gateway_bot(self, req: ApiRequest) -> Reply:
        return Reply(
            200,
            {
                "url": self.state.gateway_url,
                "shards": self.state.recommended_shards(),
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": self.state.max_concurrency,
                },
            },
        )

    # -- application commands ----------------------------------------------------------------
    def _check_app(self, req: ApiRequest) -> int | None:
        if _int(req.params["application_id"], missing_access()) != self.state.application_id:
            raise missing_access()
        gid = req.params.get("guild_id")
        return self.guild(gid).id if gid is not None else None

    def _commands(self, guild_id: int | None) -> list[JSON]:
        if guild_id is None:
            return self.state.global_commands
        return self.state.guild_commands.setdefault(guild_id, [])

    def _make_command(self, guild_id: int | None, body: JSON) -> JSON:
        state = self.state
        ctype = body.get("type") or 1
        name = body["name"]
        cid = state.command_ids.setdefault((guild_id, ctype, name), state.next_id())
        dmp = body.get("default_member_permissions")
        cmd: JSON = {
            "id": str(cid),
            "application_id": str(state.application_id),
            "version": str(state.next_id()),
            "default_member_permissions": None if dmp is None else str(dmp),
            "type": ctype,
            "name": name,
            "description": body.get("description") or "",
            "nsfw": bool(body.get("nsfw")),
        }
        for key in ("name_localizations", "description_localizations"):
            if body.get(key):
                cmd[key] = body[key]
        if body.get("options"):
            cmd["options"] = [_clean_option(o) for o in body["options"]]
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        else:
            cmd["dm_permission"] = body.get("dm_permission", True) is not False
            if body.get("contexts") is not None:
                cmd["contexts"] = body["contexts"]
            cmd["integration_types"] = body.get("integration_types") or [0]
        return cmd

    async def list_commands(self, req: ApiRequest) -> Reply:
        return Reply(200, self._commands(self._check_app(req)))

    async def put_commands(self, req: ApiRequest) -> Reply:
        gid = self._check_app(req)
        body = req.json or []
        cmds = [self._make_command(gid, c) for c in body]
        if gid is None:
            self.state.global_commands = cmds
        else:
            self.state.guild_commands[gid] = cmds
        return Reply(200, cmds)

    async def create_command(self, req: ApiRequest) -> Reply:
        gid = self._check_app(req)
        cmd = self._make_command(gid, req.json or {})
        cmds = self._commands(gid)
        existing = [c for c in cmds if c["name"] == cmd["name"] and c["type"] == cmd["type"]]
        for c in existing:
            cmds.remove(c)
        cmds.append(cmd)
        return Reply(200 if existing else 201, cmd)

    def _find_command(self, req: ApiRequest) -> tuple[int | None, JSON]:
        gid = self._check_app(req)
        for c in self._commands(gid):
            if c["id"] == req.params["command_id"]:
                return gid, c
        raise ApiError(404, 10063, "Unknown application command")

    async def get_command(self, req: ApiRequest) -> Reply:
        return Reply(200, self._find_command(req)[1])

    async def edit_command(self, req: ApiRequest) -> Reply:
        gid, cmd = self._find_command(req)
        merged = {k: v for k, v in cmd.items()} | (req.json or {})
        new = self._make_command(gid, merged)
        cmds = self._commands(gid)
        cmds[cmds.index(cmd)] = new
        return Reply(200, new)

    async def delete_command(self, req: ApiRequest) -> Reply:
        gid, cmd = self._find_command(req)
        self._commands(gid).remove(cmd)
        return Reply(204)

    # -- channels ----------------------------------------------------------------------------
    def channel_payload(self, chan: AnyChannel) -> JSON:
        if isinstance(chan, FakeThread):
            return chan.to_payload(bot_id=self.state.bot_user.id)
        return chan.to_payload()

    async def get_channel(self, req: ApiRequest) -> Reply:
        return Reply(200, self.channel_payload(self.channel(req.params["channel_id"])))

    async def edit_channel(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        body = req.json or {}
        if isinstance(chan, FakeDMChannel):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if isinstance(chan, FakeThread):
            owner = chan.owner_id == self.state.bot_user.id
            manage = bool(self.bot_perms(chan) & P.MANAGE_THREADS)
            if not (owner or manage) or ("locked" in body and not manage):
                raise missing_permissions()
            if "name" in body:
                chan.name = body["name"]
            for key in ("archived", "locked", "invitable"):
                if key in body and body[key] is not None:
                    setattr(chan, key, bool(body[key]))
            if "archived" in body and body["archived"] is not None:
                chan.archived_at = dt.datetime.now(dt.UTC)
            if body.get("auto_archive_duration"):
                chan.auto_archive_duration = int(body["auto_archive_duration"])
            if "applied_tags" in body:
                chan.applied_tags = self._tags(chan.parent, body["applied_tags"] or [])
        else:
            self.require(chan, P.MANAGE_CHANNELS)
            if "name" in body:
                chan.name = body["name"]
            if "topic" in body:
                chan.topic = body["topic"]
        self.state.channel_updated(chan)
        return Reply(200, self.channel_payload(chan))

    async def delete_channel(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if isinstance(chan, FakeDMChannel):
            return Reply(200, chan.to_payload())
        self.require(chan, P.MANAGE_THREADS if isinstance(chan, FakeThread) else P.MANAGE_CHANNELS)
        payload = self.channel_payload(chan)
        self.state.delete_channel(chan)
        return Reply(200, payload)

    async def list_messages(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if not self.bot_perms(chan) & P.READ_MESSAGE_HISTORY:
            return Reply(200, [])
        try:
            limit = max(1, min(100, int(req.query.get("limit", "50"))))
        except ValueError:
            raise form_error(["limit"], "NUMBER_TYPE_COERCE", "Value is not int.") from None
        msgs = sorted(chan.messages, key=lambda m: int(m["id"]), reverse=True)
        if "before" in req.query:
            before = int(req.query["before"])
            msgs = [m for m in msgs if int(m["id"]) < before]
        if "after" in req.query:
            after = int(req.query["after"])
            msgs = [m for m in msgs if int(m["id"]) > after][-limit:]
        if "around" in req.query:
            around = int(req.query["around"])
            older = [m for m in msgs if int(m["id"]) <= around][: (limit + 1) // 2]
            newer = [m for m in msgs if int(m["id"]) > around][-(limit // 2) :] if limit > 1 else []
            msgs = newer + older
        return Reply(200, [public(m) for m in msgs[:limit]])

    async def create_message(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        self.require_send(chan, files=bool(req.files))
        body = req.json or {}
        # Discord: with enforce_nonce, a nonce seen from the same author in the same channel in
        # the past few minutes returns that message instead of creating another.
        key = None
        if body.get("nonce") is not None and body.get("enforce_nonce"):
            key = (self.state.bot_user.id, chan.id, str(body["nonce"]))
            seen = self.state.nonces.get(key)
            if seen is not None and time.monotonic() - seen[1] <= self.state.nonce_window:
                found = self.state.find_message(seen[0])
                if found is not None:
                    self.state.nonce_hits += 1
                    return Reply(200, public(found[1]))
        msg = build_message(self.state, chan, self.state.bot_user, body, req.files)
        self.state.store_message(chan, msg)
        if key is not None:
            self.state.nonces[key] = (int(msg["id"]), time.monotonic())
        return Reply(200, public(msg))

    async def get_message(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        self.require(chan, P.READ_MESSAGE_HISTORY)
        return Reply(200, public(self.message(chan, req.params["message_id"])))

    async def edit_message(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        body = req.json or {}
        if msg["author"]["id"] != str(self.state.bot_user.id):
            if set(body) - {"flags"}:
                raise ApiError(403, 50005, "Cannot edit a message authored by another user")
            self.require(chan, P.MANAGE_MESSAGES)
        apply_edit(self.state, chan, msg, body, req.files)
        self.state.message_updated(chan, msg)
        return Reply(200, public(msg))

    async def delete_message(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        if msg["author"]["id"] != str(self.state.bot_user.id):
            self.require(chan, P.MANAGE_MESSAGES)
        self.state.delete_message(chan, msg)
        return Reply(204)

    def _emoji(self, raw: str) -> JSON:
        if ":" in raw:
            name, _, eid = raw.partition(":")
            return {"id": eid, "name": name}
        return {"id": None, "name": raw}

    async def add_reaction(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        self.require(chan, P.READ_MESSAGE_HISTORY)
        msg = self.message(chan, req.params["message_id"])
        emoji = self._emoji(req.params["emoji_name"])
        reactions: list[JSON] = msg.setdefault("reactions", [])
        entry = next((r for r in reactions if r["emoji"] == emoji), None)
        if entry is None:
            self.require(chan, P.ADD_REACTIONS)
            entry = {
                "emoji": emoji,
                "count": 0,
                "count_details": {"burst": 0, "normal": 0},
                "me": False,
                "me_burst": False,
                "burst_colors": [],
                "burst_count": 0,
            }
            reactions.append(entry)
        if not entry["me"]:
            entry["me"] = True
            entry["count"] += 1
            entry["count_details"]["normal"] += 1
            self.state.reactions.append({"message_id": msg["id"], "emoji": emoji})
            payload: JSON = {
                "user_id": str(self.state.bot_user.id),
                "channel_id": str(chan.id),
                "message_id": msg["id"],
                "emoji": emoji,
                "burst": False,
                "type": 0,
            }
            intent = DIRECT_MESSAGE_REACTIONS
            if chan.guild is not None:
                payload["guild_id"] = str(chan.guild.id)
                intent = GUILD_MESSAGE_REACTIONS
            self.state.dispatch("MESSAGE_REACTION_ADD", payload, intent=intent)
        return Reply(204)

    async def remove_reaction(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        emoji = self._emoji(req.params["emoji_name"])
        for entry in list(msg.get("reactions", [])):
            if entry["emoji"] == emoji and entry["me"]:
                entry["me"] = False
                entry["count"] -= 1
                entry["count_details"]["normal"] -= 1
                if entry["count"] <= 0:
                    msg["reactions"].remove(entry)
        return Reply(204)

    def _thread_parent(self, chan: AnyChannel) -> FakeChannel:
        if not isinstance(chan, FakeChannel):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return chan

    async def thread_from_message(self, req: ApiRequest) -> Reply:
        chan = self._thread_parent(self.channel(req.params["channel_id"]))
        if chan.type == M.FORUM:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        msg = self.message(chan, req.params["message_id"])
        self.require(chan, P.CREATE_PUBLIC_THREADS)
        if "thread" in msg or int(msg["id"]) in self.state.channels:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        body = req.json or {}
        thread = self.state.create_thread(
            chan,
            body["name"],
            owner=self.state.bot_user,
            type_=M.ANNOUNCEMENT_THREAD if chan.type == M.ANNOUNCEMENT else M.PUBLIC_THREAD,
            thread_id=int(msg["id"]),
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        payload = thread.to_payload(bot_id=self.state.bot_user.id)
        msg["thread"] = payload
        return Reply(201, payload)

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

    async def create_thread(self, req: ApiRequest) -> Reply:
        chan = self._thread_parent(self.channel(req.params["channel_id"]))
        body = req.json or {}
        state = self.state
        duration = int(body.get("auto_archive_duration") or 1440)
        if chan.type == M.FORUM:
            self.require(chan, P.SEND_MESSAGES)
            message = body.get("message")
            if not isinstance(message, dict):
                raise form_error(["message"], "BASE_TYPE_REQUIRED", "This field is required")
            if req.files:
                self.require(chan, P.ATTACH_FILES)
            tags = self._tags(chan, body.get("applied_tags") or [])
            tid = state.next_id()
            # build the starter message first so an invalid one creates no thread
            thread = M.FakeThread(chan, tid, body["name"], state.bot_user.id)
            starter = build_message(
                state, thread, state.bot_user, message, req.files, message_id=tid
            )
            thread = state.create_thread(
                chan,
                body["name"],
                owner=state.bot_user,
                thread_id=tid,
                auto_archive_duration=duration,
                applied_tags=tags,
            )
            state.store_message(thread, starter)
            payload = thread.to_payload(bot_id=state.bot_user.id) | {"message": public(starter)}
            return Reply(201, payload)
        if chan.type == M.ANNOUNCEMENT:
            ttype = M.ANNOUNCEMENT_THREAD
            self.require(chan, P.CREATE_PUBLIC_THREADS)
        else:
            ttype = int(body.get("type") or M.PRIVATE_THREAD)
            if ttype not in (M.PUBLIC_THREAD, M.PRIVATE_THREAD):
                raise form_error(["type"], "BASE_TYPE_CHOICES", "Value must be one of {11, 12}.")
            self.require(
                chan,
                P.CREATE_PUBLIC_THREADS if ttype == M.PUBLIC_THREAD else P.CREATE_PRIVATE_THREADS,
            )
        thread = state.create_thread(
            chan,
            body["name"],
            owner=state.bot_user,
            type_=ttype,
            auto_archive_duration=duration,
            invitable=body.get("invitable", True) is not False,
        )
        return Reply(201, thread.to_payload(bot_id=state.bot_user.id))

    def _thread(self, cid: str) -> FakeThread:
        chan = self.channel(cid)
        if not isinstance(chan, FakeThread):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return chan

    async def join_thread(self, req: ApiRequest) -> Reply:
        thread = self._thread(req.params["channel_id"])
        thread.member_ids.add(self.state.bot_user.id)
        return Reply(204)

    async def leave_thread(self, req: ApiRequest) -> Reply:
        thread = self._thread(req.params["channel_id"])
        thread.member_ids.discard(self.state.bot_user.id)
        return Reply(204)

    async def add_thread_member(self, req: ApiRequest) -> Reply:
        thread = self._thread(req.params["channel_id"])
        uid = _int(req.params["user_id"], unknown_member())
        if thread.guild.get_member(uid) is None:
            raise unknown_member()
        self.require(thread, P.SEND_MESSAGES_IN_THREADS)
        thread.member_ids.add(uid)
        return Reply(204)

    async def typing(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if not isinstance(chan, FakeDMChannel):
            self.require(
                chan,
                P.SEND_MESSAGES_IN_THREADS if isinstance(chan, FakeThread) else P.SEND_MESSAGES,
            )
        return Reply(204)

    async def list_pins(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        pinned = [m for m in reversed(chan.messages) if m.get("pinned")]
        items = [{"pinned_at": m["timestamp"], "message": public(m)} for m in pinned]
        return Reply(200, {"items": items, "has_more": False})

    async def pin(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        if not isinstance(chan, FakeDMChannel):
            self.require(chan, P.MANAGE_MESSAGES)
        msg["pinned"] = True
        self.state.message_updated(chan, msg)
        return Reply(204)

    async def unpin(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        if not isinstance(chan, FakeDMChannel):
            self.require(chan, P.MANAGE_MESSAGES)
        msg["pinned"] = False
        self.state.message_updated(chan, msg)
        return Reply(204)

    async def put_overwrite(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if not isinstance(chan, FakeChannel):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        self.require(chan, P.MANAGE_ROLES)
        body = req.json or {}
        chan.set_overwrite(
            int(req.params["overwrite_id"]),
            int(body.get("type") or 0),
            allow=int(body.get("allow") or 0),
            deny=int(body.get("deny") or 0),
        )
        return Reply(204)

    # -- guilds ------------------------------------------------------------------------------
    async def get_guild(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        payload = guild.to_payload()
        if _truthy(req.query.get("with_counts")):
            payload["approximate_member_count"] = len(guild.members)
            payload["approximate_presence_count"] = 0
        return Reply(200, payload)

    async def get_guild_channels(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        return Reply(200, [c.to_payload() for c in guild.channels])

    async def get_roles(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        return Reply(200, [r.to_payload() for r in guild.roles.values()])

    async def list_members(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        if not self.hub.granted_intents & GUILD_MEMBERS:
            raise missing_access()
        limit = max(1, min(1000, int(req.query.get("limit", "1"))))
        after = int(req.query.get("after", "0"))
        members = sorted(guild.members.values(), key=lambda m: m.id)
        members = [m for m in members if m.id > after][:limit]
        return Reply(200, [m.to_payload() for m in members])

    async def get_member(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        member = guild.get_member(_int(req.params["user_id"], unknown_member()))
        if member is None:
            raise unknown_member()
        return Reply(200, member.to_payload())

    def _threads_reply(self, threads: list[FakeThread], *, has_more: bool | None = None) -> Reply:
        bot_id = self.state.bot_user.id
        members = [
            {
                "id": str(t.id),
                "user_id": str(bot_id),
                "join_timestamp": t.to_payload()["thread_metadata"]["create_timestamp"],
                "flags": 1,
            }
            for t in threads
            if bot_id in t.member_ids
        ]
        body: JSON = {"threads": [t.to_payload() for t in threads], "members": members}
        if has_more is not None:
            body["has_more"] = has_more
        return Reply(200, body)

    def _can_see(self, thread: FakeThread) -> bool:
        """Discord lists a private thread only to its members and to Manage Threads."""
        if thread.type != M.PRIVATE_THREAD:
            return bool(self.bot_perms(thread) & P.VIEW_CHANNEL)
        if self.state.bot_user.id in thread.member_ids:
            return True
        return bool(self.bot_perms(thread) & P.MANAGE_THREADS)

    async def active_threads(self, req: ApiRequest) -> Reply:
        """GET /guilds/{guild_id}/threads/active: every active thread the bot can see,
        public and private, across the guild's channels."""
        guild = self.guild(req.params["guild_id"])
        threads = [t for t in guild.threads if not t.archived and self._can_see(t)]
        # The pinned spec requires has_more here too (the docs list only threads and members).
        return self._threads_reply(threads, has_more=False)

    def _archived(
        self, req: ApiRequest, keep: Callable[[FakeThread], bool], *, by_id: bool = False
    ) -> Reply:
        """The archived threads of a channel, newest archived first, `limit` (2-100, default 50)
        at a time before `before` (an ISO timestamp, or a thread id on the @me route)."""
        chan = self._thread_parent(self.channel(req.params["channel_id"]))
        self.require(chan, P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        limit = max(2, min(100, int(req.query.get("limit") or 50)))
        found = [t for t in chan.threads if t.archived and not t.deleted and keep(t)]
        if by_id:
            found.sort(key=lambda t: t.id, reverse=True)
            before_id = int(req.query["before"]) if req.query.get("before") else None
            if before_id is not None:
                found = [t for t in found if t.id < before_id]
        else:
            found.sort(key=lambda t: t.archived_at or t.created_at, reverse=True)
            before = req.query.get("before")
            if before:
                cut = dt.datetime.fromisoformat(before)
                found = [t for t in found if (t.archived_at or t.created_at) < cut]
        return self._threads_reply(found[:limit], has_more=len(found) > limit)

    async def archived_public(self, req: ApiRequest) -> Reply:
        return self._archived(req, lambda t: t.type != M.PRIVATE_THREAD)

    async def archived_private(self, req: ApiRequest) -> Reply:
        self.require(self.channel(req.params["channel_id"]), P.MANAGE_THREADS)
        return self._archived(req, lambda t: t.type == M.PRIVATE_THREAD)

    async def my_archived_private(self, req: ApiRequest) -> Reply:
        bot_id = self.state.bot_user.id
        return self._archived(
            req, lambda t: t.type == M.PRIVATE_THREAD and bot_id in t.member_ids, by_id=True
        )

    def _member_role(self, req: ApiRequest) -> tuple[M.FakeMember, M.FakeRole]:
        guild = self.guild(req.params["guild_id"])
        member = guild.get_member(_int(req.params["user_id"], unknown_member()))
        if member is None:
            raise unknown_member()
        role = guild.roles.get(_int(req.params["role_id"], ApiError(404, 10011, "Unknown Role")))
        if role is None:
            raise ApiError(404, 10011, "Unknown Role")
        bot = guild.bot_member
        if not bot.guild_permissions() & P.MANAGE_ROLES:
            raise missing_permissions()
        top = max((r.position for r in bot.roles), default=0)
        if role.position >= top or role.managed:
            raise missing_permissions()
        return member, role

    async def add_role(self, req: ApiRequest) -> Reply:
        member, role = self._member_role(req)
        member.add_role(role)
        return Reply(204)

    async def remove_role(self, req: ApiRequest) -> Reply:
        member, role = self._member_role(req)
        member.remove_role(role)
        return Reply(204)

    # -- interactions ------------------------------------------------------------------------
    async def callback(self, req: ApiRequest) -> Reply:
        iid = _int(req.params["interaction_id"], ApiError(404, 10062, "Unknown interaction"))
        pending = self.interactions.for_callback(iid, req.params["interaction_token"])
        if pending.callback_at is None:
            pending.callback_at = req.record.at  # when the request arrived, before any work
        answer = self.interactions.callback(pending, req.json or {}, req.files)
        if _truthy(req.query.get("with_response")):
            return Reply(200, answer)
        return Reply(204)

    def _pending(self, req: ApiRequest) -> Any:
        app_id = _int(req.params["webhook_id"], ApiError(404, 10015, "Unknown Webhook"))
        return self.interactions.for_webhook(app_id, req.params["webhook_token"])

    async def followup(self, req: ApiRequest) -> Reply:
        pending = self._pending(req)
        thread_id = req.query.get("thread_id")
        msg = self.interactions.followup(
            pending,
            req.json or {},
            req.files,
            thread_id=int(thread_id) if thread_id else None,
        )
        if _truthy(req.query.get("wait")):
            return Reply(200, public(msg))
        return Reply(204)

    async def get_original(self, req: ApiRequest) -> Reply:
        return Reply(200, public(self.interactions.get_original(self._pending(req))))

    async def edit_original(self, req: ApiRequest) -> Reply:
        msg = self.interactions.edit_original(self._pending(req), req.json or {}, req.files)
        return Reply(200, public(msg))

    async def delete_original(self, req: ApiRequest) -> Reply:
        self.interactions.delete_original(self._pending(req))
        return Reply(204)

    async def get_webhook_message(self, req: ApiRequest) -> Reply:
        mid = _int(req.params["message_id"], unknown_message())
        _, msg = self.interactions.webhook_message(self._pending(req), mid)
        return Reply(200, public(msg))

    async def edit_webhook_message(self, req: ApiRequest) -> Reply:
        mid = _int(req.params["message_id"], unknown_message())
        msg = self.interactions.edit_webhook_message(
            self._pending(req), mid, req.json or {}, req.files
        )
        return Reply(200, public(msg))

    async def delete_webhook_message(self, req: ApiRequest) -> Reply:
        mid = _int(req.params["message_id"], unknown_message())
        self.interactions.delete_webhook_message(self._pending(req), mid)
        return Reply(204)


def _clean_option(opt: Any) -> Any:
    """An option as Discord echoes it: null values dropped, ``required: false`` omitted."""
    if not isinstance(opt, dict):
        return opt
    out: JSON = {}
    for key, value in opt.items():
        if value is None or (key == "required" and value is False):
            continue
        if key in ("choices", "channel_types") and value == []:
            continue
        if key == "options":
            value = [_clean_option(o) for o in value]
        out[key] = value
    return out
