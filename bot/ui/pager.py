"""Paging a long list in an ephemeral message: page maths and a Previous/Next row.

The buttons carry only "<prefix>:<action>:<page>"; the feature registers a DynamicItem for that
template and re-reads its list when one is clicked (so a list that changed meanwhile is fresh).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import discord

from bot.ui.custom_ids import custom_id
from bot.ui.views import BaseView

__all__ = ["PAGE_SIZE", "page_count", "page_items", "pager_view"]

PAGE_SIZE = 10
PREVIOUS = "‹ Previous"
NEXT = "Next ›"
T = TypeVar("T")


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, (total + size - 1) // size)


def page_items(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> Sequence[T]:
    """Page ``page`` (1-based) of ``items``; empty when out of range."""
    if page < 1:
        return items[0:0]
    return items[(page - 1) * size : page * size]


def pager_view(
    prefix: str, action: str, page: int, pages: int, *, previous: str = PREVIOUS, after: str = NEXT
) -> discord.ui.View | None:
    """Previous/Next buttons for page ``page`` of ``pages`` (None when there is one page)."""
    if pages <= 1:
        return None
    view = BaseView(timeout=None)
    for label, target, disabled in (
        (previous, page - 1, page <= 1),
        (after, page + 1, page >= pages),
    ):
        view.add_item(
            discord.ui.Button(
                label=label,
                custom_id=custom_id(prefix, action, max(1, min(pages, target))),
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
    return view
