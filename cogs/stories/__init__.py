from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Bot


async def setup(bot: Bot) -> None:
    from cogs.stories.admin import StoriesAdminCog
    from cogs.stories.cog import StoriesCog
    from cogs.stories.comeback_cog import ComebackCog

    stories = StoriesCog(bot)
    await bot.add_cog(stories)
    await bot.add_cog(StoriesAdminCog(stories.service, stories.moderation))
    await bot.add_cog(ComebackCog(stories.service, stories.comebacks))
