"""Shared steps for the debrief tests: write a debrief through both forms, read the database."""

from __future__ import annotations

import copy
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cogs.debrief import messages as m

# A Monday morning, UTC.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
THOUGHTS: dict[str, Any] = {
    "kinds": ["salary", "culture"],
    "threw": "The salary expectations question about Zephyrine stock options",
    "came_across": "Nervous at first, then warmer once we talked about mentoring",
    "research": "Their quarterly roadmap and the Quillfeather product line",
    "went_well": "My portfolio walkthrough landed well",
}


async def write_debrief(
    fake: Any,
    member: Any,
    channel: Any,
    *,
    role: str = "Product designer",
    company: str = "Acme Robotics",
    stage: str = "final",
    day: str = "2026-02-27",
    thoughts: dict[str, Any] | None = None,
) -> Any:
    """/debrief new, step 1 and (with `thoughts`) step 2; the last private answer."""
    opened = await fake.invoke(member, channel, "debrief new")
    assert opened.modal is not None
    saved = await fake.submit_modal(
        member,
        channel,
        opened.modal,
        {"role": role, "company": company, "stage": [stage], "date": day},
    )
    if thoughts is not None:
        form = await fake.click(member, saved.message, label=m.BUTTON_QUESTIONS)
        saved = await fake.submit_modal(member, channel, form.modal, thoughts)
    return saved


def every_value(db_path: Path) -> list[tuple[str, str, Any]]:
    """(table, column, value) for every value of every table of a copy of the database."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found: list[tuple[str, str, Any]] = []
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                found.extend((table, col, value) for col, value in zip(columns, row, strict=True))
        return found
    finally:
        conn.close()


def forge(fake: Any, own: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """A modified client: the buttons of someone else's message (their ids) on one of one's own
    messages from the bot, so a click sends those ids as one's own."""
    stored = fake.message(int(own["id"]))
    stored["components"] = copy.deepcopy(fake.message(int(theirs["id"]))["components"])
    return stored
