"""The 16-week heatmap as a PNG (Pillow). Pure: a StreakState and the check-ins in, bytes out.

Darker green = a busier day, on a light card, as the guide says. The levels are one hue (a
green) in steps of luminance, so they read apart for colour-blind readers and in greyscale too:
each level is at least 1.6 times the contrast of the one before (from the empty cell up;
`tests/cogs/streaks/test_heatmap.py` checks the steps and the single hue).

Readable in Discord's dark and light themes: the image carries its own opaque card with a
border that stands out against both backgrounds, and the text keeps a contrast ratio of at
least 4.5 against the card. Drawn at twice the size it is shown (``SCALE``), so it stays sharp
on high-density screens. Missed days are plain empty cells: nothing red, nothing that shames.
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

CARD: Color = (255, 255, 255)
BORDER: Color = (120, 128, 138)
TEXT: Color = (31, 35, 40)
MUTED: Color = (87, 96, 106)
EMPTY: Color = (235, 237, 240)
# Level 1 (checked in, no numbers) to 4 (a busy day): one green, darker with each level.
LEVELS: tuple[Color, ...] = ((67, 201, 105), (42, 145, 71), (29, 99, 49), (16, 55, 27))
FREEZE: Color = (9, 105, 218)
SNOWFLAKE: Color = (255, 255, 255)
PAUSE: Color = (130, 80, 223)
REST_MARK: Color = (110, 119, 129)
TODAY: Color = TEXT
# Discord's own backgrounds, for the contrast checks.
DISCORD_DARK: Color = (49, 51, 56)
DISCORD_LIGHT: Color = (255, 255, 255)

#: Pixels per point: drawn at 2x for high-density screens (Discord shows it scaled down).
SCALE = 2
CELL = 15 * SCALE
GAP = 4 * SCALE
PAD = 16 * SCALE
LABEL_W = 34 * SCALE
TITLE_H = 44 * SCALE
MONTH_H = 16 * SCALE
LEGEND_H = 30 * SCALE
MIN_WIDTH = 410 * SCALE


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _px(points: int) -> int:
    return points * SCALE


def image_size(weeks: int = HEATMAP_WEEKS) -> tuple[int, int]:
    # At least wide enough for the legend line.
    width = max(PAD * 2 + LABEL_W + weeks * (CELL + GAP) - GAP, MIN_WIDTH)
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
    # Transparent outside the card's rounded corners: the theme behind shows there, not a
    # square of the card's colour.
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, width - 1, height - 1), radius=_px(10), fill=CARD, outline=BORDER, width=_px(2)
    )
    draw.text((PAD, PAD - _px(2)), title, font=_font(_px(15)), fill=TEXT)
    draw.text((PAD, PAD + _px(20)), subtitle, font=_font(_px(12)), fill=MUTED)

    columns = heatmap_cells(state, checkins, weeks)
    small = _font(_px(10))
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
            draw.text((PAD, y + _px(1)), label, font=small, fill=MUTED)
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
    draw.rounded_rectangle(box, radius=_px(3), fill=fill)
    centre = (x + CELL // 2, y + CELL // 2)
    if cell.kind is DayKind.FROZEN:
        _snowflake(draw, centre)
    elif cell.kind in (DayKind.REST, DayKind.TRAVEL):
        cx, cy = centre
        r = _px(2)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=REST_MARK)
    elif cell.kind is DayKind.PAUSED:
        draw.rounded_rectangle(box, radius=_px(3), outline=PAUSE, width=_px(2))
    if today:
        edge = _px(2)
        draw.rounded_rectangle(
            (x - edge, y - edge, x + CELL - 1 + edge, y + CELL - 1 + edge),
            radius=_px(4),
            outline=TODAY,
            width=SCALE,
        )


def _snowflake(draw: ImageDraw.ImageDraw, centre: tuple[int, int]) -> None:
    cx, cy = centre
    a, b = _px(4), _px(3)
    for line in (
        (cx - a, cy, cx + a, cy),
        (cx, cy - a, cx, cy + a),
        (cx - b, cy - b, cx + b, cy + b),
        (cx - b, cy + b, cx + b, cy - b),
    ):
        draw.line(line, fill=SNOWFLAKE, width=SCALE)


def _draw_legend(draw: ImageDraw.ImageDraw, height: int) -> None:
    font = _font(_px(11))
    y = height - PAD - LEGEND_H + _px(12)
    x = PAD + LABEL_W
    size, step = _px(11), _px(15)
    draw.text((x, y), m.HEATMAP_LESS, font=font, fill=MUTED)
    x += _px(30)
    for colour in (EMPTY, *LEVELS):
        draw.rounded_rectangle((x, y, x + size, y + size), radius=_px(2), fill=colour)
        x += step
    draw.text((x + _px(2), y), m.HEATMAP_MORE, font=font, fill=MUTED)
    x += _px(48)
    draw.rounded_rectangle((x, y, x + size, y + size), radius=_px(2), fill=EMPTY)
    dot = (x + _px(4), y + _px(4), x + _px(7), y + _px(7))
    draw.ellipse(dot, fill=REST_MARK)
    draw.text((x + _px(16), y), m.HEATMAP_REST, font=font, fill=MUTED)
    x += _px(50)
    draw.rounded_rectangle((x, y, x + size, y + size), radius=_px(2), fill=FREEZE)
    draw.text((x + _px(16), y), m.HEATMAP_FREEZE, font=font, fill=MUTED)
    x += _px(62)
    draw.rounded_rectangle(
        (x, y, x + size, y + size), radius=_px(2), fill=EMPTY, outline=PAUSE, width=_px(2)
    )
    draw.text((x + _px(16), y), m.HEATMAP_PAUSED, font=font, fill=MUTED)


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
