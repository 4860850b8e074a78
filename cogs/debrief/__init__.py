from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Bot


async def setup(bot: Bot) -> None:
    from cogs.debrief.cog import DebriefCog

    await bot.add_cog(DebriefCog(bot))
