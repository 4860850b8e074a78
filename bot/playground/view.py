"""What the page draws, read from the emulator's state (never from a copy of it): the server,
its channels and threads, the viewer's DM with the bot, the messages the viewer may see (public
ones and their own ephemeral replies), and the commands the bot synced."""

from __future__ import annotations

from typing import Any

from fakecord import FakeDiscord
from fakecord.messages import EPHEMERAL
from fakecord.models import AnyChannel, FakeChannel, FakeDMChannel, FakeMember, FakeThread

from .markdown import Names, render
from .world import PEOPLE, guild_of, people

JSON = dict[str, Any]
FORUM = 15


def names_of(fake: FakeDiscord, now: Any) -> Names:
    guild = guild_of(fake)
    users = {u.id: u.global_name or u.name for u in fake.state.users.values()}
    for member in guild.members.values():
        if member.nick:
            users[member.id] = member.nick
    roles = {r.id: r.name for r in guild.roles.values()}
    channels = {c.id: getattr(c, "name", "") for c in fake.state.channels.values()}
    return Names(users=users, roles=roles, channels=channels, now=now)


def channel_list(fake: FakeDiscord, viewer: FakeMember) -> list[JSON]:
    guild = guild_of(fake)
    out: list[JSON] = []
    for chan in guild.channels:
        if chan.deleted:
            continue
        kind = "forum" if chan.type == FORUM else "text"
        out.append({"id": str(chan.id), "name": chan.name, "kind": kind, "parent": None})
        for thread in chan.threads:
            if not thread.deleted:
                out.append(
                    {
                        "id": str(thread.id),
                        "name": thread.name,
                        "kind": "thread",
                        "parent": str(chan.id),
                        "archived": thread.archived,
                    }
                )
    dm = fake.dm_channel(viewer)
    out.append({"id": str(dm.id), "name": "Rebound", "kind": "dm", "parent": None})
    return out


def find_channel(fake: FakeDiscord, channel_id: str | int) -> AnyChannel:
    try:
        chan = fake.state.channels.get(int(channel_id))
    except ValueError:
        chan = None
    if chan is None or getattr(chan, "deleted", False):
        raise LookupError("That channel does not exist (any more).")
    return chan


def visible_messages(fake: FakeDiscord, channel: AnyChannel, viewer: FakeMember) -> list[JSON]:
    """The channel's messages plus the ephemeral ones only the viewer can see, in order."""
    seen = list(channel.messages)
    for chan, msg in fake.state.messages.values():
        if chan is channel and msg["flags"] & EPHEMERAL:
            owner = (msg.get("interaction_metadata") or {}).get("user", {}).get("id")
            if owner == str(viewer.id):
                seen.append(msg)
    return sorted(seen, key=lambda m: int(m["id"]))


def message_view(fake: FakeDiscord, msg: JSON, names: Names) -> JSON:
    author = msg["author"]
    author_id = int(author["id"])
    reference = msg.get("referenced_message")
    return {
        "id": msg["id"],
        "author": names.users.get(author_id, author.get("username", "?")),
        "bot": bool(author.get("bot")),
        "timestamp": msg["timestamp"],
        "edited": msg.get("edited_timestamp") is not None,
        "ephemeral": bool(msg["flags"] & EPHEMERAL),
        "html": render(msg.get("content") or "", names),
        "embeds": [_inline_files(embed_view(e, names), msg) for e in msg.get("embeds") or []],
        "components": [component_view(c, names) for c in msg.get("components") or []],
        "attachments": [
            {
                "url": f"/files/{a['id']}/{a['filename']}",
                "filename": a["filename"],
                "image": str(a.get("content_type", "")).startswith("image/"),
            }
            for a in msg.get("attachments") or []
            if a["filename"] not in _embedded_files(msg)
        ],
        "reply_to": (
            names.users.get(int(reference["author"]["id"]), "someone") if reference else None
        ),
        "thread": (msg.get("thread") or {}).get("id"),
    }


def embed_view(embed: JSON, names: Names) -> JSON:
    color = embed.get("color")
    return {
        "title": render(embed.get("title") or "", names),
        "url": embed.get("url") if str(embed.get("url", "")).startswith("http") else None,
        "description": render(embed.get("description") or "", names),
        "color": f"#{int(color):06x}" if color is not None else None,
        "author": render((embed.get("author") or {}).get("name") or "", names),
        "fields": [
            {
                "name": render(f.get("name") or "", names),
                "value": render(f.get("value") or "", names),
                "inline": bool(f.get("inline")),
            }
            for f in embed.get("fields") or []
        ],
        "footer": render((embed.get("footer") or {}).get("text") or "", names),
        "image": _media_url((embed.get("image") or {}).get("url")),
        "thumbnail": _media_url((embed.get("thumbnail") or {}).get("url")),
    }


def _embedded_files(msg: JSON) -> set[str]:
    """Attachments an embed shows as its image: Discord does not list them again."""
    names = set()
    for embed in msg.get("embeds") or []:
        for key in ("image", "thumbnail"):
            url = str((embed.get(key) or {}).get("url") or "")
            if url.startswith("attachment://"):
                names.add(url.removeprefix("attachment://"))
    return names


def _inline_files(embed: JSON, msg: JSON) -> JSON:
    """An embed's attachment://name images are the message's own attachments."""
    by_name = {a["filename"]: a for a in msg.get("attachments") or []}
    for key in ("image", "thumbnail"):
        url = embed[key]
        if url:
            found = by_name.get(url.removeprefix("attachment://"))
            embed[key] = f"/files/{found['id']}/{found['filename']}" if found else None
    return embed


def _media_url(url: str | None) -> str | None:
    """attachment://name is served by the page; other addresses are not fetched (nothing
    leaves the machine)."""
    if not url:
        return None
    return url if url.startswith("attachment://") else None


def component_view(comp: JSON, names: Names) -> JSON:
    out: JSON = {
        k: comp[k]
        for k in (
            "type",
            "style",
            "label",
            "custom_id",
            "disabled",
            "placeholder",
            "min_values",
            "max_values",
            "url",
            "spoiler",
            "divider",
        )
        if k in comp
    }
    if comp.get("url") and not str(comp["url"]).startswith(("http://", "https://")):
        out.pop("url")
    if "emoji" in comp:
        out["emoji"] = (comp["emoji"] or {}).get("name")
    if "options" in comp:
        out["options"] = [
            {k: o[k] for k in ("label", "value", "description", "default") if k in o}
            for o in comp["options"]
        ]
    if "content" in comp:  # a text display (components v2)
        out["html"] = render(comp["content"], names)
    for key in ("components", "accessory", "component"):
        if comp.get(key):
            inner = comp[key]
            out[key] = (
                [component_view(c, names) for c in inner]
                if isinstance(inner, list)
                else component_view(inner, names)
            )
    return out


def pickables(fake: FakeDiscord) -> JSON:
    """What user, role and channel pickers (options and selects) offer."""
    guild = guild_of(fake)
    members = [
        {"id": str(m.id), "name": m.user.global_name or m.user.name} for m in guild.members.values()
    ]
    roles = [{"id": str(r.id), "name": r.name} for r in guild.roles.values()]
    channels = [
        {"id": str(c.id), "name": c.name, "type": c.type}
        for c in fake.state.channels.values()
        if isinstance(c, FakeChannel | FakeThread) and not c.deleted
    ]
    return {"users": members, "roles": roles, "channels": channels}


def page_view(fake: FakeDiscord, viewer_key: str, channel_id: str | None, now: Any) -> JSON:
    cast = people(fake)
    viewer = cast[viewer_key]
    names = names_of(fake, now)
    channels = channel_list(fake, viewer)
    messages: list[JSON] = []
    current = None
    if channel_id:
        chan = find_channel(fake, channel_id)
        if isinstance(chan, FakeDMChannel) and chan.recipient.id != viewer.id:
            raise LookupError("That is someone else's DM.")
        current = str(chan.id)
        messages = [message_view(fake, m, names) for m in visible_messages(fake, chan, viewer)]
    guild = guild_of(fake)
    return {
        "guild": guild.name,
        "people": [{"key": p.key, "label": p.label, "id": str(cast[p.key].id)} for p in PEOPLE],
        "me": viewer_key,
        "channels": channels,
        "channel": current,
        "messages": messages,
        # The bot's own synced list, straight from the emulator.
        "commands": list(fake.commands()) + list(fake.commands(guild)),
        "pick": pickables(fake),
    }
