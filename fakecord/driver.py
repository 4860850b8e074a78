"""``FakeDiscord``: the emulator's server plus the test driver API.

See ``fakecord/README.md`` for the reference and how to write an end-to-end test.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any

from aiohttp import web

from . import permissions as P
from .gateway import GatewayConnection, GatewayHub, GatewaySession
from .handlers import Handlers
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionManager,
    InteractionResult,
    InvocationError,
    PendingInteraction,
    Resolver,
    build_command_options,
    find_component,
    modal_submission,
)
from .messages import build_message
from .models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
    as_user,
)
from .ratelimit import Fault, FaultInjector, Hold, InvalidRequestCounter, RateLimiter, RouteLimit
from .rest import RecordedRequest, Recorder, Rejection, RestApi
from .state import FakeState
from .util import JSON

log = logging.getLogger("fakecord")
# settle() after a gateway event the bot has not answered yet waits at least this long (s).
EVENT_REACTION_QUIET = 0.25


class FakeDiscord:
    """A local Discord: REST under ``/api/v10`` and the gateway, on 127.0.0.1 at a free port.

    ``async with FakeDiscord() as fake:`` starts it and (with ``patch=True``, the default) points
    discord.py at it by setting ``discord.http.Route.BASE`` and
    ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` until the block ends. On exit it fails
    the test (AssertionError) if any request was rejected unexpectedly or hit an unknown route.
    """

    def __init__(
        self,
        *,
        global_rate_limit: int = 50,
        route_limits: dict[tuple[str, str], tuple[int, float]] | None = None,
        default_route_limit: tuple[int, float] = (1000, 1.0),
        granted_intents: int = 0,
        interaction_deadline: float = 3.0,
        deferred_timeout: float = 3.0,
        invalid_request_limit: int = 10_000,
        validate_responses: bool = False,
        allow_rejections: bool = False,
        settle_quiet: float = 0.075,
        log_bodies: bool = False,
        token: str | None = None,
        bot_name: str = "Rebound Test Bot",
        patch: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        jitter: float = 0.0,
        nonce_window: float = 300.0,
    ) -> None:
        self._token = token or f"fakecord.{secrets.token_urlsafe(24)}"
        self.state = FakeState(token=self._token, bot_name=bot_name)
        self.recorder = Recorder()
        if allow_rejections:
            self.recorder.expecting_rejections = 1
        self.limiter = RateLimiter(
            global_limit=global_rate_limit,
            default_route_limit=RouteLimit(*default_route_limit),
            route_limits={k: RouteLimit(*v) for k, v in (route_limits or {}).items()},
        )
        self.faults = FaultInjector()
        self.invalid = InvalidRequestCounter(invalid_request_limit)
        self.interactions = InteractionManager(self.state, deadline=interaction_deadline)
        self.hub = GatewayHub(self.state, granted_intents=granted_intents)
        self.handlers = Handlers(self.state, self.interactions, self.hub)
        self.rest = RestApi(
            token=self._token,
            recorder=self.recorder,
            limiter=self.limiter,
            faults=self.faults,
            invalid=self.invalid,
            validate_responses=validate_responses,
            log_bodies=log_bodies,
        )
        self.rest.install(self.handlers)
        self.rest.latency = latency
        self.rest.jitter = jitter
        self.state.nonce_window = nonce_window
        self.deferred_timeout = deferred_timeout
        #: how long interactions wait for a (re)connecting bot before InvocationError
        self.reconnect_grace = 5.0
        self.settle_quiet = settle_quiet
        self._patch = patch
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._patches: contextlib.ExitStack | None = None
        self.sent_interactions: list[PendingInteraction] = []

    # == lifecycle =================================================================================
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        app.router.add_get("/", self.hub.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.state.base_url = f"http://{host}:{port}"
        self.state.gateway_url = f"ws://{host}:{port}/"
        log.info("fakecord listening on %s", self.state.base_url)

    async def stop(self) -> None:
        self.faults.release_all()
        await self.hub.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        if self._patch:
            self._patches = contextlib.ExitStack()
            self._patches.enter_context(self.patch_discord())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._patches is not None:
            self._patches.close()
            self._patches = None
        await self.stop()
        problems = self.problems()
        if problems:
            report = "fakecord found problems:\n" + "\n".join(problems)
            if exc_type is None:
                raise AssertionError(report)
            log.error("%s", report)

    @contextlib.contextmanager
    def patch_discord(self) -> Iterator[FakeDiscord]:
        """Point discord.py at this emulator: sets ``discord.http.Route.BASE`` and
        ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``, restoring them on exit."""
        import discord.gateway
        import discord.http
        import yarl

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield self
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    def problems(self) -> list[str]:
        """What would fail the test on exit: unexpected rejections, unknown routes, and (with
        ``validate_responses``) responses that do not match the spec."""
        out: list[str] = []
        unexpected = self.unexpected_rejections
        if unexpected:
            out.append(
                "unexpected rejected requests (wrap deliberate ones in expect_rejections()):"
            )
            out.extend(f"  {r}" for r in unexpected)
        if self.recorder.unknown_routes:
            out.append("requests to routes fakecord does not implement (answered 404/405):")
            out.extend(f"  {r.method} {r.path}" for r in self.recorder.unknown_routes)
        if self.recorder.response_problems:
            out.append("emulator responses that do not match the spec:")
            out.extend(f"  {p}" for p in self.recorder.response_problems)
        return out

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        try:
            stored = self.state.files.get(int(request.match_info["attachment_id"]))
        except ValueError:
            stored = None
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, headers={"Content-Type": stored.content_type})

    # == addresses and identity ====================================================================
    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def api_base(self) -> str:
        return f"{self.state.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.state.gateway_url

    @property
    def token(self) -> str:
        return self._token

    @property
    def application_id(self) -> int:
        return self.state.application_id

    @property
    def bot_user(self) -> FakeUser:
        return self.state.bot_user

    # == records ===================================================================================
    @property
    def requests(self) -> list[RecordedRequest]:
        return self.recorder.requests

    def requests_to(self, method: str, route: str) -> list[RecordedRequest]:
        """Requests whose method matches and whose route template or concrete path is ``route``."""
        return [
            r
            for r in self.recorder.requests
            if r.method == method.upper() and route in (r.template, r.path)
        ]

    @property
    def rejected(self) -> list[Rejection]:
        return self.recorder.rejected

    @property
    def unexpected_rejections(self) -> list[Rejection]:
        return [r for r in self.recorder.rejected if not r.expected]

    @property
    def unknown_routes(self) -> list[RecordedRequest]:
        return self.recorder.unknown_routes

    @property
    def response_problems(self) -> list[str]:
        return self.recorder.response_problems

    @property
    def count_429(self) -> int:
        return self.recorder.count_429

    @property
    def invalid_request_count(self) -> int:
        """401, 403 and 429 answers so far (Discord's 10,000 per 10 minutes rule)."""
        return self.invalid.total

    @property
    def reactions(self) -> list[JSON]:
        return self.state.reactions

    @property
    def permission_bypasses(self) -> list[PendingInteraction]:
        """Commands dispatched although the member lacked default_member_permissions."""
        return self.interactions.permission_bypasses

    @contextlib.contextmanager
    def expect_rejections(self, count: int | None = None) -> Iterator[list[Rejection]]:
        """Rejections (400 Invalid Form Body and the like) inside the block are expected: they
        are recorded but do not fail the test. Yields the list of those rejections. With
        ``count``, exactly that many must happen."""
        start = len(self.recorder.rejected)
        seen: list[Rejection] = []
        self.recorder.expecting_rejections += 1
        try:
            yield seen
        finally:
            self.recorder.expecting_rejections -= 1
            seen.extend(self.recorder.rejected[start:])
        if count is not None and len(seen) != count:
            raise AssertionError(f"expected {count} rejection(s), got {len(seen)}: {seen}")

    @contextlib.contextmanager
    def expect_unknown_routes(self) -> Iterator[None]:
        """Requests to unknown routes inside the block do not fail the test."""
        self.recorder.expecting_unknown += 1
        try:
            yield
        finally:
            self.recorder.expecting_unknown -= 1

    def attachment_bytes(self, attachment: JSON | int | str) -> bytes:
        """The bytes behind an attachment dict (or attachment id)."""
        aid = int(attachment["id"]) if isinstance(attachment, dict) else int(attachment)
        return self.state.files[aid].data

    # == world building ============================================================================
    def create_guild(
        self, name: str, *, with_bot: bool = True, owner_name: str = "owner"
    ) -> FakeGuild:
        """A guild with @everyone, an owner member (all rights) and, by default, the bot.
        After the bot connected this dispatches GUILD_CREATE."""
        return self.state.create_guild(name, with_bot=with_bot, owner_name=owner_name)

    def create_user(self, name: str, *, global_name: str | None = None) -> FakeUser:
        """A user in no guild (e.g. for a DM)."""
        return self.state.create_user(name, global_name=global_name)

    def add_bot_to_guild(self, guild: FakeGuild) -> None:
        self.state.add_bot_to_guild(guild)

    def remove_bot_from_guild(self, guild: FakeGuild) -> None:
        """GUILD_DELETE; the guild's routes then answer 403/50001."""
        self.state.remove_bot_from_guild(guild)

    def delete_channel(self, channel: FakeChannel | FakeThread) -> None:
        """CHANNEL_DELETE (THREAD_DELETE for a thread); later requests get 404/10003."""
        self.state.delete_channel(channel)

    def set_bot_permissions(
        self, channel: FakeChannel | FakeThread, allow: int = 0, deny: int = 0
    ) -> None:
        """Set the bot's member overwrite on ``channel`` (a thread's parent for a thread) and
        dispatch CHANNEL_UPDATE. ``allow=0, deny=0`` removes the overwrite."""
        target = channel.parent if isinstance(channel, FakeThread) else channel
        target.set_overwrite(self.state.bot_user.id, P.MEMBER_OVERWRITE, allow=allow, deny=deny)

    def set_permissions(
        self,
        channel: FakeChannel | FakeThread,
        target: FakeMember | FakeRole,
        allow: int = 0,
        deny: int = 0,
    ) -> None:
        """A member's or role's overwrite on ``channel`` (a thread's parent), as an admin would
        set it; CHANNEL_UPDATE. Server-only bits (Manage Server …) have no effect there, as on
        Discord. ``allow=0, deny=0`` removes it."""
        parent = channel.parent if isinstance(channel, FakeThread) else channel
        kind = P.ROLE_OVERWRITE if isinstance(target, FakeRole) else P.MEMBER_OVERWRITE
        parent.set_overwrite(target.id, kind, allow=allow, deny=deny)

    def close_dms(self, member: FakeMember | FakeUser) -> None:
        """The bot's messages to this user get 403/50007 from now on."""
        as_user(member).dms_closed = True

    def open_dms(self, member: FakeMember | FakeUser) -> None:
        as_user(member).dms_closed = False

    def dm_channel(self, member: FakeMember | FakeUser) -> FakeDMChannel:
        """The DM channel between the bot and this user (usable as an interaction channel)."""
        return self.state.dm_channel(as_user(member))

    def dm_messages(self, member: FakeMember | FakeUser) -> list[JSON]:
        """Messages in the DM with this user (empty if there is none)."""
        chan = self.state.dm_channels.get(as_user(member).id)
        return chan.messages if chan is not None else []

    def message(self, message_id: int | str) -> JSON | None:
        found = self.state.find_message(int(message_id))
        return found[1] if found else None

    def user_message(
        self, member: FakeMember | FakeUser, channel: AnyChannel, content: str, **body: Any
    ) -> JSON:
        """A message posted by a person (MESSAGE_CREATE; content only with MESSAGE_CONTENT
        unless it mentions the bot or is a DM)."""
        msg = build_message(self.state, channel, as_user(member), {"content": content, **body}, [])
        self.state.store_message(channel, msg)
        return msg

    def create_thread(
        self,
        channel: FakeChannel,
        name: str,
        *,
        owner: FakeMember | FakeUser,
        private: bool = False,
    ) -> FakeThread:
        """A thread started by a person (THREAD_CREATE)."""
        return self.state.create_thread(
            channel, name, owner=as_user(owner), type_=12 if private else 11
        )

    def archive_thread(self, thread: FakeThread, archived: bool = True) -> None:
        """Archive (or unarchive) a thread as Discord does after its inactivity period
        (THREAD_UPDATE): it leaves GET /guilds/{id}/threads/active for the archived lists."""
        thread.archived = archived
        thread.archived_at = dt.datetime.now(dt.UTC)
        self.state.channel_updated(thread)

    @property
    def granted_intents(self) -> int:
        """Privileged intents the app may use (IDENTIFY with others closes with 4014)."""
        return self.hub.granted_intents

    @granted_intents.setter
    def granted_intents(self, value: int) -> None:
        self.hub.granted_intents = value

    @property
    def guilds(self) -> list[FakeGuild]:
        return list(self.state.guilds.values())

    def commands(self, guild: FakeGuild | None = None) -> list[JSON]:
        """The commands the bot synced (global, or that guild's)."""
        if guild is None:
            return self.state.global_commands
        return self.state.guild_commands.get(guild.id, [])

    # == faults ====================================================================================
    def fail_next(
        self,
        method: str,
        route: str,
        status: int = 500,
        count: int = 1,
        *,
        retry_after: float = 0.05,
        is_global: bool = False,
        code: int = 0,
        message: str | None = None,
        via: bool = True,
        html: bool = False,
        after_store: bool = False,
    ) -> Fault:
        """Answer the next ``count`` requests to ``method route`` with ``status``.

        ``route`` is the spec template (``"/channels/{channel_id}/messages"``) or a concrete path
        (``f"/channels/{chan.id}/messages"``); ``method="*"`` matches any method. A 429 carries
        ``retry_after`` (seconds), a ``Via`` header and ``global`` = ``is_global``; with
        ``via=False`` it is Cloudflare's 429 (no Via; JSON, or an HTML page with ``html=True``),
        which discord.py raises instead of retrying. ``after_store=True`` does the request's
        work first (the message is stored) and then answers ``status``. Note that discord.py
        retries 500/502/504 after 1 s, 3 s, ... (slow)."""
        return self.faults.add(
            Fault(
                method.upper(),
                route,
                status,
                count,
                retry_after=retry_after,
                is_global=is_global,
                code=code,
                message=message,
                via=via,
                html=html,
                after_store=after_store,
            )
        )

    def hold_next(self, method: str, route: str, *, after_store: bool = False) -> Hold:
        """The next matching request waits until ``hold.release()`` (``hold.arrived`` is set
        when it arrives): before its work, or with ``after_store`` once the work is done and
        before the answer. Kill the bot meanwhile to crash it at that moment. Every hold is
        released when the emulator stops."""
        hold = Hold(method, route, after_store=after_store)
        self.faults.holds.append(hold)
        return hold

    def fail_after_store(self, method: str, route: str, status: int = 500, count: int = 1) -> Fault:
        """The next ``count`` matching requests succeed (a message is stored) but answer
        ``status``: what a client sees when Discord stores a message and then fails."""
        return self.fail_next(method, route, status, count, after_store=True)

    # -- network and idempotency knobs -------------------------------------------------------
    @property
    def latency(self) -> float:
        """Seconds added before every REST answer (default 0)."""
        return self.rest.latency

    @latency.setter
    def latency(self, value: float) -> None:
        self.rest.latency = value

    @property
    def jitter(self) -> float:
        """Each answer's delay varies by up to +- this many seconds."""
        return self.rest.jitter

    @jitter.setter
    def jitter(self, value: float) -> None:
        self.rest.jitter = value

    @property
    def nonce_window(self) -> float:
        """Seconds a create-message nonce (with enforce_nonce) returns the first message."""
        return self.state.nonce_window

    @nonce_window.setter
    def nonce_window(self, value: float) -> None:
        self.state.nonce_window = value

    @property
    def nonce_hits(self) -> int:
        """Creates answered with an earlier message because of their nonce."""
        return self.state.nonce_hits

    # -- outages and shards ------------------------------------------------------------------
    def start_outage(self, *guilds: FakeGuild) -> None:
        """Make guilds unavailable (a Discord outage): listed unavailable in READY with no
        GUILD_CREATE, and a connected bot gets GUILD_DELETE with ``unavailable: true``."""
        for guild in guilds:
            if guild.outage:
                continue
            guild.outage = True
            if guild.bot_present:
                self.hub.dispatch_guild_event(
                    guild.id, "GUILD_DELETE", {"id": str(guild.id), "unavailable": True}
                )

    def end_outage(self, *guilds: FakeGuild) -> None:
        """Bring guilds back (all of them if none are named): GUILD_CREATE to the bot."""
        for guild in guilds or tuple(self.state.guilds.values()):
            if not guild.outage:
                continue
            guild.outage = False
            if guild.bot_present:
                self.hub.dispatch_guild_create(guild, joined=False)

    @property
    def guilds_per_shard(self) -> int:
        """GET /gateway/bot recommends ceil(guilds / this) shards (default 1000)."""
        return self.state.guilds_per_shard

    @guilds_per_shard.setter
    def guilds_per_shard(self, value: int) -> None:
        self.state.guilds_per_shard = value

    @property
    def max_concurrency(self) -> int:
        """session_start_limit.max_concurrency in GET /gateway/bot (default 1)."""
        return self.state.max_concurrency

    @max_concurrency.setter
    def max_concurrency(self, value: int) -> None:
        self.state.max_concurrency = value

    def set_route_limit(self, method: str, route: str, limit: int, per: float) -> None:
        """Per-route bucket: ``limit`` requests per ``per`` seconds (per major parameter)."""
        self.limiter.set_route_limit(method, route, limit, per)

    @property
    def global_rate_limit(self) -> int:
        return self.limiter.global_limit

    @global_rate_limit.setter
    def global_rate_limit(self, value: int) -> None:
        self.limiter.global_limit = value

    def advance_time(self, seconds: float) -> None:
        """Age the tokens of interactions made so far (they live 15 minutes) without waiting."""
        self.interactions.clock_offset += seconds

    # == gateway ===================================================================================
    @property
    def connections(self) -> list[GatewayConnection]:
        return list(self.hub.connections)

    @property
    def sessions(self) -> list[GatewaySession]:
        return list(self.hub.sessions.values())

    @property
    def identifies(self) -> list[JSON]:
        """IDENTIFY payloads received (tokens included)."""
        return self.hub.identifies

    @property
    def close_codes(self) -> list[int]:
        return self.hub.close_codes

    async def wait_for_identify(self, count: int = 1, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` sessions were identified (READY sent) in total."""
        await self.hub.wait_until(lambda: self.hub.ready_count >= count, timeout)

    async def wait_for_resume(self, count: int = 1, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` RESUMEs were accepted in total."""
        await self.hub.wait_until(lambda: self.hub.resume_count >= count, timeout)

    async def wait_for_disconnect(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until no gateway connection is open."""
        await self.hub.wait_until(lambda: not self.hub.connections, timeout)

    async def drop_gateway(self, code: int = 4000, reason: str = "") -> int:
        """Close the gateway connection(s) with ``code``; events dispatched until the client
        resumes are replayed then. Returns the number of connections closed."""
        return await self.hub.drop(code, reason)

    def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (``d`` = resumable); non-resumable makes the client
        IDENTIFY again."""
        self.hub.invalidate(resumable=resumable)

    def send_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client reconnects and resumes."""
        self.hub.reconnect()

    def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> None:
        """Send any gateway event to the bot (for cases the emulator does not model)."""
        self.state.dispatch(event, data, intent=intent)

    # == settling ==================================================================================
    async def settle(self, quiet: float | None = None, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until no REST request is in flight and none arrived for ``quiet`` seconds
        (default ~75 ms), at most ``timeout`` seconds. After a gateway event the bot has not
        answered with a request yet, wait at least EVENT_REACTION_QUIET (250 ms) for it."""
        quiet = self.settle_quiet if quiet is None else quiet
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        rec = self.recorder
        while loop.time() < end:
            now = time.monotonic()
            # A gateway event (CHANNEL_DELETE, GUILD_DELETE …) not yet answered by any request:
            # the bot may still be reading its database before it reacts, so wait longer.
            after_event = self.hub.last_dispatch > rec.last_activity
            wanted = max(quiet, EVENT_REACTION_QUIET) if after_event else quiet
            idle = now - max(rec.last_activity, self.hub.last_dispatch)
            unsent = any(c.pending_frames for c in self.hub.connections)
            if rec.inflight == 0 and not unsent and idle >= wanted:
                return
            await asyncio.sleep(max(0.005, wanted - idle) if rec.inflight == 0 else 0.01)

    # == interactions ==============================================================================
    async def _require_bot(self) -> None:
        """A connected session, waiting up to ``reconnect_grace`` s for a reconnecting client."""
        if self.hub.connected_sessions:
            return
        try:
            await self.hub.wait_until(
                lambda: bool(self.hub.connected_sessions), self.reconnect_grace
            )
        except TimeoutError:
            raise InvocationError(
                "the bot has no connected gateway session: start it before interacting"
            ) from None

    def _find_command(self, channel: AnyChannel, name: str) -> JSON:
        guild = channel.guild
        pools: list[list[JSON]] = []
        if guild is not None:
            pools.append(self.state.guild_commands.get(guild.id, []))
        pools.append(self.state.global_commands)
        for pool in pools:
            for cmd in pool:
                if cmd["name"] == name and cmd.get("type", 1) == 1:
                    self._check_context(cmd, channel)
                    return cmd
        known = sorted({c["name"] for pool in pools for c in pool})
        raise InvocationError(
            f"no slash command {name!r} was synced for this channel; synced: {known!r}"
        )

    @staticmethod
    def _check_context(cmd: JSON, channel: AnyChannel) -> None:
        contexts = cmd.get("contexts")
        dm = isinstance(channel, FakeDMChannel)
        if dm and "guild_id" in cmd:
            raise InvocationError(f"/{cmd['name']} is a guild command: not usable in DMs")
        wanted = 1 if dm else 0
        if contexts is not None and wanted not in contexts:
            where = "DMs" if dm else "guilds"
            raise InvocationError(
                f"/{cmd['name']} is not available in {where} (contexts {contexts})"
            )
        if dm and contexts is None and cmd.get("dm_permission") is False:
            raise InvocationError(f"/{cmd['name']} has dm_permission false")

    def _check_channel_user(self, user: FakeUser, channel: AnyChannel) -> None:
        if isinstance(channel, FakeDMChannel) and channel.recipient.id != user.id:
            raise InvocationError(
                f"{user.name!r} cannot act in the DM of {channel.recipient.name!r}"
            )
        if isinstance(channel, FakeChannel | FakeThread) and channel.deleted:
            raise InvocationError(f"channel {channel.name!r} was deleted")

    async def _await(
        self, p: PendingInteraction, *, wait_deferred: bool = True
    ) -> InteractionResult:
        self.sent_interactions.append(p)
        result = InteractionResult(p, self.state)
        remaining = p.deadline - time.monotonic()
        try:
            await asyncio.wait_for(p.responded.wait(), timeout=max(remaining, 0.0))
        except TimeoutError:
            if p.response_type is None:
                p.missed_deadline = True
                log.warning("fakecord: interaction %s got no answer within the deadline", p.id)
        if p.response_type == 5 and wait_deferred:
            try:
                await asyncio.wait_for(self._deferred_done(p), self.deferred_timeout)
            except TimeoutError:
                log.warning("fakecord: deferred interaction %s was never completed", p.id)
        await self.settle()
        return result

    @staticmethod
    async def _deferred_done(p: PendingInteraction) -> None:
        while True:
            original = p.original
            loading = original is not None and original["flags"] & (1 << 7)
            if p.followups or p.original_deleted or not loading:
                return
            p.progressed.clear()
            await p.progressed.wait()

    def _member_for(self, member: FakeMember | FakeUser, channel: AnyChannel) -> FakeMember | None:
        guild = channel.guild
        if guild is None:
            return None
        found = guild.get_member(as_user(member))
        if found is None:
            raise InvocationError(f"{as_user(member).name!r} is not in guild {guild.name!r}")
        return found

    async def invoke(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        /,
        **options: Any,
    ) -> InteractionResult:
        """Use slash command ``command`` ("name", "name sub" or "name group sub") with
        ``options`` (user/channel/role options take Fake objects; ``a_b`` may name ``a-b``)."""
        await self._require_bot()
        return await self._await(self._command_interaction(member, channel, command, options))

    async def start_invoke(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        /,
        **options: Any,
    ) -> InteractionResult:
        """Like ``invoke`` but returns as soon as INTERACTION_CREATE is queued for the bot,
        without waiting for the answer or settling (for load: many interactions in flight).
        Wait for it with ``await fake.answered(r)``."""
        await self._require_bot()
        p = self._command_interaction(member, channel, command, options)
        self.sent_interactions.append(p)
        return InteractionResult(p, self.state)

    async def answered(self, result: InteractionResult) -> InteractionResult:
        """Wait for the initial answer of a ``start_invoke``/``start_modal`` interaction, up to
        its deadline (then ``missed_deadline`` is set). No deferred wait, no settle."""
        p = result.pending
        remaining = p.deadline - time.monotonic()
        try:
            await asyncio.wait_for(p.responded.wait(), timeout=max(remaining, 0.0))
        except TimeoutError:
            if p.response_type is None:
                p.missed_deadline = True
        return result

    def _command_interaction(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        options: dict[str, Any],
    ) -> PendingInteraction:
        user = as_user(member)
        self._check_channel_user(user, channel)
        guild_member = self._member_for(member, channel)
        parts = command.split()
        cmd = self._find_command(channel, parts[0])
        resolver = Resolver(self.state, guild_member)
        opts = build_command_options(cmd, parts[1:], options, resolver, channel)
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1}
        if opts:
            data["options"] = opts
        if resolver.data:
            data["resolved"] = resolver.data
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        p = self.interactions.create(APPLICATION_COMMAND, user, channel, data, command_name=command)
        required = cmd.get("default_member_permissions")
        if guild_member is not None and required is not None:
            need = int(required)
            have = guild_member.guild_permissions()
            if have & need != need:
                p.lacked_default_permissions = True
                self.interactions.permission_bypasses.append(p)
        return p

    async def autocomplete(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        /,
        focused: str,
        **options: Any,
    ) -> list[JSON]:
        """Autocomplete ``focused`` (its typed text is ``options[focused]``, default "").
        Returns the choices the bot answered (type 8)."""
        await self._require_bot()
        user = as_user(member)
        self._check_channel_user(user, channel)
        guild_member = self._member_for(member, channel)
        parts = command.split()
        cmd = self._find_command(channel, parts[0])
        resolver = Resolver(self.state, guild_member)
        opts = build_command_options(cmd, parts[1:], options, resolver, channel, focused=focused)
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": opts}
        if resolver.data:
            data["resolved"] = resolver.data
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        p = self.interactions.create(AUTOCOMPLETE, user, channel, data, command_name=command)
        result = await self._await(p)
        return list(result.choices or [])

    def _live_message(self, message: JSON | int | str) -> tuple[AnyChannel, JSON]:
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        found = self.state.find_message(mid)
        if found is None:
            raise InvocationError(f"message {mid} does not exist (deleted?)")
        return found

    def _check_message_access(self, user: FakeUser, channel: AnyChannel, msg: JSON) -> None:
        self._check_channel_user(user, channel)
        if msg["flags"] & (1 << 6):
            owner = (msg.get("interaction_metadata") or {}).get("user", {}).get("id")
            if owner is not None and owner != str(user.id):
                raise InvocationError("an ephemeral message can only be used by its recipient")

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
        self._member_for(member, channel)
        comp = find_component(msg, label=label, custom_id=custom_id, types=(2,))
        if comp.get("disabled"):
            raise InvocationError(f"button {label or custom_id!r} is disabled")
        if "custom_id" not in comp:
            raise InvocationError(f"button {label or custom_id!r} is a link/premium button")
        data: JSON = {"custom_id": comp["custom_id"], "component_type": 2}
        if "id" in comp:
            data["id"] = comp["id"]
        await self._require_bot()
        p = self.interactions.create(MESSAGE_COMPONENT, user, channel, data, message=msg)
        return await self._await(p)

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
        guild_member = self._member_for(member, channel)
        selects_types = (3, 5, 6, 7, 8)
        if custom_id is None:
            from .interactions import walk_components

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
        await self._require_bot()
        p = self.interactions.create(MESSAGE_COMPONENT, user, channel, data, message=msg)
        return await self._await(p)

    async def submit_modal(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        modal: JSON | InteractionResult | None,
        values: dict[str, Any],
    ) -> InteractionResult:
        """Submit a modal the bot showed (``r.modal``), ``values`` keyed by each field's label
        or custom_id. Fields left out submit their pre-filled value (required ones must be
        given)."""
        await self._require_bot()
        return await self._await(self._modal_interaction(member, channel, modal, values))

    async def start_modal(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        modal: JSON | InteractionResult | None,
        values: dict[str, Any],
    ) -> InteractionResult:
        """Like ``submit_modal`` but returns once MODAL_SUBMIT is queued for the bot (see
        ``start_invoke``); wait with ``await fake.answered(r)``."""
        await self._require_bot()
        p = self._modal_interaction(member, channel, modal, values)
        self.sent_interactions.append(p)
        return InteractionResult(p, self.state)

    def _modal_interaction(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        modal: JSON | InteractionResult | None,
        values: dict[str, Any],
    ) -> PendingInteraction:
        if isinstance(modal, InteractionResult):
            modal = modal.modal
        if modal is None:
            raise InvocationError("no modal: the bot did not answer with one (r.modal is None)")
        user = as_user(member)
        self._check_channel_user(user, channel)
        self._member_for(member, channel)
        components = modal_submission(modal, values)
        origin = self.interactions.modal_origins.get(str(modal.get("custom_id")))
        message = None
        if origin is not None and origin.type == MESSAGE_COMPONENT:
            message = origin.source_message
        data: JSON = {"custom_id": modal["custom_id"], "components": components}
        return self.interactions.create(
            MODAL_SUBMIT, user, channel, data, message=message, origin=origin
        )


@contextlib.asynccontextmanager
async def running_fake(**kwargs: Any) -> AsyncIterator[FakeDiscord]:
    """``async with running_fake(...) as fake`` - same as ``async with FakeDiscord(...)``."""
    async with FakeDiscord(**kwargs) as fake:
        yield fake
