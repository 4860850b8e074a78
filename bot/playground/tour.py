"""The guided tour: five minutes through the four pillars. Each step is done when the
emulator's state (or what the visitor did on the page) shows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fakecord import FakeDiscord

from .world import channel_named

STEPS = (
    (
        "set-up",
        "As Jordan (owner), run /affirmations setup in #affirmations: channel #affirmations, "
        "time 08:00, time zone UTC.",
    ),
    ("morning", "Press “Next morning 08:00” and read the morning post in #affirmations."),
    ("share", "Be Alex and run /share: write a story and send the form."),
    ("posted", "Press “+1 hour” until the story appears in #stories, without Alex's name."),
    ("encourage", "Be Sam and encourage the story with one of its buttons."),
    ("reply", "Be Alex again and run /reply in the story's thread to answer as its author."),
    ("checkin", "Run /checkin in #accountability, then /streak show to see the heatmap."),
    ("tomorrow", "Press “Next morning 08:00” again: tomorrow's post is there."),
)


def _bot_posts(fake: FakeDiscord, name: str) -> int:
    bot_id = str(fake.bot_user.id)
    return sum(1 for m in channel_named(fake, name).messages if m["author"]["id"] == bot_id)


def tour_state(fake: FakeDiscord, done: Sequence[Any]) -> list[dict[str, Any]]:
    did = {(d.person, d.kind, d.name) for d in done}
    kinds = {(d.kind, d.name) for d in done}
    finished = {
        "set-up": ("invoke", "affirmations setup") in kinds,
        "morning": _bot_posts(fake, "affirmations") >= 1,
        "share": ("alex", "modal", "share") in did,
        "posted": _bot_posts(fake, "stories") >= 1,
        "encourage": any(d.person == "sam" and d.kind in ("click", "select") for d in done),
        "reply": ("alex", "invoke", "reply") in did or ("alex", "modal", "reply") in did,
        "checkin": ("invoke", "checkin") in kinds,
        "tomorrow": _bot_posts(fake, "affirmations") >= 2,
    }
    return [{"key": key, "text": text, "done": finished[key]} for key, text in STEPS]
