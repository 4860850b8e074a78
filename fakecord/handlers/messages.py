"""Messages and reactions: ``/channels/{id}/messages`` (the create-message nonce included)."""

from __future__ import annotations

import time

from .. import permissions as P
from ..messages import apply_edit, build_message, public
from ..rest import ApiRequest, Reply
from ..state import DIRECT_MESSAGE_REACTIONS, GUILD_MESSAGE_REACTIONS
from ..util import JSON, ApiError, form_error
from .base import Endpoints, Route, route

MESSAGES = "/channels/{channel_id}/messages"
MESSAGE = MESSAGES + "/{message_id}"


class MessageEndpoints(Endpoints):
    def routes(self) -> list[Route]:
        return [
            route("GET", MESSAGES, self.list_messages),
            route("POST", MESSAGES, self.create_message),
            route("GET", MESSAGE, self.get_message),
            route("PATCH", MESSAGE, self.edit_message),
            route("DELETE", MESSAGE, self.delete_message),
            route("PUT", MESSAGE + "/reactions/{emoji_name}/@me", self.add_reaction),
            route("DELETE", MESSAGE + "/reactions/{emoji_name}/@me", self.remove_reaction),
        ]

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
