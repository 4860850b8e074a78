"""The pure rules of encouragement, tested without Discord."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.encouragement import logic
from cogs.stories.logic import neutralise_mentions, sanitise


def sign(name: str | None) -> str:
    return logic.signature(name, neutralise_mentions)


ACTIVE_MENTION = re.compile(r"<(@[!&]?|#)\d+>|@(everyone|here)", re.IGNORECASE)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- thread names ---------------------------------------------------------------------------------


def test_thread_name_joins_label_and_stage() -> None:
    assert logic.thread_name("Story #42", "Onsite") == "Story #42 · Onsite"


def test_thread_name_without_a_stage_is_the_label() -> None:
    assert logic.thread_name("Story #7", None) == "Story #7"
    assert logic.thread_name("  ", "") == "A story"


def test_thread_name_fits_discords_limit() -> None:
    name = logic.thread_name("Story #1", "x" * 300)
    assert len(name) == logic.THREAD_NAME_LIMIT and name.endswith("…")


# -- kind words -----------------------------------------------------------------------------------


def test_kind_words_are_trimmed_and_kept() -> None:
    assert logic.clean_message(
        "  You’ve got this.\n\n\n\nReally.  ",
        limit=1000,
        what="note",
        links_allowed=False,
        sanitise=sanitise,
    ) == ("You’ve got this.\n\nReally.")


def test_empty_and_too_long_kind_words_are_refused_kindly() -> None:
    with pytest.raises(logic.InvalidInput, match="empty"):
        logic.clean_message(" \n ", limit=1000, what="note", links_allowed=False, sanitise=sanitise)
    with pytest.raises(logic.InvalidInput, match="1,001 characters"):
        logic.clean_message(
            "a" * 1001, limit=1000, what="note", links_allowed=False, sanitise=sanitise
        )


def test_invite_links_are_refused_even_where_links_are_allowed() -> None:
    with pytest.raises(logic.InvalidInput, match="invite"):
        logic.clean_message(
            "join discord.gg/abc", limit=1000, what="note", links_allowed=True, sanitise=sanitise
        )


def test_other_links_follow_the_servers_stories_setting() -> None:
    text = "this helped me: https://example.org/guide"
    with pytest.raises(logic.InvalidInput, match="links"):
        logic.clean_message(text, limit=1000, what="note", links_allowed=False, sanitise=sanitise)
    assert (
        logic.clean_message(text, limit=1000, what="note", links_allowed=True, sanitise=sanitise)
        == text
    )


def test_mentions_are_neutralised_visibly() -> None:
    out = logic.clean_message(
        "@everyone hi <@123> <@&4> <#5> @here",
        limit=1000,
        what="note",
        links_allowed=False,
        sanitise=sanitise,
    )
    assert ACTIVE_MENTION.search(out) is None
    assert "everyone" in out and "here" in out


@given(st.text(max_size=1200))
def test_cleaned_text_never_holds_active_mentions_or_exceeds_the_limit(text: str) -> None:
    try:
        out = logic.clean_message(
            text, limit=1000, what="note", links_allowed=False, sanitise=sanitise
        )
    except logic.InvalidInput:
        return
    assert ACTIVE_MENTION.search(out) is None
    # Neutralising adds a zero-width space per mention; the visible text stays within the limit.
    assert len(out) <= logic.POST_BODY_LIMIT


def test_signature_is_the_display_name_or_a_member() -> None:
    assert sign("Alice") == "Alice"
    assert sign(None) == "a member"
    shown = sign("**bold** @everyone <@123>")
    assert shown.startswith("\\*\\*bold\\*\\* ")
    assert ACTIVE_MENTION.search(shown) is None and "123" not in shown
    assert len(sign("n" * 80)) == logic.SIGNATURE_LIMIT


def test_a_long_signature_is_cut_at_a_word_with_an_ellipsis() -> None:
    shown = sign("Maria Fernanda Castellanos Rodriguez")
    assert shown == "Maria Fernanda Castellanos…"
    assert len(shown) <= logic.SIGNATURE_LIMIT
    assert sign("Exactly thirty-two characters ok") == "Exactly thirty\\-two characters ok"


def test_encouragements_are_limited_per_story_and_overall() -> None:
    now = at("2026-03-02T12:00:00")
    three = [now - timedelta(minutes=m) for m in (50, 20, 5)]
    limited = logic.throttle(now, three, three, moderator=False)
    assert limited == logic.Throttled("story", now + timedelta(minutes=10))
    # Older than an hour no longer counts.
    assert logic.throttle(now, [now - timedelta(minutes=61)] * 3, [], moderator=False) is None
    twenty = [now - timedelta(minutes=59 - m) for m in range(20)]
    limited = logic.throttle(now, [], twenty, moderator=False)
    assert limited == logic.Throttled("overall", now + timedelta(minutes=1))
    # Moderators may welcome many stories, but never flood one.
    assert logic.throttle(now, [], twenty, moderator=True) is None
    assert logic.throttle(now, three, twenty, moderator=True) is not None


def test_excerpt_ends_on_a_word() -> None:
    text = "word " * 100
    out = logic.excerpt(text, 50)
    assert len(out) <= 50 and out.endswith("d…")


# -- me too ---------------------------------------------------------------------------------------


def test_me_too_adds_then_removes() -> None:
    first = logic.toggle_me_too(False, 2)
    assert first == logic.MeTooChange(added=True, count=3)
    assert logic.toggle_me_too(True, first.count) == logic.MeTooChange(added=False, count=2)
    assert logic.toggle_me_too(True, 0).count == 0


# -- digests --------------------------------------------------------------------------------------


def test_first_digest_gathers_for_a_short_while() -> None:
    now = at("2026-03-02T10:00:00")
    assert logic.digest_due_at(now, None) == now + logic.DIGEST_GATHER


def test_next_digest_waits_an_hour_after_the_last() -> None:
    now = at("2026-03-02T10:00:00")
    last = at("2026-03-02T09:30:00")
    assert logic.digest_due_at(now, last) == at("2026-03-02T10:30:00")
    assert logic.digest_due_at(now, at("2026-03-02T07:00:00")) == now + logic.DIGEST_GATHER


def test_digest_allowed_at_most_hourly() -> None:
    last = at("2026-03-02T09:00:00")
    assert not logic.digest_allowed(last + timedelta(minutes=59), last)
    assert logic.digest_allowed(last + timedelta(hours=1), last)
    assert logic.digest_allowed(last, None)


def test_digest_labels_differ_for_digests_an_hour_apart() -> None:
    first = at("2026-03-02T09:10:00")
    assert logic.digest_label(first) != logic.digest_label(first + logic.DIGEST_MIN_GAP)


def test_naive_times_are_rejected() -> None:
    with pytest.raises(ValueError):
        logic.digest_due_at(datetime(2026, 3, 2), None)


# -- roundup weeks --------------------------------------------------------------------------------


def test_roundup_is_monday_morning_about_the_week_before() -> None:
    occ = logic.next_roundup(at("2026-03-04T12:00:00"), "UTC")  # a Wednesday
    assert occ.due_at == at("2026-03-09T09:00:00")
    assert occ.week == "2026-W10"


def test_roundup_strictly_after() -> None:
    occ = logic.next_roundup(at("2026-03-09T09:00:00"), "UTC")
    assert occ.due_at == at("2026-03-16T09:00:00") and occ.week == "2026-W11"
    early = logic.next_roundup(at("2026-03-09T08:59:00"), "UTC")
    assert early.due_at == at("2026-03-09T09:00:00")


def test_roundup_follows_the_servers_zone() -> None:
    occ = logic.next_roundup(at("2026-03-04T12:00:00"), "America/New_York")
    assert occ.due_at == at("2026-03-09T13:00:00")  # 09:00 EDT (DST began 8 March)


def test_week_window_is_monday_to_monday_local() -> None:
    start, end = logic.week_window("2026-W10", "UTC")
    assert (start, end) == (at("2026-03-02T00:00:00"), at("2026-03-09T00:00:00"))
    start, end = logic.week_window("2026-W10", "America/New_York")
    assert start == at("2026-03-02T05:00:00") and end == at("2026-03-09T04:00:00")


def test_week_label_spans_years() -> None:
    assert logic.week_label(date(2027, 1, 1)) == "2026-W53"


def test_consecutive_roundups_cover_consecutive_weeks() -> None:
    occ = logic.next_roundup(at("2026-12-20T00:00:00"), "Europe/Berlin")
    seen = []
    for _ in range(6):
        seen.append(occ.week)
        start, end = logic.week_window(occ.week, "Europe/Berlin")
        assert end <= occ.due_at and end - start >= timedelta(days=6)
        occ = logic.next_roundup(occ.due_at, "Europe/Berlin")
    assert len(set(seen)) == 6


def test_empty_counts() -> None:
    assert logic.RoundupCounts(0, 0, 0).empty
    assert not logic.RoundupCounts(0, 1, 0).empty
