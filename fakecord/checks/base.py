"""Helpers of the hand-written checks: each appends a problem to ``out`` as Discord words it."""

from __future__ import annotations

from typing import Any

from ..validation import SchemaProblem

#: where in the body a problem is (``["embeds", 0, "title"]``)
Path = list[str | int]


def max_len(out: list[SchemaProblem], path: Path, value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        out.append(
            SchemaProblem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        )


def bad_len(out: list[SchemaProblem], path: Path, value: Any, low: int, high: int) -> None:
    if isinstance(value, str | list) and not low <= len(value) <= high:
        out.append(
            SchemaProblem(
                path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."
            )
        )


def required(out: list[SchemaProblem], path: Path, obj: dict[str, Any], key: str) -> bool:
    if obj.get(key) is None:
        out.append(SchemaProblem([*path, key], "BASE_TYPE_REQUIRED", "This field is required"))
        return False
    return True
