"""IANA time zones that members type: parsing, canonical names, autocomplete.

Only zones that follow a place's own clock rules (daylight saving included) are offered and
accepted, plus UTC itself. A fixed offset (``EST``, ``Etc/GMT+5``, ``GMT``, ``UTC+2``) would post
an hour off for half the year, so it is refused with a hint towards the right place
("did you mean America/New_York?"). Legacy aliases (``US/Eastern``, ``Asia/Calcutta``, ``Japan``)
are accepted and stored under their canonical name.

The canonical names are those of the tz database's ``zone.tab`` (one per place, Europe/Amsterdam
included) plus ``UTC``; aliases are its links (``tzdata.zi``). Names come from the ``tzdata``
package, and so do the rules: ``zone_data.py`` stops ``ZoneInfo`` from reading the operating
system's zone files. With the package pinned to one exact version, machines running the same
Rebound agree on every name and every instant, whatever zone data their system ships.
"""

from __future__ import annotations

import difflib
import functools
import re
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo

from bot.inputs import InvalidInput, quote

__all__ = [
    "COMMON_TIMEZONES",
    "UTC_NAME",
    "as_zone",
    "canonical_timezone_name",
    "canonical_timezones",
    "parse_timezone",
    "timezone_suggestions",
]

UTC_NAME = "UTC"

# Shown for an empty autocomplete query, roughly west to east.
COMMON_TIMEZONES: tuple[str, ...] = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Africa/Lagos",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)

# Every spelling of UTC itself.
_UTC_ALIASES = frozenset(
    name.casefold()
    for name in (
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Etc/Universal",
        "Universal",
        "Etc/Zulu",
        "Zulu",
    )
)

# Old country-style names: they follow a real place's rules, so they are stored as that place.
_COUNTRY_ALIASES = {
    "Cuba": "America/Havana",
    "Egypt": "Africa/Cairo",
    "Eire": "Europe/Dublin",
    "GB": "Europe/London",
    "GB-Eire": "Europe/London",
    "Hongkong": "Asia/Hong_Kong",
    "Iceland": "Atlantic/Reykjavik",
    "Iran": "Asia/Tehran",
    "Israel": "Asia/Jerusalem",
    "Jamaica": "America/Jamaica",
    "Japan": "Asia/Tokyo",
    "Kwajalein": "Pacific/Kwajalein",
    "Libya": "Africa/Tripoli",
    "NZ": "Pacific/Auckland",
    "NZ-CHAT": "Pacific/Chatham",
    "Navajo": "America/Denver",
    "PRC": "Asia/Shanghai",
    "Poland": "Europe/Warsaw",
    "Portugal": "Europe/Lisbon",
    "ROC": "Asia/Taipei",
    "ROK": "Asia/Seoul",
    "Singapore": "Asia/Singapore",
    "Turkey": "Europe/Istanbul",
    "W-SU": "Europe/Moscow",
}

# Abbreviations people type for their clock (zone keys such as EST and CET among them). None is a
# place: each is refused, pointing at the places that most likely meant it, and autocomplete
# offers those places first (not Europe/Bucharest for "EST" because its name contains "est").
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York", "America/Toronto"),
    "edt": ("America/New_York", "America/Toronto"),
    "est5edt": ("America/New_York",),
    "et": ("America/New_York", "America/Toronto"),
    "cst": ("America/Chicago", "America/Mexico_City", "Asia/Shanghai"),
    "cdt": ("America/Chicago",),
    "cst6cdt": ("America/Chicago",),
    "ct": ("America/Chicago",),
    "mst": ("America/Denver", "America/Phoenix"),
    "mdt": ("America/Denver",),
    "mst7mdt": ("America/Denver",),
    "mt": ("America/Denver", "America/Phoenix"),
    "pst": ("America/Los_Angeles", "America/Vancouver"),
    "pdt": ("America/Los_Angeles", "America/Vancouver"),
    "pst8pdt": ("America/Los_Angeles",),
    "pt": ("America/Los_Angeles", "America/Vancouver"),
    "akst": ("America/Anchorage",),
    "hst": ("Pacific/Honolulu",),
    "gmt": ("Europe/London", "UTC"),
    "gmt0": ("Europe/London", "UTC"),
    "gmt+0": ("Europe/London", "UTC"),
    "gmt-0": ("Europe/London", "UTC"),
    "greenwich": ("Europe/London", "UTC"),
    "bst": ("Europe/London",),
    "wet": ("Europe/Lisbon",),
    "cet": ("Europe/Berlin", "Europe/Paris"),
    "cest": ("Europe/Berlin", "Europe/Paris"),
    "met": ("Europe/Berlin", "Europe/Paris"),
    "eet": ("Europe/Athens", "Europe/Helsinki"),
    "eest": ("Europe/Athens", "Europe/Helsinki"),
    "msk": ("Europe/Moscow",),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "jst": ("Asia/Tokyo",),
    "kst": ("Asia/Seoul",),
    "aest": ("Australia/Sydney", "Australia/Brisbane"),
    "aedt": ("Australia/Sydney",),
    "acst": ("Australia/Adelaide",),
    "awst": ("Australia/Perth",),
    "nzst": ("Pacific/Auckland",),
    "nzdt": ("Pacific/Auckland",),
}

# "UTC+2", "GMT-05:30", "+0200", "UTC +2" …: fixed offsets written out.
_OFFSET_STYLE = re.compile(
    r"(?:utc|gmt|z)?\s*(?P<sign>[+\-−])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
    re.IGNORECASE,
)
# The tz database's own fixed offsets; POSIX style, so "Etc/GMT+5" is five hours *behind* UTC.
_ETC_OFFSET = re.compile(
    r"etc/(?:gmt|greenwich)(?:(?P<sign>[+\-])(?P<hours>\d{1,2}))?", re.IGNORECASE
)

_ZONE_EXAMPLE = "a city-based name like Europe/Berlin or America/New_York"


# -- the tz database ---------------------------------------------------------------------------


def _tz_file(name: str) -> str:
    return files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@functools.cache
def canonical_timezones() -> tuple[str, ...]:
    """Every name we offer and store, sorted: the tz database's places, and UTC."""
    places = {
        line.split("\t")[2]
        for line in _tz_file("zone.tab").splitlines()
        if line and not line.startswith("#")
    }
    return tuple(sorted(places | {UTC_NAME}))


@functools.cache
def _aliases() -> dict[str, str]:
    """Folded alias name -> canonical name, for every accepted spelling that is not canonical."""
    canonical = set(canonical_timezones())
    aliases: dict[str, str] = {}
    for line in _tz_file("tzdata.zi").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            target, alias = parts[1], parts[2]
            if "/" in alias and not alias.startswith("Etc/") and target in canonical:
                aliases[alias.casefold()] = target
    for alias, target in _COUNTRY_ALIASES.items():
        aliases[alias.casefold()] = target
    for alias in _UTC_ALIASES:
        aliases[alias] = UTC_NAME
    for name in canonical:
        aliases.pop(name.casefold(), None)
    return aliases


@functools.cache
def _alias_display_names() -> dict[str, str]:
    """Folded alias -> its own spelling (for matching typed text against it)."""
    spelled: dict[str, str] = {}
    for line in _tz_file("tzdata.zi").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            spelled[parts[2].casefold()] = parts[2]
    spelled.update({name.casefold(): name for name in _COUNTRY_ALIASES})
    return {key: spelled.get(key, key) for key in _aliases()}


@functools.cache
def _canonical_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in canonical_timezones()}


@functools.cache
def _offsets(name: str) -> tuple[timedelta, timedelta]:
    """(standard offset, summer offset) of a zone in 2026: January and July, ordered by dst()."""
    zone = ZoneInfo(name)
    readings = []
    for month in (1, 7):
        local = datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(zone)
        readings.append((local.dst() or timedelta(0), local.utcoffset() or timedelta(0)))
    standard = min(readings)[1]
    summer = max(readings)[1]
    return standard, summer


def _fold(text: str) -> str:
    """Case-fold and let spaces stand for underscores: "america/new york" → "america/new_york"."""
    return "_".join(text.split()).casefold()


def _city_words(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ").casefold()


# -- parsing -------------------------------------------------------------------------------------


def _fixed_offset(text: str) -> timedelta | None:
    """The offset a fixed-offset spelling stands for ("UTC+2", "Etc/GMT+5"), else None."""
    folded = _fold(text)
    etc = _ETC_OFFSET.fullmatch(folded)
    if etc:
        hours = int(etc["hours"] or 0)
        return timedelta(hours=-hours if etc["sign"] == "+" else hours)
    written = _OFFSET_STYLE.fullmatch(" ".join(text.split()))
    if written:
        amount = timedelta(hours=int(written["hours"]), minutes=int(written["minutes"] or 0))
        return -amount if written["sign"] in "-−" else amount
    return None


def _zones_at_offset(offset: timedelta, limit: int = 3) -> list[str]:
    """Common places whose standard time (first) or summer time (then) is ``offset``."""
    if offset == timedelta(0):
        return [UTC_NAME, "Europe/London"]
    standard = [z for z in COMMON_TIMEZONES if z != UTC_NAME and _offsets(z)[0] == offset]
    summer = [z for z in COMMON_TIMEZONES if z != UTC_NAME and _offsets(z)[1] == offset]
    picks: list[str] = []
    for name in standard + summer:
        if name not in picks:
            picks.append(name)
    return picks[:limit]


def _options(names: list[str]) -> str:
    head = ", ".join(names[:-1])
    return f"{head} or {names[-1]}" if head else names[-1]


def canonical_timezone_name(name: str) -> str:
    """The canonical spelling of a zone typed in any case ("europe/berlin" → "Europe/Berlin").

    Legacy aliases map to their place ("US/Eastern" → "America/New_York"). Fixed offsets and
    abbreviations are refused with a hint. Raises :class:`InvalidInput` naming the bad value.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(f"I need a time zone — try {_ZONE_EXAMPLE}.")
    folded = _fold(cleaned)
    found = _canonical_by_folded_name().get(folded) or _aliases().get(folded)
    if found is not None:
        return found

    offset = _fixed_offset(cleaned)
    if offset is not None or folded.startswith("etc/"):
        hints = _zones_at_offset(offset) if offset is not None else []
        where = f"did you mean {_options(hints)}?" if hints else f"try {_ZONE_EXAMPLE} instead."
        raise InvalidInput(
            f"{quote(name)} is a fixed offset, which won't follow daylight-saving changes — {where}"
        )
    hints = list(_ABBREVIATIONS.get(folded, ()))
    if hints:
        raise InvalidInput(
            f"{quote(name)} names a clock, not a place, so daylight saving could be missed — "
            f"did you mean {_options(hints)}?"
        )

    suggestions = _close_zone_names(cleaned)
    if suggestions:
        raise InvalidInput(
            f"I don't recognise {quote(name)} as a time zone — did you mean "
            f"{_options(suggestions)}?"
        )
    raise InvalidInput(f"I don't recognise {quote(name)} as a time zone — try {_ZONE_EXAMPLE}.")


def parse_timezone(name: str) -> ZoneInfo:
    """The :class:`ZoneInfo` for a zone typed in any case (``europe/berlin`` is fine)."""
    return ZoneInfo(canonical_timezone_name(name))


def as_zone(zone: ZoneInfo | str) -> ZoneInfo:
    """A stored or typed zone name, or a zone already."""
    return zone if isinstance(zone, ZoneInfo) else parse_timezone(zone)


def _close_zone_names(query: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` likely intended zones: autocomplete's best, then near-spellings of the
    full name or of the city part (difflib)."""
    picks: list[str] = list(timezone_suggestions(query, limit=limit))
    folded_names = _canonical_by_folded_name()
    near = [
        folded_names[key]
        for key in difflib.get_close_matches(_fold(query), list(folded_names), n=limit, cutoff=0.6)
    ]
    cities = _zones_by_city()
    city_query = " ".join(query.replace("_", " ").split()).casefold()
    for city in difflib.get_close_matches(city_query, list(cities), n=limit, cutoff=0.75):
        near.extend(cities[city])
    for zone_name in near:
        if zone_name not in picks:
            picks.append(zone_name)
    return picks[:limit]


@functools.cache
def _zones_by_city() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = {}
    for name in canonical_timezones():
        if "/" in name:
            cities.setdefault(_city_words(name), []).append(name)
    for folded, target in _aliases().items():
        display = _alias_display_names()[folded]
        if "/" in display and target not in cities.get(_city_words(display), []):
            cities.setdefault(_city_words(display), []).append(target)
    return cities


# -- autocomplete ---------------------------------------------------------------------------------


def _tier(name: str, words: str) -> int | None:
    """How well ``name`` matches the typed words: 0 exact … 4 substring anywhere; None: no match."""
    underscored = words.replace(" ", "_")
    folded = name.casefold()
    if folded == underscored:
        return 0
    if folded.startswith(underscored):
        return 1
    if _city_words(name).startswith(words):
        return 2
    # Substring matches: inside the place name first, then anywhere (so "ca" lists Jamaica
    # before every "America/…" zone).
    spaced = folded.replace("_", " ")
    if words in spaced.partition("/")[2]:
        return 3
    if words in spaced:
        return 4
    return None


def timezone_suggestions(query: str, limit: int = 25) -> list[str]:
    """Canonical zone names for autocomplete, best first, deterministic, at most ``limit``.

    Ranking: what an abbreviation stands for ("est" → America/New_York), then the exact name,
    names starting with the query, names whose city part starts with it, then substring
    matches (none for an abbreviation: "est" is not Europe/Bucharest). A legacy alias that
    matches ("calcutta", "US/Eastern") brings its canonical place. Within a rank, the common
    zones come first, then alphabetical order. Every answer is a name
    :func:`canonical_timezone_name` accepts as it is.
    """
    if limit <= 0:
        return []
    words = " ".join(query.replace("_", " ").split()).casefold()
    if not words:
        return list(COMMON_TIMEZONES[:limit])
    common_rank = {name: index for index, name in enumerate(COMMON_TIMEZONES)}
    best: dict[str, int] = {}

    def consider(name: str, tier: int) -> None:
        if tier < best.get(name, tier + 1):
            best[name] = tier

    folded = _fold(words)
    meant = _ABBREVIATIONS.get(folded, ())
    for position, name in enumerate(meant):
        consider(name, -10 + position)
    # After an abbreviation, only names that start with it still count ("IST" → Istanbul);
    # letters that merely occur inside a name ("EST" in Bucharest) would come before the
    # places in other abbreviation-free searches, and mislead here.
    worst_tier = 2 if meant else 4
    offset = _fixed_offset(words)
    if offset is not None:
        for name in _zones_at_offset(offset):
            consider(name, -1)
    for name in canonical_timezones():
        tier = _tier(name, words)
        if tier is not None and tier <= worst_tier:
            consider(name, tier)
    for alias, target in _aliases().items():
        tier = _tier(_alias_display_names()[alias], words)
        if tier is not None and tier <= 2:
            # An old spelling ranks after every place whose own name matches as well.
            consider(target, 0 if tier == 0 else tier + 3)
    ranked = sorted(best, key=lambda name: (best[name], common_rank.get(name, 99), name))
    return ranked[:limit]
