"""Shared UI: autocomplete answers within Discord's limits, custom_ids, timestamps, pager."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui import (
    FEATURE_PREFIXES,
    choices,
    custom_id,
    discord_timestamp,
    page_count,
    page_items,
    pager_view,
)


@given(st.lists(st.tuples(st.text(max_size=300), st.text(max_size=300)), max_size=60))
def test_choices_always_fit_discords_limits(pairs: list[tuple[str, str]]) -> None:
    answered = choices(pairs)
    assert len(answered) <= 25
    for choice in answered:
        assert 1 <= len(choice.name) <= 100
        assert 1 <= len(choice.value) <= 100


def test_choices_shorten_long_names_and_drop_values_discord_cannot_take() -> None:
    answered = choices([("x" * 150, "ok"), ("fine", "y" * 101), ("", "z")])
    assert [c.value for c in answered] == ["ok"]
    assert answered[0].name.endswith("…") and len(answered[0].name) == 100


def test_choices_keep_integer_values() -> None:
    assert [c.value for c in choices([("#1 · one", 1), ("#2 · two", 2)])] == [1, 2]


def test_custom_id_needs_a_registered_prefix_and_fits_100() -> None:
    assert custom_id("aff", "list", 3) == "aff:list:3"
    with pytest.raises(ValueError, match="unknown"):
        custom_id("affirmations", "list", 3)
    with pytest.raises(ValueError, match="100"):
        custom_id("story", "open", "x" * 100)


def test_no_feature_prefix_is_the_start_of_another() -> None:
    prefixes = [f"{p}:" for p in FEATURE_PREFIXES]
    assert len(set(prefixes)) == len(prefixes)
    for one in prefixes:
        assert not any(other != one and other.startswith(one) for other in prefixes)


def test_discord_timestamp_is_the_unix_second_in_any_zone() -> None:
    instant = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert discord_timestamp(instant, "F") == f"<t:{int(instant.timestamp())}:F>"
    elsewhere = instant.astimezone(timezone(timedelta(hours=5)))
    assert discord_timestamp(elsewhere, "R") == f"<t:{int(instant.timestamp())}:R>"
    with pytest.raises(ValueError):
        discord_timestamp(datetime(2026, 3, 8, 7, 0))


def test_pager_maths() -> None:
    assert page_count(0) == 1 and page_count(10) == 1 and page_count(11) == 2
    assert list(page_items(list(range(25)), 3)) == [20, 21, 22, 23, 24]
    assert list(page_items(list(range(5)), 0)) == []


def test_pager_view_has_distinct_prefixed_buttons_and_none_for_one_page() -> None:
    assert pager_view("aff", "list", 1, 1) is None
    view = pager_view("aff", "list", 2, 3)
    assert view is not None
    ids = [getattr(item, "custom_id", None) for item in view.children]
    assert ids == ["aff:list:1", "aff:list:3"]
    assert all(re.fullmatch(r"aff:list:\d+", i or "") for i in ids)
