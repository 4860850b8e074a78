"""/about: what Rebound is, how it is doing, and what it keeps about you."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot import features as registry
from bot.timekeeping.zone_data import zone_data_summary
from cogs.about.messages import (
    DESCRIPTION,
    FIELD_KEY,
    FIELD_LATENCY,
    FIELD_PRIVACY,
    FIELD_SERVERS,
    FIELD_UPTIME,
    FIELD_VERSION,
    FIELD_ZONE_DATA,
    KEY_LINES,
    NO_FEATURES,
    PRIVACY_NEVER,
    SUMMARY,
    TITLE,
)

if TYPE_CHECKING:
    from bot.app import Bot


def installed(extensions: list[str]) -> list[registry.Feature]:
    """The registered features among the loaded extensions, in the order they are described."""
    return registry.among(extensions)


def describe(features: list[registry.Feature]) -> str:
    blurbs = [f.blurb for f in features if f.blurb] or [NO_FEATURES]
    listed = ", ".join(blurbs[:-1]) + (" and " if len(blurbs) > 1 else "") + blurbs[-1]
    return DESCRIPTION.format(features=listed)


# An embed field's value holds at most 1,024 characters: the privacy lines of every feature
# are spread over as many fields as they need, whole lines each.
FIELD_LIMIT = 1024


def privacy(features: list[registry.Feature]) -> list[str]:
    chunks: list[str] = []
    for line in [*(f.privacy_line for f in features if f.privacy_line), PRIVACY_NEVER]:
        if chunks and len(chunks[-1]) + 1 + len(line) <= FIELD_LIMIT:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line[:FIELD_LIMIT])
    return chunks


def format_uptime(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] if days else []
    if days or hours:
        parts.append(f"{hours}h")
    parts.append(f"{minutes}m")
    return " ".join(parts)


def format_latency(seconds: float) -> str:
    if math.isnan(seconds) or math.isinf(seconds):
        return "measuring…"
    return f"{seconds * 1000:.0f} ms"


class AboutCog(commands.Cog):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @app_commands.command(
        name="about", description="What Rebound is, how it's doing, and what it stores."
    )
    async def about(self, interaction: discord.Interaction[Bot]) -> None:
        uptime = format_uptime(self.bot.clock.now() - self.bot.started_at)
        latency = format_latency(self.bot.latency)
        servers = len(self.bot.guilds)
        features = installed(list(self.bot.extensions))
        embed = discord.Embed(
            title=TITLE, description=describe(features), colour=discord.Colour.teal()
        )
        embed.add_field(name=FIELD_VERSION, value=__version__)
        embed.add_field(name=FIELD_UPTIME, value=uptime)
        embed.add_field(name=FIELD_LATENCY, value=latency)
        embed.add_field(name=FIELD_SERVERS, value=str(servers))
        embed.add_field(name=FIELD_ZONE_DATA, value=zone_data_summary())
        for n, chunk in enumerate(privacy(features)):
            embed.add_field(name=FIELD_PRIVACY if n == 0 else "\u200b", value=chunk, inline=False)
        if any(feature.keyed_pseudonyms for feature in features):
            embed.add_field(name=FIELD_KEY, value=KEY_LINES, inline=False)
        summary = SUMMARY.format(
            version=__version__,
            uptime=uptime,
            latency=latency,
            servers=servers,
            plural="" if servers == 1 else "s",
        )
        await interaction.response.send_message(summary, embed=embed, ephemeral=True)
