"""Discord timestamps: `<t:unix:style>`, shown in each reader's own time zone and language."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from bot.timekeeping import require_aware

__all__ = ["TimestampStyle", "discord_timestamp"]

# t 16:20 · T 16:20:30 · d 20/04/2021 · D 20 April 2021 · f 20 April 2021 16:20 ·
# F Tuesday, 20 April 2021 16:20 · R in 2 hours
TimestampStyle = Literal["t", "T", "d", "D", "f", "F", "R"]


def discord_timestamp(instant: datetime, style: TimestampStyle = "f") -> str:
    return f"<t:{int(require_aware(instant, 'instant').timestamp())}:{style}>"
