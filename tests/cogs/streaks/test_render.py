"""The words for streak numbers: real plurals through bot.i18n, never "day(s)"."""

from __future__ import annotations

from datetime import date, timedelta

from cogs.streaks import logic, render
from cogs.streaks.logic import History
from cogs.streaks.repository import Counts, Profile
from cogs.streaks.service import Snapshot

TODAY = date(2026, 3, 11)


def snapshot(days: int) -> Snapshot:
    history = History(checkins={TODAY - timedelta(days=n): 1 for n in range(days)})
    profile = Profile(
        1, 2, celebrate=False, leaderboard=False, zone="UTC", freeze_told_through=None
    )
    return Snapshot(profile, history, logic.compute(history, TODAY), "UTC")


def test_one_and_many_read_as_whole_words() -> None:
    one, eight = snapshot(1), snapshot(8)
    assert "**Current streak:** 1 day\n" in render.show_text(one, "member")
    assert "**Current streak:** 8 days\n" in render.show_text(eight, "member")
    assert "1 day in all · 0 freezes held" in render.show_subtitle(one)
    assert "8 days in all · 1 freeze held" in render.show_subtitle(eight)
    assert "· 1 day in all ·" in render.shared_text(one, "Sam")
    assert "**8 days**" in render.streak_line(eight)
    assert render.counts_line(Counts(applications=1)) == "Logged: 1 application."
    assert render.counts_line(Counts(applications=3)) == "Logged: 3 applications."
    for text in (render.show_text(eight, "member"), render.show_subtitle(one)):
        assert "(s)" not in text and "{" not in text
