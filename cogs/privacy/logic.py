"""Pure rules of /privacy and server retention: the export document, the words for what was
removed, and when a departed server's data goes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

EXPORT_FORMAT = 1


def purge_instant(left_at: datetime, retention_days: int) -> datetime:
    """When a server's data is deleted after the bot left it."""
    if left_at.tzinfo is None:
        raise ValueError("naive datetimes are not allowed here")
    return left_at + timedelta(days=retention_days)


def export_document(
    generated_at: datetime, user_id: int, data: Mapping[str, Mapping[str, list[dict[str, Any]]]]
) -> dict[str, Any]:
    """The JSON a member receives: who, when, and every feature's tables with their rows."""
    return {
        "about": (
            "Everything Rebound stores about you, per feature and table. Times are ISO 8601 in "
            "UTC. Stories are found through your keyed pseudonym; the pseudonym itself is not "
            "your Discord id and cannot be turned back into it."
        ),
        "format": EXPORT_FORMAT,
        "generated_at": generated_at.isoformat(),
        "user_id": str(user_id),
        "data": {feature: dict(tables) for feature, tables in sorted(data.items())},
    }


def export_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False).encode("utf-8")


def export_filename(generated_at: datetime) -> str:
    return f"rebound-my-data-{generated_at:%Y-%m-%d}.json"


def row_count(data: Mapping[str, Mapping[str, Any]]) -> int:
    """Rows in an export (lists) or a deletion (counts), over every feature and table."""
    total = 0
    for tables in data.values():
        for value in tables.values():
            total += len(value) if isinstance(value, list) else int(value)
    return total


def counts_of(data: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Rows per table over every feature (an export's lists or a deletion's counts)."""
    counts: dict[str, int] = {}
    for tables in data.values():
        for table, value in tables.items():
            n = len(value) if isinstance(value, list) else int(value)
            if n:
                counts[table] = counts.get(table, 0) + n
    return counts


def describe_counts(counts: Mapping[str, int], names: Mapping[str, tuple[str, str]]) -> str:
    """'1 story, 3 check-ins and 2 me-toos' from rows per table (tables with none left out)."""
    parts = []
    for table, n in sorted(counts.items()):
        if n <= 0:
            continue
        singular, plural = names.get(table, (table.replace("_", " ") + " row", ""))
        plural = plural or singular + "s"
        parts.append(f"{n} {singular if n == 1 else plural}")
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
