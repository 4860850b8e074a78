"""Slash-command options: a test's keyword arguments checked against the synced definition and
typed as Discord's client would send them."""

from __future__ import annotations

from typing import Any

from ..models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
)
from ..util import JSON
from .model import OPTION_TYPES, InvocationError
from .payloads import Resolver

# Discord's limits on what a person can send as an option (application-commands docs).
MAX_STRING_OPTION = 6000
MAX_SAFE_INTEGER = 2**53 - 1


def _coerce_option(
    opt: JSON, value: Any, resolver: Resolver, channel: AnyChannel, *, focused: bool = False
) -> JSON:
    name, otype = opt["name"], opt["type"]
    out: JSON = {"name": name, "type": otype}
    where = f"option {name!r} ({OPTION_TYPES.get(otype, otype)})"
    if focused:
        typed = "" if value is None else str(value)
        if len(typed) > MAX_STRING_OPTION:
            raise InvocationError(f"{where}: Discord lets nobody type more than 6000 characters")
        out["value"] = typed
        out["focused"] = True
        return out
    if otype == 3:
        if not isinstance(value, str):
            raise InvocationError(f"{where} needs a str, got {value!r}")
        if len(value) > MAX_STRING_OPTION:
            raise InvocationError(
                f"{where}: {len(value)} characters; Discord never sends more than 6000"
            )
        lo, hi = opt.get("min_length"), opt.get("max_length")
        if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
            raise InvocationError(f"{where}: length {len(value)} outside [{lo}, {hi}]")
    elif otype == 4:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvocationError(f"{where} needs an int, got {value!r}")
    elif otype == 10:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvocationError(f"{where} needs a number, got {value!r}")
    elif otype == 5 and not isinstance(value, bool):
        raise InvocationError(f"{where} needs a bool, got {value!r}")
    if otype in (4, 10) and not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise InvocationError(f"{where}: {value} is outside ±(2^53 - 1), which Discord never sends")
    if otype in (4, 10):
        lo, hi = opt.get("min_value"), opt.get("max_value")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise InvocationError(f"{where}: {value} outside [{lo}, {hi}]")
    if otype in (3, 4, 10) and opt.get("choices"):
        allowed = [c["value"] for c in opt["choices"]]
        if value not in allowed:
            raise InvocationError(f"{where}: {value!r} is not one of the choices {allowed!r}")
    if otype in (3, 4, 5, 10):
        out["value"] = value
    elif otype == 6:
        if not isinstance(value, FakeUser | FakeMember):
            raise InvocationError(f"{where} needs a FakeMember or FakeUser, got {value!r}")
        out["value"] = resolver.user(value)
    elif otype == 7:
        if not isinstance(value, FakeChannel | FakeThread | FakeDMChannel):
            raise InvocationError(f"{where} needs a Fake channel or thread, got {value!r}")
        types = opt.get("channel_types")
        if types and value.type not in types:
            raise InvocationError(f"{where}: channel type {value.type} not in {types}")
        out["value"] = resolver.channel(value)
    elif otype == 8:
        if not isinstance(value, FakeRole):
            raise InvocationError(f"{where} needs a FakeRole, got {value!r}")
        out["value"] = resolver.role(value)
    elif otype == 9:
        if isinstance(value, FakeRole):
            out["value"] = resolver.role(value)
        elif isinstance(value, FakeUser | FakeMember):
            out["value"] = resolver.user(value)
        else:
            raise InvocationError(f"{where} needs a FakeMember, FakeUser or FakeRole")
    elif otype == 11:
        out["value"] = resolver.attachment(value)
    else:
        raise InvocationError(f"{where}: unsupported option type")
    return out


def build_command_options(
    command: JSON,
    path: list[str],
    options: dict[str, Any],
    resolver: Resolver,
    channel: AnyChannel,
    *,
    focused: str | None = None,
) -> list[JSON]:
    """Option payloads for ``/command sub...`` with values checked against the definition."""
    defs: list[JSON] = command.get("options") or []
    chain: list[JSON] = []
    for name in path:
        found = next((o for o in defs if o["name"] == name and o["type"] in (1, 2)), None)
        if found is None:
            subs = [o["name"] for o in defs if o["type"] in (1, 2)]
            raise InvocationError(
                f"/{command['name']} has no subcommand (group) {name!r}; it has {subs!r}"
            )
        chain.append(found)
        defs = found.get("options") or []
    if any(o["type"] in (1, 2) for o in defs):
        subs = [o["name"] for o in defs if o["type"] in (1, 2)]
        full = " ".join([command["name"], *path])
        raise InvocationError(f"/{full} is a group: name one of its subcommands {subs!r}")

    by_name = {o["name"]: o for o in defs}
    given: dict[str, Any] = {}
    for key, value in options.items():
        name = key if key in by_name else key.replace("_", "-")
        if name not in by_name:
            full = " ".join([command["name"], *path])
            raise InvocationError(
                f"/{full} has no option {key!r}; its options are {list(by_name)!r}"
            )
        given[name] = value
    if focused is not None:
        focused = focused if focused in by_name else focused.replace("_", "-")
        if focused not in by_name:
            raise InvocationError(f"no option {focused!r} to focus; options are {list(by_name)!r}")
        if not by_name[focused].get("autocomplete"):
            raise InvocationError(f"option {focused!r} does not have autocomplete enabled")
    built: list[JSON] = []
    for opt in defs:
        name = opt["name"]
        if name == focused:
            built.append(_coerce_option(opt, given.get(name, ""), resolver, channel, focused=True))
        elif name in given:
            if given[name] is None:
                continue
            built.append(_coerce_option(opt, given[name], resolver, channel))
        elif opt.get("required") and focused is None:
            full = " ".join([command["name"], *path])
            raise InvocationError(f"/{full} requires option {name!r}")
    for sub in reversed(chain):
        built = [{"name": sub["name"], "type": sub["type"], "options": built}]
    return built
