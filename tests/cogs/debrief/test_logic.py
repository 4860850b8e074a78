"""The debrief's pure rules and its sealing, without Discord."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.anonymity import Anonymizer
from bot.errors import UserFacingError
from cogs.debrief import logic
from cogs.debrief.logic import Debrief
from cogs.debrief.sealing import JournalSeal

TODAY = date(2026, 3, 2)


def test_the_date_is_today_by_default_and_never_ahead() -> None:
    assert logic.parse_day("", TODAY) == TODAY
    assert logic.parse_day(" Yesterday ", TODAY) == date(2026, 3, 1)
    assert logic.parse_day("2026-02-27", TODAY) == date(2026, 2, 27)
    with pytest.raises(UserFacingError, match="couldn’t read"):
        logic.parse_day("27/02/2026", TODAY)
    with pytest.raises(UserFacingError, match="still ahead"):
        logic.parse_day("2026-03-03", TODAY)


def test_text_is_cleaned_and_a_forged_overlong_field_refused() -> None:
    assert logic.clean("  Designer\u202e ", 100, "The role") == "Designer"
    with pytest.raises(UserFacingError, match="at most 100"):
        logic.clean("x" * 101, 100, "The role")


def test_choices_outside_the_lists_are_refused() -> None:
    assert logic.check_kinds(["salary", "technical"]) == ("technical", "salary")
    with pytest.raises(UserFacingError):
        logic.check_kinds(["gossip"])
    with pytest.raises(UserFacingError):
        logic.parse_days("2")
    assert logic.parse_days("") == 7 and logic.parse_days("14") == 14


def test_drafts_differ_by_tone_and_keep_code_blocks_closed() -> None:
    d = Debrief(role="Data `analyst`", company="Acme", stage="final", day="2026-02-27")
    drafts = {t: logic.feedback_draft(d, t, "Sam", "27 February") for t, _ in logic.TONES}
    assert len(set(drafts.values())) == 3
    assert drafts["formal"].startswith("Dear Sam,")
    assert all("`" not in text for text in drafts.values())
    plain = logic.feedback_draft(Debrief(), "formal", "", "2 March")
    assert plain.startswith("Dear hiring team,") and "the role" in plain
    with pytest.raises(UserFacingError):
        logic.feedback_draft(d, "sarcastic", "", "")


def test_patterns_count_stages_kinds_and_repeated_words() -> None:
    found = logic.patterns(
        [
            Debrief(stage="final", kinds=("salary",), threw="the salary negotiation"),
            Debrief(stage="final", kinds=("salary", "case"), threw="negotiation again"),
            Debrief(stage="screen", kinds=("case",), threw="a brainteaser"),
        ]
    )
    assert found.stages[0] == ("final", 2)
    assert dict(found.kinds) == {"salary": 2, "case": 2}
    assert found.words == [("negotiation", 2)]


def test_the_reminder_is_at_the_local_time_and_once_more_a_week_later() -> None:
    now = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already Tuesday in Tokyo
    due = logic.reminder_due(now, "Asia/Tokyo", 7, time(9, 0))
    assert due == datetime(2026, 3, 10, 0, 0, tzinfo=UTC)  # 09:00 on Tuesday 10 March, Tokyo
    # Across the start of summer time in Europe, the local time stays 09:00.
    first = logic.reminder_due(datetime(2026, 3, 20, 8, 0, tzinfo=UTC), "Europe/Paris", 7, time(9))
    again = logic.next_attempt_due(first, "Europe/Paris", time(9))
    assert first == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    assert again == datetime(2026, 4, 3, 7, 0, tzinfo=UTC)


def test_a_sealed_debrief_opens_only_for_its_member_and_its_row() -> None:
    seal = JournalSeal(Anonymizer(b"k" * 32))
    token = seal.seal(1, "entry-one-id", "my words")
    assert seal.open(1, "entry-one-id", token) == "my words"
    assert seal.open(2, "entry-one-id", token) is None  # another member's key
    assert seal.open(1, "entry-two-id", token) is None  # moved to another row
    assert "my words" not in token
    other_bot = JournalSeal(Anonymizer(b"z" * 32))
    assert other_bot.open(1, "entry-one-id", token) is None
    assert seal.owner(1) != seal.owner(2) and seal.owner(1) != "1"
    member = seal.seal_member("r1", 123456789)
    assert "123456789" not in member and seal.open_member("r1", member) == 123456789
    assert seal.open_member("r2", member) is None


def test_a_full_page_of_long_titles_fits_in_one_message() -> None:
    from datetime import UTC, datetime

    from cogs.debrief.logic import Entry
    from cogs.debrief.render import list_page

    long = Debrief(role="r" * 100, company="c" * 100, stage="take_home", day="2026-02-27")
    entries = [Entry(f"id{n:010d}", long, datetime(2026, 3, 2, tzinfo=UTC)) for n in range(25)]
    text, page, pages = list_page(entries, 1)
    assert (page, pages) == (1, 3)
    assert len(text) <= 2000


def test_an_overlong_word_is_not_a_pattern() -> None:
    found = logic.patterns([Debrief(threw="x" * 200), Debrief(threw="x" * 200)])
    assert found.words == []


def test_clean_drops_controls_and_counts_nothing_visible_as_empty() -> None:
    assert logic.clean("a\x00b\x07\r\nc\u202e", 50, "x") == "ab\nc"
    assert logic.clean("\u200b\ufeff \u2060", 50, "x") == ""
    assert logic.clean("😀", 5, "x") == "😀"


def test_a_one_line_field_keeps_no_line_break() -> None:
    assert logic.clean(" Lead\n# Designer\t ", 50, "x", one_line=True) == "Lead # Designer"


def test_a_title_shows_markdown_as_typed() -> None:
    debrief = logic.Debrief(role="**Lead**", company="C# [Co](x)")
    assert debrief.title() == r"\*\*Lead\*\* at C\# \[Co\](x)"
