"""One source of time-zone data: the pinned ``tzdata`` package, for names and rules alike.

Python's ``zoneinfo`` reads a zone's rules from the operating system's folders first
(``/usr/share/zoneinfo`` …, or ``PYTHONTZPATH``) and only falls back to the ``tzdata`` package.
Zone *names* come from that package (``zones.py``), so on a machine whose system data is older
than the package the bot would offer a zone under one year's rules and post under another's
(Vancouver's midnight post an hour late on 2 November 2026 with the system's 2025b against the
package's 2026f). With the search path emptied, every ``ZoneInfo(...)`` in the process reads the
package: every machine running the same pinned ``tzdata`` (``pyproject.toml``) agrees to the
second, whatever its operating system ships.

:func:`use_packaged_zone_data` runs when the ``bot`` package is imported (``bot/__init__.py``;
``cogs/__init__.py`` imports ``bot``), before any zone is read, so it holds for ``python -m
bot``, the tests and the benchmarks alike. It changes process-wide state on purpose: a second
source of rules anywhere in the process is the bug this prevents.
"""

from __future__ import annotations

import functools
import zoneinfo
from importlib.metadata import version
from importlib.resources import files

__all__ = ["iana_version", "tzdata_version", "use_packaged_zone_data", "zone_data_summary"]


def use_packaged_zone_data() -> None:
    """Read every zone from the ``tzdata`` package from now on (idempotent)."""
    if zoneinfo.TZPATH != ():
        zoneinfo.reset_tzpath(to=())
        # A zone read before this (from the system's files) must not be served from the cache.
        zoneinfo.ZoneInfo.clear_cache()


@functools.cache
def tzdata_version() -> str:
    """The installed ``tzdata`` package's version ("2026.6"), the one pyproject.toml pins."""
    return version("tzdata")


@functools.cache
def iana_version() -> str:
    """The IANA release the package carries ("2026f"), from the first line of tzdata.zi."""
    first = files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text(encoding="utf-8")
    line = first.split("\n", 1)[0]
    return line.removeprefix("# version").strip() or "unknown"


def zone_data_summary() -> str:
    """ "2026f (tzdata 2026.6)": what `check` and /about show."""
    return f"{iana_version()} (tzdata {tzdata_version()})"
