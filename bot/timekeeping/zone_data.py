"""One source of time-zone data: the pinned `tzdata` package, for names and rules alike.

`use_packaged_zone_data` empties zoneinfo's search path when `bot` is imported, so no system
zone files are ever read. Why: docs/design.md, "One source of time-zone data".
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
