"""The heatmap PNG: renders for empty, full and sparse histories, marks what it says it marks."""

from __future__ import annotations

import colorsys
import io
import itertools
from datetime import date, timedelta

from PIL import Image

from cogs.streaks import heatmap, logic
from cogs.streaks.logic import History, RestRule

TODAY = date(2026, 4, 22)  # a Wednesday
FIRST_MONDAY = logic.week_start(TODAY) - timedelta(weeks=15)


def render(history: History) -> Image.Image:
    state = logic.compute(history, TODAY)
    data = heatmap.render(state, history.checkins, title="Your streak", subtitle="numbers")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.size == heatmap.image_size()
    return image.convert("RGB")


def pixel(image: Image.Image, day: date) -> tuple[int, int, int]:
    offset = (day - FIRST_MONDAY).days
    x, y = heatmap.cell_origin(offset // 7, offset % 7)
    return image.getpixel((x + heatmap.CELL // 2 + 2, y + 3))  # type: ignore[return-value]


def test_empty_history_renders_with_no_activity_colour() -> None:
    image = render(History())
    left, top = heatmap.cell_origin(0, 0)
    right, bottom = heatmap.cell_origin(15, 6)
    grid = image.crop((left, top, right + heatmap.CELL, bottom + heatmap.CELL))
    colours = {c for _, c in grid.getcolors(maxcolors=100_000) or []}
    assert not colours & set(heatmap.LEVELS)
    assert pixel(image, TODAY - timedelta(days=3)) == heatmap.EMPTY


def test_full_history_fills_every_day_up_to_today() -> None:
    days = [TODAY - timedelta(days=n) for n in range(16 * 7)]
    image = render(History(checkins=dict.fromkeys(days, 10)))
    assert pixel(image, TODAY) == heatmap.LEVELS[3]
    assert pixel(image, FIRST_MONDAY) == heatmap.LEVELS[3]
    assert pixel(image, TODAY + timedelta(days=1)) == heatmap.CARD  # the future is not drawn


def test_sparse_history_marks_rest_days_freezes_and_pauses() -> None:
    start = TODAY - timedelta(days=30)
    checked = {start + timedelta(days=n): n % 4 for n in range(8)}  # 8 days: a freeze earned
    checked[start + timedelta(days=9)] = 0  # day 8 missed: the freeze covers it
    pause = logic.Pause(start + timedelta(days=12), start + timedelta(days=14))
    history = History(checkins=checked, rest=[RestRule(start, logic.WEEKENDS_MASK)], pauses=[pause])
    image = render(history)
    assert pixel(image, start + timedelta(days=8)) == heatmap.FREEZE
    assert pixel(image, start + timedelta(days=1)) in heatmap.LEVELS
    paused_day = start + timedelta(days=13)
    if not history.is_rest(paused_day):
        offset = (paused_day - FIRST_MONDAY).days
        x, y = heatmap.cell_origin(offset // 7, offset % 7)
        assert image.getpixel((x, y + heatmap.CELL // 2)) == heatmap.PAUSE
    rest_day = next(
        d for d in logic.daterange(start + timedelta(days=16), TODAY) if d.weekday() == 5
    )
    offset = (rest_day - FIRST_MONDAY).days
    x, y = heatmap.cell_origin(offset // 7, offset % 7)
    centre = image.getpixel((x + heatmap.CELL // 2, y + heatmap.CELL // 2))
    assert centre == heatmap.REST_MARK


def test_readable_in_dark_and_light_themes() -> None:
    for colour in (heatmap.TEXT, heatmap.MUTED, heatmap.FREEZE):
        assert heatmap.contrast(colour, heatmap.CARD) >= 4.5, colour
    assert heatmap.contrast(heatmap.SNOWFLAKE, heatmap.FREEZE) >= 4.5
    # The card's edge stands out from Discord's background in both themes.
    for background in (heatmap.DISCORD_DARK, heatmap.DISCORD_LIGHT):
        assert (
            heatmap.contrast(heatmap.BORDER, background) >= 3.0
            or heatmap.contrast(heatmap.CARD, background) >= 3.0
        )


def test_busier_days_are_darker_in_steps_colour_blind_readers_can_tell_apart() -> None:
    """One hue, stepped by luminance alone: no level depends on telling red from green."""
    ramp = (heatmap.EMPTY, *heatmap.LEVELS)
    luminance = [heatmap.relative_luminance(c) for c in ramp]
    assert luminance == sorted(luminance, reverse=True)  # darker = busier
    for lighter, darker in itertools.pairwise(ramp):
        assert heatmap.contrast(lighter, darker) >= 1.6, (lighter, darker)
    hues = [colorsys.rgb_to_hls(*(v / 255 for v in c))[0] * 360 for c in heatmap.LEVELS]
    assert max(hues) - min(hues) <= 10, hues
    # Greyscale (what a reader without colour vision sees) keeps every level apart as well.
    greys = [round(heatmap.relative_luminance(c) * 255) for c in ramp]
    assert len(set(greys)) == len(greys)


def test_the_cards_corners_are_transparent() -> None:
    state = logic.compute(History(), TODAY)
    data = heatmap.render(state, {}, title="t", subtitle="s")
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGBA"
    width, height = image.size
    alpha = image.getchannel("A")
    assert alpha.getpixel((0, 0)) == 0 and alpha.getpixel((width - 1, height - 1)) == 0
    assert alpha.getpixel((width // 2, height // 2)) == 255


def test_drawn_at_twice_the_shown_size() -> None:
    width, height = heatmap.image_size()
    assert heatmap.SCALE == 2
    assert (width, height) == (410 * 2, (height // 2) * 2) and width >= 800
    days = [TODAY - timedelta(days=n) for n in range(7)]
    image = render(History(checkins=dict.fromkeys(days, 10)))
    x, y = heatmap.cell_origin(15, 0)
    # A cell is 30 pixels across: the colour fills it, not only a 15-pixel corner.
    assert image.getpixel((x + 24, y + 15)) == heatmap.LEVELS[3]
