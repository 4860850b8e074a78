"""The 16-week heatmap as a PNG (Pillow). Pure: a StreakState and the check-ins in, bytes out.

Readable in Discord's dark and light themes: the image carries its own opaque card (a dark
slate with a light border), so it never depends on the theme behind it; the text and the
activity greens keep a contrast ratio of at least 4.5 against the card, and the card's border
stands out against both Discord backgrounds (`tests/cogs/streaks/test_heatmap.py` checks this).
Missed days are plain empty cells: nothing red, nothing that shames.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from cogs.streaks import messages as m
from cogs.streaks.logic import HEATMAP_WEEKS, DayKind, HeatCell, StreakState, heatmap_cells

Color = tuple[int, int, int]

CARD: Color = (24, 26, 31)
BORDER: Color = (148, 155, 164)
TEXT: Color = (242, 243, 245)
MUTED: Color = (181, 186, 193)
EMPTY: Color = (52, 56, 64)
# Level 1 (checked in, no numbers) to 4 (a busy day).
LEVELS: tuple[Color, ...] = ((46, 160, 67), (63, 185, 80), (86, 211, 100), (126, 231, 135))
FREEZE: Color = (88, 166, 255)
PAUSE: Color = (188, 140, 255)
REST_MARK: Color = (139, 148, 158)
TODAY: Color = (255, 255, 255)
# Discord's own backgrounds, for the contrast checks.
DISCORD_DARK: Color = (49, 51, 56)
DISCORD_LIGHT: Color = (255, 255, 255)

CELL = 15
GAP = 4
PAD = 16
LABEL_W = 34
TITLE_H = 44
MONTH_H = 16
LEGEND_H = 30


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def image_size(weeks: int = HEATMAP_WEEKS) -> tuple[int, int]:
    # At least wide enough for the legend line.
    width = max(PAD * 2 + LABEL_W + weeks * (CELL + GAP) - GAP, 410)
    height = PAD * 2 + TITLE_H + MONTH_H + 7 * (CELL + GAP) - GAP + LEGEND_H
    return width, height


def cell_origin(week: int, weekday: int) -> tuple[int, int]:
    """Top-left pixel of a cell (tests read colours from here)."""
    x = PAD + LABEL_W + week * (CELL + GAP)
    y = PAD + TITLE_H + MONTH_H + weekday * (CELL + GAP)
    return x, y


def cell_fill(cell: HeatCell) -> Color | None:
    """The cell's colour; None for days after today (not drawn)."""
    if cell.future:
        return None
    if cell.kind is DayKind.CHECKED:
        return LEVELS[max(1, min(4, cell.level)) - 1]
    if cell.kind is DayKind.FROZEN:
        return FREEZE
    return EMPTY


def render(
    state: StreakState,
    checkins: Mapping[date, int],
    *,
    title: str,
    subtitle: str,
    weeks: int = HEATMAP_WEEKS,
) -> bytes:
    width, height = image_size(weeks)
    image = Image.new("RGB", (width, height), CARD)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=10, outline=BORDER, width=2)
    draw.text((PAD, PAD - 2), title, font=_font(15), fill=TEXT)
    draw.text((PAD, PAD + 20), subtitle, font=_font(12), fill=MUTED)

    columns = heatmap_cells(state, checkins, weeks)
    small = _font(10)
    previous_month = None
    for week, column in enumerate(columns):
        month = column[0].day.month
        if month != previous_month:
            x, y = cell_origin(week, 0)
            if week < weeks - 1:
                draw.text((x, y - MONTH_H), column[0].day.strftime("%b"), font=small, fill=MUTED)
            previous_month = month
        for weekday, cell in enumerate(column):
            _draw_cell(draw, week, weekday, cell, today=cell.day == state.today)
    for weekday, label in enumerate(m.HEATMAP_DAY_LABELS):
        if label:
            _, y = cell_origin(0, weekday)
            draw.text((PAD, y + 1), label, font=small, fill=MUTED)
    _draw_legend(draw, height)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()


def _draw_cell(
    draw: ImageDraw.ImageDraw, week: int, weekday: int, cell: HeatCell, *, today: bool
) -> None:
    fill = cell_fill(cell)
    x, y = cell_origin(week, weekday)
    box = (x, y, x + CELL - 1, y + CELL - 1)
    if fill is None:
        return
    draw.rounded_rectangle(box, radius=3, fill=fill)
    centre = (x + CELL // 2, y + CELL // 2)
    if cell.kind is DayKind.FROZEN:
        _snowflake(draw, centre)
    elif cell.kind in (DayKind.REST, DayKind.TRAVEL):
        cx, cy = centre
        draw.ellipse((cx - 2, cy - 2, cx + 2, cy + 2), fill=REST_MARK)
    elif cell.kind is DayKind.PAUSED:
        draw.rounded_rectangle(box, radius=3, outline=PAUSE, width=2)
    if today:
        draw.rounded_rectangle((x - 2, y - 2, x + CELL + 1, y + CELL + 1), radius=4, outline=TODAY)


def _snowflake(draw: ImageDraw.ImageDraw, centre: tuple[int, int]) -> None:
    cx, cy = centre
    draw.line((cx - 4, cy, cx + 4, cy), fill=TEXT, width=1)
    draw.line((cx, cy - 4, cx, cy + 4), fill=TEXT, width=1)
    draw.line((cx - 3, cy - 3, cx + 3, cy + 3), fill=TEXT, width=1)
    draw.line((cx - 3, cy + 3, cx + 3, cy - 3), fill=TEXT, width=1)


def _draw_legend(draw: ImageDraw.ImageDraw, height: int) -> None:
    font = _font(11)
    y = height - PAD - LEGEND_H + 12
    x = PAD + LABEL_W
    draw.text((x, y), m.HEATMAP_LESS, font=font, fill=MUTED)
    x += 30
    for colour in (EMPTY, *LEVELS):
        draw.rounded_rectangle((x, y, x + 11, y + 11), radius=2, fill=colour)
        x += 15
    draw.text((x + 2, y), m.HEATMAP_MORE, font=font, fill=MUTED)
    x += 48
    draw.rounded_rectangle((x, y, x + 11, y + 11), radius=2, fill=EMPTY)
    draw.ellipse((x + 4, y + 4, x + 7, y + 7), fill=REST_MARK)
    draw.text((x + 16, y), m.HEATMAP_REST, font=font, fill=MUTED)
    x += 50
    draw.rounded_rectangle((x, y, x + 11, y + 11), radius=2, fill=FREEZE)
    draw.text((x + 16, y), m.HEATMAP_FREEZE, font=font, fill=MUTED)
    x += 62
    draw.rounded_rectangle((x, y, x + 11, y + 11), radius=2, fill=EMPTY, outline=PAUSE, width=2)
    draw.text((x + 16, y), m.HEATMAP_PAUSED, font=font, fill=MUTED)


def relative_luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
