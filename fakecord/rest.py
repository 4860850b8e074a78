"""The REST API under ``/api/v10``: routing, auth, faults, rate limits, validation, recording.

Every route template is written exactly as in Discord's OpenAPI file, so a request's operation
(and its request/response schemas) is found by ``(method, template)``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from . import checks
from .messages import UploadedFile
from .ratelimit import (
    Fault,
    FaultInjector,
    InvalidRequestCounter,
    RateLimiter,
    rate_limited_body,
)

# The records live in records.py; these names stay importable from here.
from .records import RecordedRequest as RecordedRequest
from .records import Recorder as Recorder
from .records import Rejection as Rejection
from .util import JSON_CONTENT_TYPE, ApiError, dumps
from .validation import Spec, get_spec, problems_to_errors

if TYPE_CHECKING:
    from .handlers import Handlers

log = logging.getLogger("fakecord.rest")

API_PREFIX = "/api/v10"
REJECTION_CODES = {50035, 50006, 50109, 40005}


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = JSON_CONTENT_TYPE


@dataclass
class ApiRequest:
    method: str
    path: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    record: RecordedRequest


HandlerFn = Callable[[ApiRequest], Awaitable[Reply]]


@dataclass
class RouteDef:
    method: str
    template: str
    handler: HandlerFn
    auth: bool = True

    def __post_init__(self) -> None:
        self.segments = self.template.strip("/").split("/")
        self.literals = sum(1 for s in self.segments if not s.startswith("{"))

    @property
    def interaction_route(self) -> bool:
        return self.template.startswith(("/interactions/", "/webhooks/"))

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for pattern, value in zip(self.segments, segments, strict=True):
            if pattern.startswith("{"):
                if not value:
                    return None
                params[pattern[1:-1]] = value
            elif pattern != value:
                return None
        return params


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer with exactly ``Content-Type: application/json`` (no charset)."""
    hdrs = {"Content-Type": JSON_CONTENT_TYPE}
    hdrs.update(headers or {})
    return web.Response(status=status, body=dumps(body), headers=hdrs)


class RestApi:
    def __init__(
        self,
        *,
        token: str,
        recorder: Recorder,
        limiter: RateLimiter,
        faults: FaultInjector,
        invalid: InvalidRequestCounter,
        validate_responses: bool = False,
        log_bodies: bool = False,
    ) -> None:
        #: seconds before each REST answer (what the network and Discord add), +- jitter
        self.latency = 0.0
        self.jitter = 0.0
        self._random = random.Random(0)
        self.token = token
        self.log_bodies = log_bodies
        self.recorder = recorder
        self.limiter = limiter
        self.faults = faults
        self.invalid = invalid
        self.validate_responses = validate_responses
        self.routes: list[RouteDef] = []
        self.spec: Spec | None = get_spec()

    def add(self, method: str, template: str, handler: HandlerFn, *, auth: bool = True) -> None:
        self.routes.append(RouteDef(method, template, handler, auth=auth))
        self.routes.sort(key=lambda r: -r.literals)

    def install(self, handlers: Handlers) -> None:
        for method, template, fn, auth in handlers.routes():
            self.add(method, template, fn, auth=auth)

    # -- the aiohttp entry point ---------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        rec = self.recorder
        rec.inflight += 1
        rec.last_activity = time.monotonic()
        try:
            response = await self._handle(request)
            if self.latency or self.jitter:
                delay = self.latency + self._random.uniform(-self.jitter, self.jitter)
                await asyncio.sleep(max(0.0, delay))
            return response
        finally:
            rec.inflight -= 1
            rec.last_activity = time.monotonic()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw_path = request.rel_url.raw_path
        rel = raw_path[len(API_PREFIX) :] if raw_path.startswith(API_PREFIX) else raw_path
        segments = [urllib.parse.unquote(s) for s in rel.strip("/").split("/")]
        path = "/" + "/".join(segments)
        method = request.method.upper()
        record = RecordedRequest(
            method=method,
            path=path,
            query=dict(request.query),
            headers=dict(request.headers),
        )
        self.recorder.requests.append(record)

        body_error: ApiError | None = None
        try:
            record.json, record.files = await self._read_body(request)
        except ApiError as exc:
            body_error = exc

        route, params, wrong_method = self._match(method, segments)
        if route is None:
            status = 405 if wrong_method else 404
            message = "405: Method Not Allowed" if wrong_method else "404: Not Found"
            return self._unknown(record, status, message)
        record.template = route.template
        log.debug("fakecord REST %s %s", method, route.template)
        if self.log_bodies:
            log.debug("fakecord REST %s %s body=%r", method, path, record.json)

        headers: dict[str, str] = {}
        if route.auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._finish(record, 401, {"message": "401: Unauthorized", "code": 0})

        if self.invalid.banned:
            record.status = 429
            self.recorder.count_429 += 1
            return web.Response(
                status=429,
                text="<html><body>Error 1015: You are being rate limited.</body></html>",
                content_type="text/html",
            )

        await self.faults.hold(method, route.template, path, after_store=False)
        fault = self.faults.take(method, route.template, path)
        if fault is not None:
            return self._fault(record, fault)

        if not route.interaction_route and route.auth:
            decision = self.limiter.check_global()
            if decision is not None:
                body = rate_limited_body(decision.retry_after, is_global=True)
                return self._finish(record, 429, body, decision.headers)
        major = ":".join(
            params.get(k, "")
            for k in ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id")
        )
        decision_r = self.limiter.hit_route(method, route.template, major)
        headers.update(decision_r.headers)
        if not decision_r.allowed:
            body = rate_limited_body(decision_r.retry_after, is_global=False)
            return self._finish(record, 429, body, headers)

        if body_error is not None:
            return self._error(record, body_error, headers)

        problems = []
        if record.json is not None and self.spec is not None:
            problems.extend(self.spec.check_request(method, route.template, record.json))
        if record.json is not None:
            problems.extend(checks.check_request(method, route.template, record.json))
        if problems:
            err = ApiError(400, 50035, "Invalid Form Body", problems_to_errors(problems))
            return self._error(record, err, headers, problems=[str(p) for p in problems])

        api_req = ApiRequest(
            method, path, route.template, params, record.query, record.json, record.files, record
        )
        try:
            reply = await route.handler(api_req)
        except ApiError as exc:
            return self._error(record, exc, headers)
        headers.update(reply.headers)
        if reply.status < 300:
            await self.faults.hold(method, route.template, path, after_store=True)
            late_fault = self.faults.take(method, route.template, path, after_store=True)
            if late_fault is not None:  # the work is done (e.g. stored), the answer is lost
                return self._fault(record, late_fault)
        if reply.raw is not None:
            record.status = reply.status
            return web.Response(
                status=reply.status,
                body=reply.raw,
                headers=headers | {"Content-Type": reply.content_type},
            )
        if self.validate_responses and self.spec is not None and reply.status != 204:
            for problem in self.spec.check_response(
                method, route.template, reply.status, reply.body
            ):
                self.recorder.response_problems.append(f"{method} {route.template}: {problem}")
        return self._finish(record, reply.status, reply.body, headers)

    def _fault(self, record: RecordedRequest, fault: Fault) -> web.Response:
        log.warning("fakecord: injected %s for %s %s", fault.status, record.method, record.path)
        if fault.html:
            record.status = fault.status
            if fault.status == 429:
                self.recorder.count_429 += 1
                self.invalid.record()
            return web.Response(
                status=fault.status,
                text=fault.html_body(),
                content_type="text/html",
                headers=fault.headers(),
            )
        return self._finish(record, fault.status, fault.body(), fault.headers())

    # -- helpers -------------------------------------------------------------------------------
    def _match(
        self, method: str, segments: list[str]
    ) -> tuple[RouteDef | None, dict[str, str], bool]:
        wrong_method = False
        for route in self.routes:
            params = route.match(segments)
            if params is None:
                continue
            if route.method == method:
                return route, params, False
            wrong_method = True
        return None, {}, wrong_method

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if not request.body_exists:
            return None, []
        ctype = request.content_type
        if ctype == "multipart/form-data":
            payload: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read()
                if name == "payload_json":
                    payload = self._parse_json(bytes(data))
                elif name.startswith("files[") and name.endswith("]"):
                    try:
                        index = int(name[6:-1])
                    except ValueError:
                        continue
                    files.append(
                        UploadedFile(
                            index,
                            part.filename or f"file{index}",
                            part.headers.get("Content-Type", "application/octet-stream"),
                            bytes(data),
                        )
                    )
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        return self._parse_json(raw), []

    @staticmethod
    def _parse_json(raw: bytes) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from None

    def _unknown(self, record: RecordedRequest, status: int, message: str) -> web.Response:
        log.warning(
            "fakecord: no route for %s %s (answered %s) - add it to fakecord/handlers if the bot "
            "needs it",
            record.method,
            record.path,
            status,
        )
        if self.recorder.expecting_unknown <= 0:
            self.recorder.unknown_routes.append(record)
        return self._finish(record, status, {"message": message, "code": 0})

    def _error(
        self,
        record: RecordedRequest,
        exc: ApiError,
        headers: dict[str, str],
        *,
        problems: list[str] | None = None,
    ) -> web.Response:
        if exc.status in (400, 413) and exc.code in REJECTION_CODES:
            rejection = Rejection(
                record,
                exc.status,
                exc.code,
                exc.message,
                exc.errors,
                problems or [],
                expected=self.recorder.expecting_rejections > 0,
            )
            self.recorder.rejected.append(rejection)
            level = logging.INFO if rejection.expected else logging.WARNING
            log.log(level, "fakecord rejected %s", rejection)
        return self._finish(record, exc.status, exc.body(), headers)

    def _finish(
        self,
        record: RecordedRequest,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        record.status = status
        record.response = body
        if status == 429:
            self.recorder.count_429 += 1
            if (headers or {}).get("X-RateLimit-Scope") != "shared":
                self.invalid.record()
        elif status in (401, 403):
            self.invalid.record()
        if status == 204:
            return web.Response(status=204, headers=headers or {})
        return json_reply(status, body, headers)
