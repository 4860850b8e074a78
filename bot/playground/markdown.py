"""Discord's markdown as safe HTML: every character of the text is escaped, then the markup
Discord renders becomes tags (bold, italics, underline, strikethrough, inline code, code blocks,
block quotes, headers, lists, masked links, spoilers, user/role/channel and command mentions,
`<t:…>` timestamps). Only http(s) links become links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape


@dataclass(frozen=True)
class Names:
    """How mentions read: names by id (unknown ids read as Discord shows them)."""

    users: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)
    now: datetime = datetime(2026, 1, 1, tzinfo=UTC)  # the page passes the playground's clock


_CODE_BLOCK = re.compile(r"```(?:([\w+-]{1,20})\n)?(.*?)```", re.DOTALL)
_INLINE: list[tuple[str, re.Pattern[str]]] = [
    ("code", re.compile(r"``(.+?)``|`([^`]+)`", re.DOTALL)),
    ("command", re.compile(r"</([\w -]{1,100}):(\d{1,20})>")),
    ("user", re.compile(r"<@!?(\d{1,20})>")),
    ("role", re.compile(r"<@&(\d{1,20})>")),
    ("channel", re.compile(r"<#(\d{1,20})>")),
    ("time", re.compile(r"<t:(-?\d{1,13})(?::([tTdDfFR]))?>")),
    ("link", re.compile(r"\[([^\[\]\n]{1,256})\]\(<?(https?://[^\s<>()]+)>?\)")),
    ("url", re.compile(r"https?://[^\s<>]+[^\s<>.,:;\"')\]]")),
    ("spoiler", re.compile(r"\|\|(.+?)\|\|", re.DOTALL)),
    ("bold", re.compile(r"\*\*(.+?)\*\*(?!\*)", re.DOTALL)),
    ("underline", re.compile(r"__(.+?)__(?!_)", re.DOTALL)),
    ("strike", re.compile(r"~~(.+?)~~", re.DOTALL)),
    ("italic", re.compile(r"\*(?![\s*])(.+?)(?<![\s*])\*|\b_(?!_)(.+?)(?<!_)_\b", re.DOTALL)),
]
_WRAP = {
    "spoiler": ('<span class="spoiler" tabindex="0">', "</span>"),
    "bold": ("<strong>", "</strong>"),
    "underline": ("<u>", "</u>"),
    "strike": ("<s>", "</s>"),
    "italic": ("<em>", "</em>"),
}


def render(text: str, names: Names | None = None) -> str:
    """The HTML of one message's (or embed field's) text."""
    names = names or Names()
    out: list[str] = []
    pos = 0
    for match in _CODE_BLOCK.finditer(text):
        out.append(_blocks(text[pos : match.start()], names))
        lang = match.group(1) or ""
        code = match.group(2).strip("\n")
        cls = f' class="lang-{escape(lang)}"' if lang else ""
        out.append(f"<pre><code{cls}>{escape(code)}</code></pre>")
        pos = match.end()
    out.append(_blocks(text[pos:], names))
    return "".join(out)


_LIST_ITEM = re.compile(r"^(\s*)([-*]|\d{1,3}\.) (.*)$")
_HEADER = re.compile(r"^(#{1,3}|-#) (.+)$")


def _blocks(text: str, names: Names) -> str:
    if not text:
        return ""
    lines = text.split("\n")
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(inline("\n".join(para), names).replace("\n", "<br>"))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(">>> "):
            flush()
            rest = "\n".join([line[4:], *lines[i + 1 :]])
            out.append(f"<blockquote>{_blocks(rest, names)}</blockquote>")
            return "".join(out)
        if line.startswith("> ") or line == ">":
            flush()
            quoted = []
            while i < len(lines) and (lines[i].startswith("> ") or lines[i] == ">"):
                quoted.append(lines[i][2:])
                i += 1
            out.append(f"<blockquote>{_blocks(chr(10).join(quoted), names)}</blockquote>")
            continue
        header = _HEADER.match(line)
        if header:
            flush()
            marks, body = header.groups()
            tag = "small" if marks == "-#" else f"h{len(marks)}"
            out.append(f'<{tag} class="md-h">{inline(body, names)}</{tag}>')
            i += 1
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            ordered = item.group(2)[0].isdigit()
            items = []
            while i < len(lines):
                found = _LIST_ITEM.match(lines[i])
                if not found or found.group(2)[0].isdigit() != ordered:
                    break
                items.append(f"<li>{inline(found.group(3), names)}</li>")
                i += 1
            tag = "ol" if ordered else "ul"
            out.append(f"<{tag}>{''.join(items)}</{tag}>")
            continue
        para.append(line)
        i += 1
    flush()
    return "".join(out)


def inline(text: str, names: Names) -> str:
    """Inline markup: the earliest match wins; what it holds is rendered again inside."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        best: tuple[int, str, re.Match[str]] | None = None
        for kind, pattern in _INLINE:
            match = pattern.search(text, pos)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), kind, match)
        if best is None:
            break
        start, kind, match = best
        out.append(escape(text[pos:start]))
        out.append(_render_one(kind, match, names))
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _render_one(kind: str, match: re.Match[str], names: Names) -> str:
    if kind == "code":
        return f"<code>{escape(match.group(1) or match.group(2))}</code>"
    if kind == "command":
        return f'<span class="mention">/{escape(match.group(1))}</span>'
    if kind == "user":
        name = names.users.get(int(match.group(1)), "unknown-user")
        return f'<span class="mention">@{escape(name)}</span>'
    if kind == "role":
        name = names.roles.get(int(match.group(1)), "unknown-role")
        return f'<span class="mention">@{escape(name)}</span>'
    if kind == "channel":
        name = names.channels.get(int(match.group(1)), "unknown")
        return f'<span class="mention">#{escape(name)}</span>'
    if kind == "time":
        return _timestamp(int(match.group(1)), match.group(2) or "f", names.now)
    if kind == "link":
        label, url = match.group(1), match.group(2)
        return _link(url, inline(label, names))
    if kind == "url":
        return _link(match.group(0), escape(match.group(0)))
    inner_text = next(g for g in match.groups() if g is not None)
    opening, closing = _WRAP[kind]
    return f"{opening}{inline(inner_text, names)}{closing}"


def _link(url: str, label_html: str) -> str:
    href = escape(url, quote=True)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{label_html}</a>'


_STYLES: dict[str, Callable[[datetime], str]] = {
    "t": lambda d: d.strftime("%H:%M"),
    "T": lambda d: d.strftime("%H:%M:%S"),
    "d": lambda d: d.strftime("%d/%m/%Y"),
    "D": lambda d: f"{d.day} {d.strftime('%B %Y')}",
    "f": lambda d: f"{d.day} {d.strftime('%B %Y %H:%M')}",
    "F": lambda d: f"{d.strftime('%A')}, {d.day} {d.strftime('%B %Y %H:%M')}",
}


def _timestamp(seconds: int, style: str, now: datetime) -> str:
    try:
        when = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return escape(f"<t:{seconds}:{style}>")
    text = relative(when, now) if style == "R" else _STYLES[style](when) + " UTC"
    iso = when.isoformat()
    return f'<time class="ts" datetime="{iso}" title="{escape(iso)}">{escape(text)}</time>'


def relative(when: datetime, now: datetime) -> str:
    """Discord's relative style: "in 2 hours", "3 days ago"."""
    seconds = int((when - now).total_seconds())
    amount = abs(seconds)
    for unit, size in (
        ("year", 31_536_000),
        ("month", 2_592_000),
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ):
        if amount >= size or unit == "second":
            count = amount // size
            phrase = f"{count} {unit}{'' if count == 1 else 's'}"
            return f"in {phrase}" if seconds > 0 else f"{phrase} ago"
    raise AssertionError("unreachable")
