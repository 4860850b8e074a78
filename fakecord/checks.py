"""Hand-written checks of Discord's documented limits that the OpenAPI file lacks or gets wrong.

Each function returns a list of :class:`~fakecord.validation.SchemaProblem`; an empty list
means the body is fine. They never raise on odd shapes (schema validation reports those).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .validation import SchemaProblem

Path = list[str | int]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)
IS_COMPONENTS_V2 = 1 << 15


def _max_len(out: list[SchemaProblem], path: Path, value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        out.append(
            SchemaProblem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        )


def _bad_len(out: list[SchemaProblem], path: Path, value: Any, low: int, high: int) -> None:
    if isinstance(value, str | list) and not low <= len(value) <= high:
        out.append(
            SchemaProblem(
                path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."
            )
        )


def _required(out: list[SchemaProblem], path: Path, obj: dict[str, Any], key: str) -> bool:
    if obj.get(key) is None:
        out.append(SchemaProblem([*path, key], "BASE_TYPE_REQUIRED", "This field is required"))
        return False
    return True


# -- messages -------------------------------------------------------------------------------------
def check_message(body: Any, path: Path | None = None) -> list[SchemaProblem]:
    """Content, embeds (incl. the 6000 total), allowed_mentions and component limits."""
    out: list[SchemaProblem] = []
    if not isinstance(body, dict):
        return out
    path = path or []
    _max_len(out, [*path, "content"], body.get("content"), CONTENT_MAX)
    embeds = body.get("embeds")
    if isinstance(embeds, list):
        _max_len(out, [*path, "embeds"], embeds, EMBEDS_MAX)
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
            _max_len(out, [*path, "components"], components, 5)
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
        _max_len(out, [*path, key], value, limit)
        total += len(value) if isinstance(value, str) else 0
    fields = embed.get("fields")
    if isinstance(fields, list):
        _max_len(out, [*path, "fields"], fields, 25)
        for i, f in enumerate(fields):
            if not isinstance(f, dict):
                continue
            fpath = [*path, "fields", i]
            if _required(out, fpath, f, "name"):
                _bad_len(out, [*fpath, "name"], f["name"], 1, 256)
                total += len(str(f["name"]))
            if _required(out, fpath, f, "value"):
                _bad_len(out, [*fpath, "value"], f["value"], 1, 1024)
                total += len(str(f["value"]))
    footer = embed.get("footer")
    if isinstance(footer, dict):
        _max_len(out, [*path, "footer", "text"], footer.get("text"), 2048)
        text = footer.get("text")
        total += len(text) if isinstance(text, str) else 0
    author = embed.get("author")
    if isinstance(author, dict):
        _max_len(out, [*path, "author", "name"], author.get("name"), 256)
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
        _max_len(out, [*path, kind], ids, 100)
    return out


_SELECT_TYPES = (3, 5, 6, 7, 8)


def _check_component(out: list[SchemaProblem], path: Path, comp: Any) -> None:
    if not isinstance(comp, dict):
        return
    ctype = comp.get("type")
    if ctype == 1:
        children = comp.get("components")
        if isinstance(children, list):
            _bad_len(out, [*path, "components"], children, 1, 5)
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
            _bad_len(out, [*path, "custom_id"], comp.get("custom_id"), 1, 100)
        _max_len(out, [*path, "label"], comp.get("label"), 80)
        return
    if ctype in _SELECT_TYPES:
        _bad_len(out, [*path, "custom_id"], comp.get("custom_id"), 1, 100)
        _max_len(out, [*path, "placeholder"], comp.get("placeholder"), 150)
        options = comp.get("options")
        if ctype == 3 and isinstance(options, list):
            _bad_len(out, [*path, "options"], options, 1, 25)
            for i, opt in enumerate(options):
                if isinstance(opt, dict):
                    _bad_len(out, [*path, "options", i, "label"], opt.get("label"), 1, 100)
                    _bad_len(out, [*path, "options", i, "value"], opt.get("value"), 1, 100)
                    _max_len(out, [*path, "options", i, "description"], opt.get("description"), 100)
        return
    if ctype == 4:
        _check_text_input(out, path, comp)


def _check_text_input(out: list[SchemaProblem], path: Path, comp: dict[str, Any]) -> None:
    _bad_len(out, [*path, "custom_id"], comp.get("custom_id"), 1, 100)
    _max_len(out, [*path, "label"], comp.get("label"), 45)
    _max_len(out, [*path, "placeholder"], comp.get("placeholder"), 100)
    _max_len(out, [*path, "value"], comp.get("value"), 4000)
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
            _max_len(out, ["data", "choices"], choices, 25)
            for i, ch in enumerate(choices):
                if isinstance(ch, dict):
                    _bad_len(out, ["data", "choices", i, "name"], ch.get("name"), 1, 100)
                    if isinstance(ch.get("value"), str):
                        _max_len(out, ["data", "choices", i, "value"], ch["value"], 100)
    elif ctype == 9:
        out.extend(check_modal(data if isinstance(data, dict) else {}))
    return out


def check_modal(data: dict[str, Any]) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    path: Path = ["data"]
    if _required(out, path, data, "title"):
        _bad_len(out, [*path, "title"], data["title"], 1, 45)
    if _required(out, path, data, "custom_id"):
        _bad_len(out, [*path, "custom_id"], data["custom_id"], 1, 100)
    comps = data.get("components")
    if not isinstance(comps, list):
        _required(out, path, data, "components")
        return out
    _bad_len(out, [*path, "components"], comps, 1, 5)
    for i, comp in enumerate(comps):
        cpath = [*path, "components", i]
        if not isinstance(comp, dict):
            continue
        if comp.get("type") == 1:
            children = comp.get("components") or []
            _bad_len(out, [*cpath, "components"], children, 1, 1)
            for j, child in enumerate(children):
                if isinstance(child, dict) and child.get("type") == 4:
                    _check_text_input(out, [*cpath, "components", j], child)
                    _required(out, [*cpath, "components", j], child, "label")
        elif comp.get("type") == 18:
            _bad_len(out, [*cpath, "label"], comp.get("label"), 1, 45)
            _max_len(out, [*cpath, "description"], comp.get("description"), 100)
            inner = comp.get("component")
            if isinstance(inner, dict):
                _check_component(out, [*cpath, "component"], inner)
            else:
                _required(out, cpath, comp, "component")
    return out


# -- application commands --------------------------------------------------------------------------
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
    _max_len(out, path, options, 25)
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
            _max_len(out, [*opath, "choices"], choices, 25)
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
                    _bad_len(out, [*opath, "choices", j, "name"], ch.get("name"), 1, 100)
                    if isinstance(ch.get("value"), str):
                        _max_len(out, [*opath, "choices", j, "value"], ch["value"], 100)
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


# -- threads and channels ----------------------------------------------------------------------
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


def check_request(method: str, template: str, body: Any) -> list[SchemaProblem]:
    """The hand-written checks that apply to one operation (method + spec path template)."""
    key = (method, template)
    if key in _MESSAGE_OPS:
        return check_message(body)
    if key == ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"):
        return check_callback(body)
    if key in _COMMAND_LIST_OPS:
        return check_command_list(body)
    if key in _COMMAND_OPS:
        return check_command(body, [])
    if key == ("POST", "/channels/{channel_id}/messages/{message_id}/threads"):
        return check_thread(body)
    if key == ("POST", "/channels/{channel_id}/threads"):
        return check_thread(body)
    if key == ("PATCH", "/channels/{channel_id}"):
        return check_thread(body, name_required=False)
    return []


_MESSAGE_OPS = {
    ("POST", "/channels/{channel_id}/messages"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
}
_COMMAND_LIST_OPS = {
    ("PUT", "/applications/{application_id}/commands"),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands"),
}
_COMMAND_OPS = {
    ("POST", "/applications/{application_id}/commands"),
    ("POST", "/applications/{application_id}/guilds/{guild_id}/commands"),
}
