"""The playground's web app: the page, its JSON API and a live stream of changes (server-sent
events). Listens on 127.0.0.1 only; refuses a request whose Host or Origin is not its own
address, and an action without this run's token, so another web page open in the same browser
cannot drive it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from html import escape
from importlib import resources
from typing import Any

from aiohttp import web

from .actions import ActionRefused, Actions
from .runtime import Playground, clock_target
from .tour import tour_state
from .view import page_view

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
TOKEN_HEADER = "X-Playground-Token"
PING_SECONDS = 15.0


def static_text(name: str) -> str:
    return resources.files("bot.playground").joinpath("static", name).read_text("utf-8")


class WebApp:
    def __init__(self, playground: Playground) -> None:
        self.playground = playground
        self.actions = Actions(playground)
        self.token = secrets.token_urlsafe(24)
        self.port = 0
        self.app = web.Application(middlewares=[self._guard])
        r = self.app.router
        r.add_get("/", self.index)
        r.add_get("/favicon.ico", self.no_icon)
        r.add_get("/static/{name}", self.static)
        r.add_get("/files/{id}/{name}", self.file)
        r.add_get("/api/view", self.view)
        r.add_get("/api/events", self.events)
        r.add_post("/api/invoke", self.invoke)
        r.add_post("/api/autocomplete", self.autocomplete)
        r.add_post("/api/click", self.click)
        r.add_post("/api/select", self.select)
        r.add_post("/api/modal", self.modal)
        r.add_post("/api/clock", self.clock)
        r.add_post("/api/reset", self.reset)

    # -- the guard ---------------------------------------------------------------------------
    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.host not in self.allowed_hosts():
            return web.Response(status=403, text="This playground answers only at its own address.")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in self.allowed_hosts()}:
            return web.Response(status=403, text="Requests from other sites are refused.")
        if request.path.startswith("/api/"):
            given = request.headers.get(TOKEN_HEADER) or request.query.get("token", "")
            if not secrets.compare_digest(given, self.token):
                return web.Response(status=403, text="This action needs the page's token.")
        response = await handler(request)
        response.headers.update(_SECURITY_HEADERS)
        return response

    # -- pages and files ---------------------------------------------------------------------
    async def index(self, request: web.Request) -> web.Response:
        html = static_text("index.html").replace("{{TOKEN}}", escape(self.token, quote=True))
        return web.Response(text=html, content_type="text/html", headers=_NO_STORE)

    async def no_icon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        suffix = name[name.rfind(".") :] if "." in name else ""
        if "/" in name or suffix not in STATIC_TYPES or name == "index.html":
            raise web.HTTPNotFound()
        try:
            text = static_text(name)
        except FileNotFoundError as exc:
            raise web.HTTPNotFound() from exc
        return web.Response(text=text, content_type=STATIC_TYPES[suffix], headers=_NO_STORE)

    async def file(self, request: web.Request) -> web.Response:
        try:
            stored = self.playground.fake.state.files.get(int(request.match_info["id"]))
        except ValueError:
            stored = None
        if stored is None:
            raise web.HTTPNotFound()
        headers = {"Content-Type": stored.content_type, "X-Content-Type-Options": "nosniff"}
        return web.Response(body=stored.data, headers=headers)

    # -- reading -----------------------------------------------------------------------------
    async def view(self, request: web.Request) -> web.Response:
        pg = self.playground
        if not pg.running:
            return _error(503, "The playground is starting; one moment.")
        person = request.query.get("as", "owner")
        pg.collect_rejections()  # refused in the background too (a scheduled post, a DM)
        try:
            data = page_view(pg.fake, person, request.query.get("channel"), pg.clock.now())
        except (LookupError, KeyError) as exc:
            return _error(404, str(exc) or "Not found.")
        data["now"] = pg.clock.now().isoformat()
        data["version"] = pg.version
        data["errors"] = pg.errors[-20:]
        data["tour"] = tour_state(pg.fake, self.actions.done)
        return web.json_response(data, headers=_NO_STORE)

    async def events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
        )
        await response.prepare(request)
        pg = self.playground
        sent = -1
        with contextlib.suppress(ConnectionResetError, asyncio.CancelledError):
            while True:
                if pg.version != sent:
                    sent = pg.version
                    await response.write(f"event: change\ndata: {sent}\n\n".encode())
                waiter = pg.changed
                try:
                    await asyncio.wait_for(waiter.wait(), PING_SECONDS)
                except TimeoutError:
                    await response.write(b": ping\n\n")
        return response

    # -- acting ------------------------------------------------------------------------------
    async def _act(
        self, request: web.Request, do: Callable[[dict[str, Any]], Awaitable[Any]]
    ) -> web.Response:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "The request was not JSON.")
        if not isinstance(body, dict):
            return _error(400, "The request was not a JSON object.")
        if not self.playground.running:
            return _error(503, "The playground is starting; one moment.")
        async with self.playground.lock:
            try:
                result = await do(body)
            except ActionRefused as exc:
                return _error(400, f"Discord would not accept this: {exc}")
            except (KeyError, TypeError, ValueError) as exc:
                return _error(400, f"Something is missing or malformed: {exc}")
            except Exception:
                # Logged at ERROR, so it is listed under Problems too: never silent.
                log.exception("The playground failed to carry out %s", request.path)
                return _error(500, "That did not work; the details are under Problems.")
        return web.json_response(result)

    async def invoke(self, request: web.Request) -> web.Response:
        return await self._act(
            request,
            lambda b: self.actions.invoke(
                str(b["as"]), str(b["channel"]), str(b["command"]), dict(b.get("options") or {})
            ),
        )

    async def autocomplete(self, request: web.Request) -> web.Response:
        async def do(b: dict[str, Any]) -> Any:
            choices = await self.actions.autocomplete(
                str(b["as"]),
                str(b["channel"]),
                str(b["command"]),
                dict(b.get("options") or {}),
                str(b["focused"]),
            )
            return {"choices": choices}

        return await self._act(request, do)

    async def click(self, request: web.Request) -> web.Response:
        return await self._act(
            request,
            lambda b: self.actions.click(str(b["as"]), str(b["message"]), str(b["custom_id"])),
        )

    async def select(self, request: web.Request) -> web.Response:
        return await self._act(
            request,
            lambda b: self.actions.select(
                str(b["as"]),
                str(b["message"]),
                str(b["custom_id"]),
                [str(v) for v in b["values"]],
            ),
        )

    async def modal(self, request: web.Request) -> web.Response:
        return await self._act(
            request,
            lambda b: self.actions.submit_modal(
                str(b["as"]), str(b["custom_id"]), dict(b["values"])
            ),
        )

    async def clock(self, request: web.Request) -> web.Response:
        async def do(b: dict[str, Any]) -> Any:
            pg = self.playground
            target = clock_target(pg.clock.now(), str(b["step"]))
            await pg.advance_to(target)
            return {"ok": True, "now": pg.clock.now().isoformat()}

        return await self._act(request, do)

    async def reset(self, request: web.Request) -> web.Response:
        async def do(b: dict[str, Any]) -> Any:
            await self.playground.reset()
            self.actions = Actions(self.playground)
            return {"ok": True}

        return await self._act(request, do)


_NO_STORE = {"Cache-Control": "no-store"}
# Defence in depth beside the escaping: only this page's own script runs, nothing is fetched
# from elsewhere, and no other site may frame the page to steer a visitor's clicks.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _error(status: int, text: str) -> web.Response:
    return web.json_response({"ok": False, "error": text}, status=status)


async def serve(webapp: WebApp, port: int) -> web.AppRunner:
    """Listen on 127.0.0.1:`port`, or a free port if that one is taken."""
    runner = web.AppRunner(webapp.app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
    except OSError:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
    webapp.port = runner.addresses[0][1]
    return runner
