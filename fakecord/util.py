"""Small shared helpers: snowflakes, timestamps, JSON bodies and the API error type."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1420070400000
JSON_CONTENT_TYPE = "application/json"


class SnowflakeGenerator:
    """Discord-shaped snowflakes: milliseconds since the Discord epoch << 22 | counter.

    Ids are strictly increasing within a process (several emulators in one test run never share
    an id), and ``discord.utils.snowflake_time`` gives a sensible creation time.
    """

    _lock = threading.Lock()
    _counter = itertools.count()
    _last = 0

    def __init__(self) -> None:
        #: seconds since the Unix epoch that new ids carry; real time unless ``follow`` says
        self.time_source: Callable[[], float] = time.time
        #: with a clock of its own, ids increase within this emulator (its world is its own),
        #: so a clock set back to a fresh start does not carry ids from another world's future
        self._own_last: int | None = None

    def follow(self, time_source: Callable[[], float], floor: int = 0) -> None:
        """Carry ``time_source``'s instants (the playground's clock), above ``floor``."""
        self.time_source = time_source
        self._own_last = max(self._own_last or 0, floor)

    @property
    def last(self) -> int:
        return SnowflakeGenerator._last if self._own_last is None else self._own_last

    def next(self) -> int:
        with self._lock:
            ms = int(self.time_source() * 1000) - DISCORD_EPOCH_MS
            candidate = (ms << 22) | (next(self._counter) & 0xFFF)
            if self._own_last is not None:
                candidate = max(candidate, self._own_last + 1)
                self._own_last = candidate
                return candidate
            if candidate <= SnowflakeGenerator._last:
                candidate = SnowflakeGenerator._last + 1
            SnowflakeGenerator._last = candidate
            return candidate


def snowflake_time(snowflake: int) -> dt.datetime:
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def iso(when: dt.datetime | None = None) -> str:
    """ISO 8601 timestamp the way Discord writes them (``2024-01-01T00:00:00.000000+00:00``)."""
    when = when or dt.datetime.now(dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


def dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class ApiError(Exception):
    """An error answer of the REST API, in Discord's shape."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: JSON | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> JSON:
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def unknown_channel() -> ApiError:
    return ApiError(404, 10003, "Unknown Channel")


def unknown_message() -> ApiError:
    return ApiError(404, 10008, "Unknown Message")


def unknown_guild() -> ApiError:
    return ApiError(404, 10004, "Unknown Guild")


def unknown_member() -> ApiError:
    return ApiError(404, 10007, "Unknown Member")


def unknown_user() -> ApiError:
    return ApiError(404, 10013, "Unknown User")


def unknown_interaction() -> ApiError:
    return ApiError(404, 10062, "Unknown interaction")


def unknown_webhook() -> ApiError:
    return ApiError(404, 10015, "Unknown Webhook")


def missing_access() -> ApiError:
    return ApiError(403, 50001, "Missing Access")


def missing_permissions() -> ApiError:
    return ApiError(403, 50013, "Missing Permissions")


def form_error(path: list[str | int], code: str, message: str) -> ApiError:
    """400 Invalid Form Body with one error at ``path``."""
    return ApiError(400, 50035, "Invalid Form Body", nest_error(path, code, message))


def nest_error(path: list[str | int], code: str, message: str) -> JSON:
    leaf: JSON = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(path):
        leaf = {str(key): leaf}
    return leaf


def merge_errors(into: JSON, other: JSON) -> JSON:
    for key, value in other.items():
        if key == "_errors":
            into.setdefault("_errors", []).extend(value)
        elif isinstance(value, dict):
            merge_errors(into.setdefault(key, {}), value)
    return into
