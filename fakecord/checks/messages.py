"""Checks of message bodies (content, embeds, allowed mentions, components), interaction
callbacks and modals, and thread bodies."""

from __future__ import annotations

from typing import Any

from ..validation import SchemaProblem
from .base import Path, bad_len, max_len, required

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)
IS_COMPONENTS_V2 = 1 << 15


def check_message(body: Any, path: Path | None = None) -> list[SchemaProblem]:
    """Content, embeds (incl. the 6000 total), allowed_mentions and component limits."""
    out: list[SchemaProblem] = []
    if not isinstance(body, dict):
        return out
    path = path or []
    max_len(out, [*path, "content"], body.get("content"), CONTENT_MAX)
    embeds = body.get("embeds")
    if isinstance(embeds, list):
        max_len(out, [*path, "embeds"], embeds, EMBEDS_MAX)
        total = 0
        for i, embed in enumerate(embeds):
            if isinstance(embed, dict):
                total += _check_embed(out, [*path, "embeds", i], embed)
        if total > EMBED_TOTAL_MAX:
            out.append(
                SchemaProblem(
                    [*path, "embeds"],
                    "MAX_EMBED_SIZE_EXCEEDED",
                    f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
                )
            )
    am = body.get("allowed_mentions")
    if isinstance(am, dict):
        out.extend(check_allowed_mentions(am, [*path, "allowed_mentions"]))
    components = body.get("components")
    flags = body.get("flags") or 0
    if isinstance(components, list):
        v2 = isinstance(flags, int) and bool(flags & IS_COMPONENTS_V2)
        if not v2:
            max_len(out, [*path, "components"], components, 5)
        for i, comp in enumerate(components):
            _check_component(out, [*path, "components", i], comp)
        if v2 and (body.get("content") or body.get("embeds")):
            out.append(
                SchemaProblem(
                    [*path, "content"],
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "The 'content' and 'embeds' fields cannot be used when using "
                    "MessageFlags.IS_COMPONENTS_V2",
                )
            )
    return out


def _check_embed(out: list[SchemaProblem], path: Path, embed: dict[str, Any]) -> int:
    total = 0
    for key, limit in (("title", 256), ("description", 4096)):
        value = embed.get(key)
        max_len(out, [*path, key], value, limit)
        total += len(value) if isinstance(value, str) else 0
    fields = embed.get("fields")
    if isinstance(fields, list):
        max_len(out, [*path, "fields"], fields, 25)
        for i, f in enumerate(fields):
            if not isinstance(f, dict):
                continue
            fpath = [*path, "fields", i]
            if required(out, fpath, f, "name"):
                bad_len(out, [*fpath, "name"], f["name"], 1, 256)
                total += len(str(f["name"]))
            if required(out, fpath, f, "value"):
                bad_len(out, [*fpath, "value"], f["value"], 1, 1024)
                total += len(str(f["value"]))
    footer = embed.get("footer")
    if isinstance(footer, dict):
        max_len(out, [*path, "footer", "text"], footer.get("text"), 2048)
        text = footer.get("text")
        total += len(text) if isinstance(text, str) else 0
    author = embed.get("author")
    if isinstance(author, dict):
        max_len(out, [*path, "author", "name"], author.get("name"), 256)
        name = author.get("name")
        total += len(name) if isinstance(name, str) else 0
    return total


def check_allowed_mentions(am: dict[str, Any], path: Path) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    parse = am.get("parse") or []
    for kind in ("users", "roles"):
        ids = am.get(kind)
        if ids is None:
            continue
        if isinstance(parse, list) and kind in parse:
            out.append(
                SchemaProblem(
                    [*path, "parse"],
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
                )
            )
        max_len(out, [*path, kind], ids, 100)
    return out


_SELECT_TYPES = (3, 5, 6, 7, 8)


def _check_component(out: list[SchemaProblem], path: Path, comp: Any) -> None:
    if not isinstance(comp, dict):
        return
    ctype = comp.get("type")
    if ctype == 1:
        children = comp.get("components")
        if isinstance(children, list):
            bad_len(out, [*path, "components"], children, 1, 5)
            for i, child in enumerate(children):
                _check_component(out, [*path, "components", i], child)
        return
    if ctype in (17, 9):  # container, section
        for key in ("components",):
            children = comp.get(key)
            if isinstance(children, list):
                for i, child in enumerate(children):
                    _check_component(out, [*path, key, i], child)
        if isinstance(comp.get("accessory"), dict):
            _check_component(out, [*path, "accessory"], comp["accessory"])
        return
    if ctype == 2:
        if comp.get("style") not in (5, 6) and "custom_id" in comp:
            bad_len(out, [*path, "custom_id"], comp.get("custom_id"), 1, 100)
        max_len(out, [*path, "label"], comp.get("label"), 80)
        return
    if ctype in _SELECT_TYPES:
        bad_len(out, [*path, "custom_id"], comp.get("custom_id"), 1, 100)
        max_len(out, [*path, "placeholder"], comp.get("placeholder"), 150)
        options = comp.get("options")
        if ctype == 3 and isinstance(options, list):
            bad_len(out, [*path, "options"], options, 1, 25)
            for i, opt in enumerate(options):
                if isinstance(opt, dict):
                    bad_len(out, [*path, "options", i, "label"], opt.get("label"), 1, 100)
                    bad_len(out, [*path, "options", i, "value"], opt.get("value"), 1, 100)
                    max_len(out, [*path, "options", i, "description"], opt.get("description"), 100)
        return
    if ctype == 4:
        _check_text_input(out, path, comp)


def _check_text_input(out: list[SchemaProblem], path: Path, comp: dict[str, Any]) -> None:
    bad_len(out, [*path, "custom_id"], comp.get("custom_id"), 1, 100)
    max_len(out, [*path, "label"], comp.get("label"), 45)
    max_len(out, [*path, "placeholder"], comp.get("placeholder"), 100)
    max_len(out, [*path, "value"], comp.get("value"), 4000)
    lo, hi = comp.get("min_length"), comp.get("max_length")
    if isinstance(lo, int) and not 0 <= lo <= 4000:
        out.append(
            SchemaProblem(
                [*path, "min_length"], "NUMBER_TYPE_MAX", "int value should be between 0 and 4000."
            )
        )
    if isinstance(hi, int) and not 1 <= hi <= 4000:
        out.append(
            SchemaProblem(
                [*path, "max_length"], "NUMBER_TYPE_MAX", "int value should be between 1 and 4000."
            )
        )
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        out.append(
            SchemaProblem(
                [*path, "min_length"],
                "BASE_TYPE_BAD_LENGTH",
                "min_length must be less than or equal to max_length",
            )
        )


# -- interaction callbacks -------------------------------------------------------------------------
def check_callback(body: Any) -> list[SchemaProblem]:
    if not isinstance(body, dict):
        return []
    ctype = body.get("type")
    data = body.get("data")
    out: list[SchemaProblem] = []
    if ctype in (4, 5, 7) and isinstance(data, dict):
        out.extend(check_message(data, ["data"]))
    elif ctype == 8 and isinstance(data, dict):
        choices = data.get("choices")
        if isinstance(choices, list):
            max_len(out, ["data", "choices"], choices, 25)
            for i, ch in enumerate(choices):
                if isinstance(ch, dict):
                    bad_len(out, ["data", "choices", i, "name"], ch.get("name"), 1, 100)
                    if isinstance(ch.get("value"), str):
                        max_len(out, ["data", "choices", i, "value"], ch["value"], 100)
    elif ctype == 9:
        out.extend(check_modal(data if isinstance(data, dict) else {}))
    return out


def check_modal(data: dict[str, Any]) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    path: Path = ["data"]
    if required(out, path, data, "title"):
        bad_len(out, [*path, "title"], data["title"], 1, 45)
    if required(out, path, data, "custom_id"):
        bad_len(out, [*path, "custom_id"], data["custom_id"], 1, 100)
    comps = data.get("components")
    if not isinstance(comps, list):
        required(out, path, data, "components")
        return out
    bad_len(out, [*path, "components"], comps, 1, 5)
    for i, comp in enumerate(comps):
        cpath = [*path, "components", i]
        if not isinstance(comp, dict):
            continue
        if comp.get("type") == 1:
            children = comp.get("components") or []
            bad_len(out, [*cpath, "components"], children, 1, 1)
            for j, child in enumerate(children):
                if isinstance(child, dict) and child.get("type") == 4:
                    _check_text_input(out, [*cpath, "components", j], child)
                    required(out, [*cpath, "components", j], child, "label")
        elif comp.get("type") == 18:
            bad_len(out, [*cpath, "label"], comp.get("label"), 1, 45)
            max_len(out, [*cpath, "description"], comp.get("description"), 100)
            inner = comp.get("component")
            if isinstance(inner, dict):
                _check_component(out, [*cpath, "component"], inner)
            else:
                required(out, cpath, comp, "component")
    return out


def check_thread(body: Any, *, name_required: bool = True) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    if not isinstance(body, dict):
        return out
    if "name" in body or name_required:
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            out.append(
                SchemaProblem(
                    ["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
            )
    dur = body.get("auto_archive_duration")
    if dur is not None and dur not in ARCHIVE_DURATIONS:
        out.append(
            SchemaProblem(
                ["auto_archive_duration"],
                "BASE_TYPE_CHOICES",
                "Value must be one of {60, 1440, 4320, 10080}.",
            )
        )
    msg = body.get("message")
    if isinstance(msg, dict):
        out.extend(check_message(msg, ["message"]))
    return out
