"""``FakeDiscord``: the emulator's server, made of parts, plus the test driver API.

Each part is an attribute holding the object itself (``fake.world``, ``fake.rest``,
``fake.faults`` ...); the driver API's older flat names (``fake.invoke``, ``fake.latency`` ...) are
thin aliases of those objects. See ``fakecord/README.md`` for the reference.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any

from aiohttp import web

from .acting import Components, InteractionSender, Modals, SlashCommands
from .aliases import Alias, Forward, Knob
from .gateway import GatewayConnection, GatewayHub, GatewaySession
from .handlers import Handlers
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionManager,
    PendingInteraction,
)
from .models import AnyChannel, FakeGuild, FakeUser
from .ratelimit import FaultInjector, InvalidRequestCounter, RateLimiter, RouteLimit
from .records import RecordedRequest, Recorder, Rejection
from .rest import RestApi
from .settling import EVENT_REACTION_QUIET, Settler
from .state import FakeState
from .util import JSON
from .world import World

__all__ = [
    "APPLICATION_COMMAND",
    "AUTOCOMPLETE",
    "EVENT_REACTION_QUIET",
    "JSON",
    "MESSAGE_COMPONENT",
    "MODAL_SUBMIT",
    "AnyChannel",
    "FakeDiscord",
    "running_fake",
]

log = logging.getLogger("fakecord")


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
        #: the world: guilds, users, channels, messages, commands (``state.py``)
        self.state = FakeState(token=self._token, bot_name=bot_name)
        self.state.nonce_window = nonce_window
        #: every REST request, rejection and unknown route (``records.py``)
        self.recorder = Recorder()
        if allow_rejections:
            self.recorder.expecting_rejections = 1
        self.limiter = RateLimiter(
            global_limit=global_rate_limit,
            default_route_limit=RouteLimit(*default_route_limit),
            route_limits={k: RouteLimit(*v) for k, v in (route_limits or {}).items()},
        )
        #: injected errors and held requests (``fail_next``, ``hold_next``)
        self.faults = FaultInjector()
        self.invalid = InvalidRequestCounter(invalid_request_limit)
        #: the server side of interactions (callbacks, followups, tokens)
        self.interactions = InteractionManager(self.state, deadline=interaction_deadline)
        #: the gateway: sessions, connections, dispatch
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
        #: building and changing the world as people and admins do
        self.world = World(self.state, self.hub)
        self.settler = Settler(self.recorder, self.hub, quiet=settle_quiet)
        #: acting as a person: what every interaction goes through
        self.sender = InteractionSender(
            self.state, self.hub, self.interactions, self.settler, deferred_timeout=deferred_timeout
        )
        self.slash_commands = SlashCommands(self.sender)
        self.components = Components(self.sender)
        self.modals = Modals(self.sender)
        self._patch = patch
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._patches: contextlib.ExitStack | None = None

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

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        try:
            stored = self.state.files.get(int(request.match_info["attachment_id"]))
        except ValueError:
            stored = None
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, headers={"Content-Type": stored.content_type})

    # == addresses and identity ====================================================================
    base_url = Alias[str]("state", "base_url")
    gateway_url = Alias[str]("state", "gateway_url")
    application_id = Alias[int]("state", "application_id")
    bot_user = Alias[FakeUser]("state", "bot_user")

    @property
    def api_base(self) -> str:
        return f"{self.state.base_url}/api/v10"

    @property
    def token(self) -> str:
        return self._token

    # == the gateway's open connections and sessions (copies: they change as the bot reconnects) ==
    @property
    def connections(self) -> list[GatewayConnection]:
        return list(self.hub.connections)

    @property
    def sessions(self) -> list[GatewaySession]:
        return list(self.hub.sessions.values())

    # == the driver API's flat names: each is an attribute of the part named first =================
    # records
    requests = Alias[list[RecordedRequest]]("recorder", "requests")
    requests_to = Forward("recorder", Recorder.requests_to)
    rejected = Alias[list[Rejection]]("recorder", "rejected")
    unexpected_rejections = Alias[list[Rejection]]("recorder", "unexpected_rejections")
    unknown_routes = Alias[list[RecordedRequest]]("recorder", "unknown_routes")
    response_problems = Alias[list[str]]("recorder", "response_problems")
    count_429 = Alias[int]("recorder", "count_429")
    expect_rejections = Forward("recorder", Recorder.expect_rejections)
    expect_unknown_routes = Forward("recorder", Recorder.expect_unknown_routes)
    problems = Forward("recorder", Recorder.problems)
    invalid_request_count = Alias[int]("invalid", "total")
    reactions = Alias[list[JSON]]("state", "reactions")
    permission_bypasses = Alias[list[PendingInteraction]]("interactions", "permission_bypasses")
    sent_interactions = Alias[list[PendingInteraction]]("sender", "sent_interactions")
    # the world
    create_guild = Forward("world", World.create_guild)
    create_user = Forward("world", World.create_user)
    add_bot_to_guild = Forward("world", World.add_bot_to_guild)
    remove_bot_from_guild = Forward("world", World.remove_bot_from_guild)
    delete_channel = Forward("world", World.delete_channel)
    set_bot_permissions = Forward("world", World.set_bot_permissions)
    set_permissions = Forward("world", World.set_permissions)
    close_dms = Forward("world", World.close_dms)
    open_dms = Forward("world", World.open_dms)
    dm_channel = Forward("world", World.dm_channel)
    dm_messages = Forward("world", World.dm_messages)
    message = Forward("world", World.message)
    user_message = Forward("world", World.user_message)
    create_thread = Forward("world", World.create_thread)
    archive_thread = Forward("world", World.archive_thread)
    guilds = Alias[list[FakeGuild]]("world", "guilds")
    commands = Forward("world", World.commands)
    attachment_bytes = Forward("world", World.attachment_bytes)
    start_outage = Forward("world", World.start_outage)
    end_outage = Forward("world", World.end_outage)
    dispatch = Forward("world", World.dispatch)
    # faults and network knobs
    fail_next = Forward("faults", FaultInjector.fail_next)
    fail_after_store = Forward("faults", FaultInjector.fail_after_store)
    hold_next = Forward("faults", FaultInjector.hold_next)
    latency = Knob[float]("rest", "latency")
    jitter = Knob[float]("rest", "jitter")
    nonce_window = Knob[float]("state", "nonce_window")
    nonce_hits = Alias[int]("state", "nonce_hits")
    guilds_per_shard = Knob[int]("state", "guilds_per_shard")
    max_concurrency = Knob[int]("state", "max_concurrency")
    set_route_limit = Forward("limiter", RateLimiter.set_route_limit)
    global_rate_limit = Knob[int]("limiter", "global_limit")
    advance_time = Forward("interactions", InteractionManager.advance_time)
    # the gateway
    granted_intents = Knob[int]("hub", "granted_intents")
    identifies = Alias[list[JSON]]("hub", "identifies")
    close_codes = Alias[list[int]]("hub", "close_codes")
    wait_for_identify = Forward("hub", GatewayHub.wait_for_identify)
    wait_for_resume = Forward("hub", GatewayHub.wait_for_resume)
    wait_for_disconnect = Forward("hub", GatewayHub.wait_for_disconnect)
    drop_gateway = Forward("hub", GatewayHub.drop)
    invalidate_session = Forward("hub", GatewayHub.invalidate)
    send_reconnect = Forward("hub", GatewayHub.reconnect)
    # settling and acting as a person
    settle = Forward("settler", Settler.settle)
    settle_quiet = Knob[float]("settler", "quiet")
    deferred_timeout = Knob[float]("sender", "deferred_timeout")
    reconnect_grace = Knob[float]("sender", "reconnect_grace")
    answered = Forward("sender", InteractionSender.answered)
    invoke = Forward("slash_commands", SlashCommands.invoke)
    start_invoke = Forward("slash_commands", SlashCommands.start_invoke)
    autocomplete = Forward("slash_commands", SlashCommands.autocomplete)
    click = Forward("components", Components.click)
    select = Forward("components", Components.select)
    submit_modal = Forward("modals", Modals.submit_modal)
    start_modal = Forward("modals", Modals.start_modal)


@contextlib.asynccontextmanager
async def running_fake(**kwargs: Any) -> AsyncIterator[FakeDiscord]:
    """``async with running_fake(...) as fake`` - same as ``async with FakeDiscord(...)``."""
    async with FakeDiscord(**kwargs) as fake:
        yield fake
