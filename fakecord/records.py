"""The record of REST traffic: every request and its answer, the rejected ones, unknown routes,
and the problems that fail a test when the emulator stops."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .messages import UploadedFile
from .util import JSON


@dataclass
class RecordedRequest:
    """One REST request as the emulator saw it, and how it answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    template: str | None = None
    status: int | None = None
    response: Any = None
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        return f"<RecordedRequest {self.method} {self.path} -> {self.status}>"


@dataclass
class Rejection:
    """A request answered 400 for an invalid body (or 413), with Discord's error detail."""

    request: RecordedRequest
    status: int
    code: int
    message: str
    errors: JSON | None
    problems: list[str]
    expected: bool = False

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def path(self) -> str:
        return self.request.path

    def __str__(self) -> str:
        detail = "; ".join(self.problems) or json.dumps(self.errors)
        return f"{self.method} {self.path} -> {self.status} {self.code} {self.message}: {detail}"


@dataclass
class Recorder:
    """The record of REST traffic: what the bot asked, what was rejected, and what a test
    expects to be rejected."""

    requests: list[RecordedRequest] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    unknown_routes: list[RecordedRequest] = field(default_factory=list)
    response_problems: list[str] = field(default_factory=list)
    count_429: int = 0
    expecting_rejections: int = 0
    expecting_unknown: int = 0
    inflight: int = 0
    last_activity: float = field(default_factory=time.monotonic)

    def requests_to(self, method: str, route: str) -> list[RecordedRequest]:
        """Requests whose method matches and whose route template or concrete path is ``route``."""
        return [
            r for r in self.requests if r.method == method.upper() and route in (r.template, r.path)
        ]

    @property
    def unexpected_rejections(self) -> list[Rejection]:
        return [r for r in self.rejected if not r.expected]

    @contextlib.contextmanager
    def expect_rejections(self, count: int | None = None) -> Iterator[list[Rejection]]:
        """Rejections (400 Invalid Form Body and the like) inside the block are expected: they
        are recorded but do not fail the test. Yields the list of those rejections. With
        ``count``, exactly that many must happen."""
        start = len(self.rejected)
        seen: list[Rejection] = []
        self.expecting_rejections += 1
        try:
            yield seen
        finally:
            self.expecting_rejections -= 1
            seen.extend(self.rejected[start:])
        if count is not None and len(seen) != count:
            raise AssertionError(f"expected {count} rejection(s), got {len(seen)}: {seen}")

    @contextlib.contextmanager
    def expect_unknown_routes(self) -> Iterator[None]:
        """Requests to unknown routes inside the block do not fail the test."""
        self.expecting_unknown += 1
        try:
            yield
        finally:
            self.expecting_unknown -= 1

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
        if self.unknown_routes:
            out.append("requests to routes fakecord does not implement (answered 404/405):")
            out.extend(f"  {r.method} {r.path}" for r in self.unknown_routes)
        if self.response_problems:
            out.append("emulator responses that do not match the spec:")
            out.extend(f"  {p}" for p in self.response_problems)
        return out
