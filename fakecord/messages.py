"""Building and editing messages the way Discord does: computed mentions, attachments, ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import permissions as P
from .models import AnyChannel, FakeDMChannel, FakeGuild, FakeMember, FakeUser
from .util import JSON, ApiError, form_error, iso, snowflake_time

if TYPE_CHECKING:
    from .state import FakeState

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_COMPONENTS_V2 = 1 << 15
SETTABLE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2

DEFAULT_PARSE = ("users", "roles", "everyone")
#: Interaction responses and webhook messages parse users only when allowed_mentions is absent.
WEBHOOK_DEFAULT_PARSE = ("users",)

USER_MENTION = re.compile(r"<@!?([0-9]{15,21})>")
ROLE_MENTION = re.compile(r"<@&([0-9]{15,21})>")
EVERYONE = re.compile(r"@(everyone|here)\b")

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass
class UploadedFile:
    """One ``files[n]`` part of a multipart request."""

    index: int
    filename: str
    content_type: str
    data: bytes


@dataclass
class StoredFile:
    """The bytes behind an attachment, served by the emulator at the attachment's url."""

    id: int
    filename: str
    content_type: str
    data: bytes


def public(msg: JSON) -> JSON:
    """The message as Discord sends it (the emulator's private ``_`` keys removed)."""
    return {k: v for k, v in msg.items() if not k.startswith("_")}


def _ids(values: Any) -> set[int]:
    out: set[int] = set()
    for v in values or []:
        try:
            out.add(int(v))
        except (TypeError, ValueError):
            continue
    return out


def compute_mentions(
    state: FakeState,
    *,
    guild: FakeGuild | None,
    author_permissions: int,
    content: str,
    allowed_mentions: JSON | None,
    default_parse: tuple[str, ...],
    replied_to: FakeUser | None = None,
) -> tuple[list[JSON], list[str], bool]:
    """``(mentions, mention_roles, mention_everyone)`` from content and allowed_mentions.

    Rules (Discord's allowed-mentions docs): with no ``allowed_mentions`` the ``default_parse``
    applies. ``parse`` lists the kinds parsed from the content; ``users``/``roles`` lists
    whitelist ids (ids not in the content are ignored). A role mention also needs the role to exist
    in the guild and to be mentionable, unless the author has MENTION_EVERYONE in the channel;
    ``@everyone``/``@here`` needs ``"everyone"`` parsed and MENTION_EVERYONE. ``replied_user``
    adds the author of the referenced message.
    """
    if allowed_mentions is None:
        parse = set(default_parse)
        users_list: set[int] | None = None
        roles_list: set[int] | None = None
        replied_user = False
    else:
        parse = set(allowed_mentions.get("parse") or [])
        users_list = _ids(allowed_mentions["users"]) if "users" in allowed_mentions else None
        roles_list = _ids(allowed_mentions["roles"]) if "roles" in allowed_mentions else None
        replied_user = bool(allowed_mentions.get("replied_user"))
    can_mention_all = bool(author_permissions & P.MENTION_EVERYONE)

    mentions: list[JSON] = []
    seen: set[int] = set()
    for match in USER_MENTION.finditer(content):
        uid = int(match.group(1))
        if uid in seen:
            continue
        user = state.users.get(uid)
        if user is None:
            continue
        if "users" in parse or (users_list is not None and uid in users_list):
            seen.add(uid)
            mentions.append(user.to_payload())
    if replied_user and replied_to is not None and replied_to.id not in seen:
        seen.add(replied_to.id)
        mentions.append(replied_to.to_payload())

    mention_roles: list[str] = []
    if guild is not None:
        for match in ROLE_MENTION.finditer(content):
            rid = int(match.group(1))
            role = guild.roles.get(rid)
            if role is None or str(rid) in mention_roles:
                continue
            allowed = "roles" in parse or (roles_list is not None and rid in roles_list)
            if allowed and (role.mentionable or can_mention_all):
                mention_roles.append(str(rid))

    mention_everyone = (
        guild is not None
        and "everyone" in parse
        and can_mention_all
        and EVERYONE.search(content) is not None
    )
    return mentions, mention_roles, mention_everyone


def normalize_components(components: Any) -> list[JSON]:
    """Components as Discord echoes them: every component gets a numeric ``id``."""
    if not isinstance(components, list):
        return []
    counter = [0]

    def taken(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), int):
                counter[0] = max(counter[0], node["id"])
            for v in node.values():
                taken(v)
        elif isinstance(node, list):
            for v in node:
                taken(v)

    def assign(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: assign(v) for k, v in node.items()}
            if isinstance(out.get("emoji"), dict):
                # A unicode emoji comes back as {"name": "💬"}: no null id (the spec's type).
                out["emoji"] = {k: v for k, v in out["emoji"].items() if v is not None}
            if "type" in out and "id" not in out:
                counter[0] += 1
                out["id"] = counter[0]
            return out
        if isinstance(node, list):
            return [assign(v) for v in node]
        return node

    taken(components)
    return [assign(c) for c in components]


def normalize_embeds(embeds: Any) -> list[JSON]:
    if not isinstance(embeds, list):
        return []
    out = []
    for e in embeds:
        if isinstance(e, dict):
            e = dict(e)
            e.setdefault("type", "rich")
            out.append(e)
    return out


def build_attachments(
    state: FakeState,
    channel_id: int,
    body: JSON,
    files: list[UploadedFile],
    existing: list[JSON],
) -> list[JSON]:
    """Attachments after a create or edit: kept ones listed in ``attachments`` plus uploads."""
    by_index = {f.index: f for f in files}
    used: set[int] = set()
    result: list[JSON] = []
    existing_by_id = {int(a["id"]): a for a in existing}
    listed = body.get("attachments")
    if listed is None:
        result.extend(existing)
    else:
        for i, item in enumerate(listed):
            if not isinstance(item, dict) or "id" not in item:
                continue
            aid = int(item["id"])
            if aid in existing_by_id:
                result.append(existing_by_id[aid])
            elif aid in by_index:
                used.add(aid)
                f = by_index[aid]
                result.append(
                    _store(state, channel_id, f, item.get("filename"), item.get("description"))
                )
            else:
                raise form_error(
                    ["attachments", i, "id"], "ATTACHMENT_NOT_FOUND", "Unknown attachment id"
                )
    for f in files:
        if f.index not in used:
            result.append(_store(state, channel_id, f, None, None))
    return result


def _store(
    state: FakeState, channel_id: int, f: UploadedFile, filename: str | None, description: Any
) -> JSON:
    if len(f.data) > ATTACHMENT_SIZE_LIMIT:
        raise ApiError(413, 40005, "Request entity too large")
    aid = state.next_id()
    name = filename or f.filename
    state.files[aid] = StoredFile(aid, name, f.content_type, f.data)
    url = f"{state.base_url}/attachments/{channel_id}/{aid}/{name}"
    att: JSON = {
        "id": str(aid),
        "filename": name,
        "size": len(f.data),
        "url": url,
        "proxy_url": url,
        "content_type": f.content_type,
    }
    if isinstance(description, str):
        att["description"] = description
    return att


def ensure_not_empty(body: JSON, files: list[UploadedFile]) -> None:
    """Discord answers 50006 to a message with nothing in it."""
    if files or body.get("content") or body.get("embeds") or body.get("components"):
        return
    if body.get("sticker_ids") or body.get("poll") or body.get("attachments"):
        return
    raise ApiError(400, 50006, "Cannot send an empty message")


def author_permissions(author: FakeUser, channel: AnyChannel) -> int:
    if isinstance(channel, FakeDMChannel):
        return P.DM_PERMISSIONS
    member: FakeMember | None = channel.guild.get_member(author)
    return member.permissions_in(channel) if member is not None else 0


def build_message(
    state: FakeState,
    channel: AnyChannel,
    author: FakeUser,
    body: JSON,
    files: list[UploadedFile],
    *,
    default_parse: tuple[str, ...] = DEFAULT_PARSE,
    message_type: int = 0,
    message_id: int | None = None,
) -> JSON:
    """A new message dict (not yet stored) from a create-message body."""
    ensure_not_empty(body, files)
    mid = message_id or state.next_id()
    guild = None if isinstance(channel, FakeDMChannel) else channel.guild
    content = body.get("content") or ""
    if not isinstance(content, str):
        content = str(content)
    reference, referenced = _reference(state, channel, body.get("message_reference"))
    replied_to = None
    if referenced is not None:
        replied_to = state.users.get(int(referenced["author"]["id"]))
    perms = author_permissions(author, channel)
    allowed = body.get("allowed_mentions")
    mentions, mention_roles, everyone = compute_mentions(
        state,
        guild=guild,
        author_permissions=perms,
        content=content,
        allowed_mentions=allowed if isinstance(allowed, dict) else None,
        default_parse=default_parse,
        replied_to=replied_to,
    )
    flags = int(body.get("flags") or 0) & SETTABLE_FLAGS
    msg: JSON = {
        "id": str(mid),
        "type": 19 if reference and message_type == 0 else message_type,
        "channel_id": str(channel.id),
        "author": author.to_payload(),
        "content": content,
        "embeds": normalize_embeds(body.get("embeds")),
        "components": normalize_components(body.get("components")),
        "attachments": build_attachments(state, channel.id, body, files, []),
        "flags": flags,
        "timestamp": iso(snowflake_time(mid)),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "pinned": False,
        "mention_everyone": everyone,
        "mentions": mentions,
        "mention_roles": mention_roles,
        "_allowed_mentions": allowed,
        "_default_parse": default_parse,
    }
    if guild is not None:
        msg["guild_id"] = str(guild.id)
    if body.get("nonce") is not None:
        msg["nonce"] = body["nonce"]
    if reference is not None:
        msg["message_reference"] = reference
        msg["referenced_message"] = public(referenced) if referenced else None
    return msg


def _reference(state: FakeState, channel: AnyChannel, ref: Any) -> tuple[JSON | None, JSON | None]:
    if not isinstance(ref, dict) or ref.get("message_id") is None:
        return None, None
    mid = int(ref["message_id"])
    found = state.find_message(mid)
    fail = ref.get("fail_if_not_exists", True)
    ref_channel_id = int(ref.get("channel_id") or channel.id)
    if found is None or int(found[1]["channel_id"]) != ref_channel_id:
        if fail:
            raise form_error(
                ["message_reference"],
                "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                "Unknown message",
            )
        return None, None
    ref_chan, target = found
    guild = None if isinstance(ref_chan, FakeDMChannel) else ref_chan.guild
    reference: JSON = {
        "type": int(ref.get("type") or 0),
        "channel_id": str(ref_chan.id),
        "message_id": str(mid),
    }
    if guild is not None:
        reference["guild_id"] = str(guild.id)
    return reference, target


def apply_edit(
    state: FakeState, channel: AnyChannel, msg: JSON, body: JSON, files: list[UploadedFile]
) -> None:
    """Edit ``msg`` in place from an edit-message body (fields absent are kept)."""
    if "content" in body:
        msg["content"] = body["content"] or ""
    if "embeds" in body:
        msg["embeds"] = normalize_embeds(body["embeds"])
    if "components" in body:
        msg["components"] = normalize_components(body["components"])
    if "flags" in body and body["flags"] is not None:
        keep = msg["flags"] & (EPHEMERAL | IS_COMPONENTS_V2)
        msg["flags"] = keep | (int(body["flags"]) & SUPPRESS_EMBEDS)
    if "attachments" in body or files:
        msg["attachments"] = build_attachments(state, channel.id, body, files, msg["attachments"])
    if "allowed_mentions" in body:
        msg["_allowed_mentions"] = body["allowed_mentions"]
    msg["flags"] &= ~LOADING
    allowed = msg.get("_allowed_mentions")
    author = state.users[int(msg["author"]["id"])]
    guild = None if isinstance(channel, FakeDMChannel) else channel.guild
    mentions, mention_roles, everyone = compute_mentions(
        state,
        guild=guild,
        author_permissions=author_permissions(author, channel),
        content=msg["content"],
        allowed_mentions=allowed if isinstance(allowed, dict) else None,
        default_parse=msg.get("_default_parse", DEFAULT_PARSE),
    )
    msg["mentions"], msg["mention_roles"], msg["mention_everyone"] = (
        mentions,
        mention_roles,
        everyone,
    )
    msg["edited_timestamp"] = iso(state.now())
