"""Rate limits (global + per-route buckets), the invalid-request counter and injected faults."""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections import deque
from dataclasses import dataclass, field

from .util import JSON

VIA = "1.1 google"


@dataclass(frozen=True)
class RouteLimit:
    """``limit`` requests per ``per`` seconds for one bucket (route + major parameters)."""

    limit: int
    per: float


#: Generous enough that ordinary tests never meet them.
DEFAULT_ROUTE_LIMIT = RouteLimit(1000, 1.0)


@dataclass
class _Bucket:
    limit: RouteLimit
    remaining: int
    reset_at: float  # monotonic

    def reset_after(self, now: float) -> float:
        return max(0.0, self.reset_at - now)


@dataclass
class RateDecision:
    """Whether a request may pass, with the headers to answer."""

    allowed: bool
    headers: dict[str, str]
    retry_after: float = 0.0
    is_global: bool = False


class RateLimiter:
    def __init__(
        self,
        *,
        global_limit: int = 50,
        default_route_limit: RouteLimit = DEFAULT_ROUTE_LIMIT,
        route_limits: dict[tuple[str, str], RouteLimit] | None = None,
    ) -> None:
        self.global_limit = global_limit
        self.default_route_limit = default_route_limit
        self.route_limits: dict[tuple[str, str], RouteLimit] = dict(route_limits or {})
        self._global_hits: deque[float] = deque()
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def set_route_limit(self, method: str, route: str, limit: int, per: float) -> None:
        """Per-route bucket: ``limit`` requests per ``per`` seconds (per major parameter);
        ``route`` is the spec template."""
        self.route_limits[(method.upper(), route)] = RouteLimit(limit, per)
        for key in [k for k in self._buckets if k[0].startswith(f"{method.upper()} {route}|")]:
            del self._buckets[key]

    @staticmethod
    def bucket_hash(method: str, template: str) -> str:
        return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:32]

    def check_global(self) -> RateDecision | None:
        """A 429 decision if the global limit is exhausted, else ``None`` (and counts the hit)."""
        now = time.monotonic()
        while self._global_hits and self._global_hits[0] <= now - 1.0:
            self._global_hits.popleft()
        if len(self._global_hits) >= self.global_limit:
            retry = max(0.001, self._global_hits[0] + 1.0 - now)
            headers = {
                "Retry-After": str(math.ceil(retry)),
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
                "Via": VIA,
            }
            return RateDecision(False, headers, retry_after=retry, is_global=True)
        self._global_hits.append(now)
        return None

    def hit_route(self, method: str, template: str, major: str) -> RateDecision:
        now = time.monotonic()
        limit = self.route_limits.get((method, template), self.default_route_limit)
        key = (f"{method} {template}|", major)
        bucket = self._buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            bucket = _Bucket(limit, limit.limit, now + limit.per)
            self._buckets[key] = bucket
        reset_after = bucket.reset_after(now)
        base = {
            "X-RateLimit-Limit": str(limit.limit),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket_hash(method, template),
        }
        if bucket.remaining <= 0:
            headers = base | {
                "X-RateLimit-Remaining": "0",
                "Retry-After": str(math.ceil(reset_after)),
                "X-RateLimit-Scope": "user",
                "Via": VIA,
            }
            return RateDecision(False, headers, retry_after=max(reset_after, 0.001))
        bucket.remaining -= 1
        return RateDecision(True, base | {"X-RateLimit-Remaining": str(bucket.remaining)})


def rate_limited_body(retry_after: float, *, is_global: bool) -> JSON:
    return {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": is_global,
        "code": 0,
    }


#: What Discord answers for these statuses when ``fail_next`` is given no code/message.
_FAULT_DEFAULTS: dict[int, tuple[int, str]] = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
    404: (0, "404: Not Found"),
    500: (0, "500: Internal Server Error"),
    502: (0, "502: Bad Gateway"),
    503: (0, "503: Service Unavailable"),
    504: (0, "504: Gateway Timeout"),
}


@dataclass
class Fault:
    """Answer the next ``count`` requests matching ``method`` + ``route`` with ``status``."""

    method: str
    route: str
    status: int
    count: int = 1
    retry_after: float = 0.05
    is_global: bool = False
    code: int = 0
    message: str | None = None
    used: int = 0
    #: do the work (store the message), then answer ``status`` anyway
    after_store: bool = False
    #: a 429 with ``Via`` comes from Discord; without it, from Cloudflare (discord.py raises)
    via: bool = True
    #: answer with Cloudflare's HTML page instead of JSON
    html: bool = False

    def matches(self, method: str, template: str, path: str) -> bool:
        if self.method != "*" and self.method != method:
            return False
        return self.route in (template, path)

    def html_body(self) -> str:
        return (
            f"<html><head><title>{self.status}</title></head><body>"
            f"<h1>Error {self.status}</h1><p>You are being rate limited.</p></body></html>"
        )

    def body(self) -> JSON:
        if self.status == 429 and not self.via:
            return {"message": "You are being rate limited.", "code": 0}
        if self.status == 429:
            return rate_limited_body(self.retry_after, is_global=self.is_global)
        default_code, default_message = _FAULT_DEFAULTS.get(
            self.status, (0, f"{self.status}: Injected fault")
        )
        return {
            "message": self.message or default_message,
            "code": self.code or default_code,
        }

    def headers(self) -> dict[str, str]:
        if self.status != 429:
            return {}
        if not self.via:
            return {"Retry-After": str(math.ceil(self.retry_after))}
        headers = {
            "Retry-After": str(math.ceil(self.retry_after)),
            "X-RateLimit-Scope": "global" if self.is_global else "user",
            "Via": VIA,
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        return headers


@dataclass(eq=False)
class Hold:
    """The next request matching ``method`` + ``route`` waits (before its work, or with
    ``after_store`` after it) until :meth:`release`: a test kills the bot while it waits."""

    method: str
    route: str
    after_store: bool = False
    used: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, template: str, path: str) -> bool:
        if self.method != "*" and self.method != method:
            return False
        return self.route in (template, path)

    def release(self) -> None:
        self.released.set()


@dataclass
class FaultInjector:
    """Faults a test asks for: answers with an error status, and requests held at a moment."""

    faults: list[Fault] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)

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
        return self.add(
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

    def fail_after_store(self, method: str, route: str, status: int = 500, count: int = 1) -> Fault:
        """The next ``count`` matching requests succeed (a message is stored) but answer
        ``status``: what a client sees when Discord stores a message and then fails."""
        return self.fail_next(method, route, status, count, after_store=True)

    def hold_next(self, method: str, route: str, *, after_store: bool = False) -> Hold:
        """The next matching request waits until ``hold.release()`` (``hold.arrived`` is set
        when it arrives): before its work, or with ``after_store`` once the work is done and
        before the answer. Kill the bot meanwhile to crash it at that moment. Every hold is
        released when the emulator stops."""
        hold = Hold(method, route, after_store=after_store)
        self.holds.append(hold)
        return hold

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    async def hold(self, method: str, template: str, path: str, *, after_store: bool) -> None:
        """Wait here if a hold matches this request (once per hold)."""
        for hold in self.holds:
            ready = hold.after_store == after_store and not hold.used
            if ready and hold.matches(method, template, path):
                hold.used = True
                hold.arrived.set()
                await hold.released.wait()
                return

    def release_all(self) -> None:
        for hold in self.holds:
            hold.release()

    def take(
        self, method: str, template: str, path: str, *, after_store: bool = False
    ) -> Fault | None:
        for fault in self.faults:
            if fault.after_store != after_store:
                continue
            if fault.used < fault.count and fault.matches(method, template, path):
                fault.used += 1
                return fault
        return None


class InvalidRequestCounter:
    """Discord's rule: 10,000 responses of 401, 403 or 429 (not ``shared`` scope) per 10 minutes
    from one IP get it banned by Cloudflare for a while. Counted here; over the limit, further
    requests get the ban answer (a 429 without ``Via`` and with an HTML body)."""

    WINDOW = 600.0

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self.total = 0
        self._times: deque[float] = deque()

    def record(self) -> None:
        now = time.monotonic()
        self.total += 1
        self._times.append(now)
        self._trim(now)

    def _trim(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.WINDOW:
            self._times.popleft()

    @property
    def in_window(self) -> int:
        self._trim(time.monotonic())
        return len(self._times)

    @property
    def banned(self) -> bool:
        return self.in_window >= self.limit
