"""/about: what Rebound is, how it is doing, and what it keeps about you."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__

if TYPE_CHECKING:
    from bot.app import Bot

TITLE = "About Rebound"
DESCRIPTION = (
    "Rebound helps this community get up again after a job rejection: a morning affirmation, "
    "anonymous stories with encouragement threads, and gentle check-ins."
)
SUMMARY = "Rebound {version} · up {uptime} · latency {latency} · {servers} server{plural}"
PRIVACY = (
    "• **Affirmation settings:** the channel, time, time zone and days a server chose; your own "
    "time and zone if you turn on affirmation DMs.\n"
    "• **Stories:** the text you share, posted without your name. Who wrote it is kept only as a "
    "keyed pseudonym — moderators can't read it back to you. Only if you ask for DMs about a "
    "story is your id also kept, encrypted, so the bot can message you.\n"
    "• **Check-ins:** the dates and counts you log, so streaks can be worked out.\n"
    "• **Never:** message content you didn't send to Rebound, your member list, or your presence. "
    "Logs carry no names or story text."
)


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
        embed = discord.Embed(title=TITLE, description=DESCRIPTION, colour=discord.Colour.teal())
        embed.add_field(name="Version", value=__version__)
        embed.add_field(name="Up for", value=uptime)
        embed.add_field(name="Latency", value=latency)
        embed.add_field(name="Servers", value=str(servers))
        embed.add_field(name="What Rebound stores, and why", value=PRIVACY, inline=False)
        summary = SUMMARY.format(
            version=__version__,
            uptime=uptime,
            latency=latency,
            servers=servers,
            plural="" if servers == 1 else "s",
        )
        await interaction.response.send_message(summary, embed=embed, ephemeral=True)
