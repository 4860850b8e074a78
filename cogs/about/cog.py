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
# What each feature package in the build adds; /about names only the features installed.
FEATURE_BLURBS = {
    "affirmations": "a morning affirmation (and one by DM if you like)",
    "stories": "anonymous rejection stories",
    "encouragement": "peer encouragement threads",
    "streaks": "accountability streaks",
    "accountability": "weekly accountability check-ins",
}
DESCRIPTION = "Rebound helps this community get up again after a job rejection: {features}."
SUMMARY = "Rebound {version} · up {uptime} · latency {latency} · {servers} server{plural}"
PRIVACY_LINES = {
    "affirmations": (
        "• **Affirmation settings:** the channel, time, time zone and days a server chose; your "
        "own time and zone if you turn on affirmation DMs."
    ),
    "stories": (
        "• **Stories:** the text you share, posted without your name. Who wrote it is kept only "
        "as a keyed pseudonym — moderators can't read it back to you. Only if you ask for DMs "
        "about a story is your id also kept, encrypted, so the bot can message you."
    ),
    "encouragement": (
        "• **Encouragement:** your kind words and “me too”s under a keyed pseudonym, never your "
        "id; a word's text only until the author's digest has carried it."
    ),
    "streaks": (
        "• **Check-ins:** the dates, counts and notes you log, your streak choices (rest days, "
        "pauses, celebrations, leaderboard) and the /timezone you set, so days end at your "
        "midnight."
    ),
    "accountability": (
        "• **Weekly check-ins:** your day and time, and the goals, reviews and reflections you "
        "write."
    ),
}
PRIVACY_NEVER = (
    "• **Never:** message content you didn't send to Rebound, your member list, or your presence. "
    "Logs carry no names or story text."
)


def installed(extensions: list[str]) -> list[str]:
    """Feature package names among the loaded extensions, in the order they are described."""
    loaded = {name.removeprefix("cogs.") for name in extensions}
    return [feature for feature in FEATURE_BLURBS if feature in loaded]


def describe(features: list[str]) -> str:
    blurbs = [FEATURE_BLURBS[f] for f in features] or ["a calm place to start again"]
    listed = ", ".join(blurbs[:-1]) + (" and " if len(blurbs) > 1 else "") + blurbs[-1]
    return DESCRIPTION.format(features=listed)


def privacy(features: list[str]) -> str:
    return "\n".join([*(PRIVACY_LINES[f] for f in features if f in PRIVACY_LINES), PRIVACY_NEVER])


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
        embed.add_field(name="Version", value=__version__)
        embed.add_field(name="Up for", value=uptime)
        embed.add_field(name="Latency", value=latency)
        embed.add_field(name="Servers", value=str(servers))
        embed.add_field(name="What Rebound stores, and why", value=privacy(features), inline=False)
        summary = SUMMARY.format(
            version=__version__,
            uptime=uptime,
            latency=latency,
            servers=servers,
            plural="" if servers == 1 else "s",
        )
        await interaction.response.send_message(summary, embed=embed, ephemeral=True)
