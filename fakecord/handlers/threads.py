"""Threads and forum posts: creating them, their members, and the active and archived lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .. import models as M
from .. import permissions as P
from ..messages import build_message, public
from ..models import FakeThread
from ..rest import ApiRequest, Reply
from ..util import JSON, ApiError, form_error, unknown_member
from .base import Endpoints, Route, as_int, route

CHANNEL = "/channels/{channel_id}"


class ThreadEndpoints(Endpoints):
    def routes(self) -> list[Route]:
        return [
            route("POST", CHANNEL + "/messages/{message_id}/threads", self.thread_from_message),
            route("POST", CHANNEL + "/threads", self.create_thread),
            route("PUT", CHANNEL + "/thread-members/@me", self.join_thread),
            route("DELETE", CHANNEL + "/thread-members/@me", self.leave_thread),
            route("PUT", CHANNEL + "/thread-members/{user_id}", self.add_thread_member),
            route("GET", "/guilds/{guild_id}/threads/active", self.active_threads),
            route("GET", CHANNEL + "/threads/archived/public", self.archived_public),
            route("GET", CHANNEL + "/threads/archived/private", self.archived_private),
            route("GET", CHANNEL + "/users/@me/threads/archived/private", self.my_archived_private),
        ]

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
        uid = as_int(req.params["user_id"], unknown_member())
        if thread.guild.get_member(uid) is None:
            raise unknown_member()
        self.require(thread, P.SEND_MESSAGES_IN_THREADS)
        thread.member_ids.add(uid)
        return Reply(204)

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
