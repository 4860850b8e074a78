"""Checks of application command definitions: names, descriptions, options, choices, nesting
and the per-app limits."""

from __future__ import annotations

import unicodedata
from typing import Any

from ..validation import SchemaProblem
from .base import Path, bad_len, max_len


def valid_command_name(name: Any, *, chat_input: bool = True) -> bool:
    """Approximation of ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`` (lowercase)."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    if not chat_input:
        return True
    if name != name.lower():
        return False
    for ch in name:
        if ch.isalnum() or ch in "-_'":
            continue
        cp = ord(ch)
        if (0x0900 <= cp <= 0x097F or 0x0E00 <= cp <= 0x0E7F) and unicodedata.category(ch)[
            0
        ] in "LMN":
            continue
        return False
    return True


def _command_chars(cmd: dict[str, Any]) -> int:
    total = len(str(cmd.get("name") or "")) + len(str(cmd.get("description") or ""))
    for opt in cmd.get("options") or []:
        if isinstance(opt, dict):
            total += _command_chars(opt)
            for ch in opt.get("choices") or []:
                if isinstance(ch, dict):
                    total += len(str(ch.get("name") or "")) + len(str(ch.get("value") or ""))
    return total


def check_command(cmd: Any, path: Path) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    if not isinstance(cmd, dict):
        return out
    ctype = cmd.get("type") or 1
    name = cmd.get("name")
    if not valid_command_name(name, chat_input=ctype == 1):
        out.append(
            SchemaProblem(
                [*path, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
            )
        )
    desc = cmd.get("description")
    if ctype == 1:
        if not isinstance(desc, str) or not 1 <= len(desc) <= 100:
            out.append(
                SchemaProblem(
                    [*path, "description"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            )
    elif desc:
        out.append(
            SchemaProblem(
                [*path, "description"],
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have description",
            )
        )
    options = cmd.get("options")
    if isinstance(options, list):
        if ctype != 1 and options:
            out.append(
                SchemaProblem(
                    [*path, "options"],
                    "APPLICATION_COMMAND_OPTIONS_INVALID",
                    "Context menu commands cannot have options",
                )
            )
        out.extend(_check_options(options, [*path, "options"], depth=0))
    if ctype == 1 and _command_chars(cmd) > 8000:
        out.append(
            SchemaProblem(
                path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)"
            )
        )
    return out


def _check_options(options: list[Any], path: Path, *, depth: int) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    max_len(out, path, options, 25)
    seen: set[str] = set()
    saw_optional = False
    kinds = {o.get("type") in (1, 2) for o in options if isinstance(o, dict)}
    if len(kinds) > 1:
        out.append(
            SchemaProblem(
                path,
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Sub-command and sub-command group option types are mutually exclusive to all "
                "other types",
            )
        )
    for i, opt in enumerate(options):
        if not isinstance(opt, dict):
            continue
        opath = [*path, i]
        name = opt.get("name")
        if not valid_command_name(name):
            out.append(
                SchemaProblem(
                    [*opath, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
            )
        elif name in seen:
            out.append(
                SchemaProblem(
                    [*opath, "name"],
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    "Option name already exists",
                )
            )
        seen.add(str(name))
        desc = opt.get("description")
        if not isinstance(desc, str) or not 1 <= len(desc) <= 100:
            out.append(
                SchemaProblem(
                    [*opath, "description"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            )
        otype = opt.get("type")
        if otype in (1, 2):
            if (otype == 2 and depth > 0) or (otype == 1 and depth > 1):
                out.append(
                    SchemaProblem(
                        [*opath, "type"],
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                        "Sub-commands cannot be nested this deep",
                    )
                )
            sub = opt.get("options") or []
            if otype == 2 and any(isinstance(s, dict) and s.get("type") != 1 for s in sub):
                out.append(
                    SchemaProblem(
                        [*opath, "options"],
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                        "Sub-command groups may only contain sub-commands",
                    )
                )
            if isinstance(sub, list):
                out.extend(_check_options(sub, [*opath, "options"], depth=depth + 1))
            continue
        if opt.get("required"):
            if saw_optional:
                out.append(
                    SchemaProblem(
                        [*opath, "required"],
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
        else:
            saw_optional = True
        choices = opt.get("choices")
        if isinstance(choices, list):
            max_len(out, [*opath, "choices"], choices, 25)
            if choices and opt.get("autocomplete"):
                out.append(
                    SchemaProblem(
                        [*opath, "autocomplete"],
                        "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                        "Autocomplete cannot be enabled with choices",
                    )
                )
            for j, ch in enumerate(choices):
                if isinstance(ch, dict):
                    bad_len(out, [*opath, "choices", j, "name"], ch.get("name"), 1, 100)
                    if isinstance(ch.get("value"), str):
                        max_len(out, [*opath, "choices", j, "value"], ch["value"], 100)
    return out


def check_command_list(commands: Any) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    if not isinstance(commands, list):
        return out
    counts = {1: 0, 2: 0, 3: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        out.extend(check_command(cmd, [i]))
        if isinstance(cmd, dict):
            ctype = cmd.get("type") or 1
            counts[ctype] = counts.get(ctype, 0) + 1
            key = (ctype, str(cmd.get("name")))
            if key in seen:
                out.append(
                    SchemaProblem(
                        [i, "name"],
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        f"Application command names must be unique: {key[1]}",
                    )
                )
            seen.add(key)
    for ctype, limit in ((1, 100), (2, 15), (3, 15)):
        if counts.get(ctype, 0) > limit:
            out.append(
                SchemaProblem(
                    [],
                    "APPLICATION_COMMANDS_TOO_MANY",
                    f"Maximum number of application commands of type {ctype} reached ({limit})",
                )
            )
    return out
