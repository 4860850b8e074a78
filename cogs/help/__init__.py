from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Bot


async def setup(bot: Bot) -> None:
    from cogs.help.cog import HelpCog

    await bot.add_cog(HelpCog(bot))
