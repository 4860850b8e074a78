"""The one place a failed command becomes a friendly, ephemeral sentence."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import UserFacingError

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

# Written for someone having a hard week: short, no blame, a way forward.
COOLDOWN = "Let’s take a breath — you can use that again in {seconds} seconds."
NO_PERMISSION = "That one is for people who can manage this server ({perms})."
BOT_NO_PERMISSION = (
    "I don’t have the permissions I need here ({perms}). A server admin can fix that."
)
GUILD_ONLY = "That command works inside a server, not in DMs."
BAD_INPUT = "I couldn’t use “{value}” for {option}. Could you check it and try again?"
NOT_ALLOWED = "That command isn’t available to you here."
INTERNAL = (
    "Something went wrong on my side — not yours. Please try again in a moment. "
    "If it keeps happening, share this reference with a server admin: {ref}."
)


def _perm_names(perms: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in perms)


#: Discord's answer to a response sent after the interaction's 3-second deadline.
UNKNOWN_INTERACTION = 10062


def message_for(error: BaseException) -> tuple[str, str | None]:
    """The member-facing sentence for an error, and a reference code when it was our fault."""
    original = getattr(error, "original", None)
    # Raised by a command (wrapped in CommandInvokeError), a transformer (TransformerError, as
    # its cause), a view or a modal (as is).
    for candidate in (error, original, error.__cause__):
        if isinstance(candidate, UserFacingError):
            return candidate.message, None
    if isinstance(error, app_commands.CommandOnCooldown):
        return COOLDOWN.format(seconds=max(1, round(error.retry_after))), None
    if isinstance(error, app_commands.MissingPermissions):
        return NO_PERMISSION.format(perms=_perm_names(error.missing_permissions)), None
    if isinstance(error, app_commands.BotMissingPermissions):
        return BOT_NO_PERMISSION.format(perms=_perm_names(error.missing_permissions)), None
    if isinstance(error, app_commands.NoPrivateMessage):
        return GUILD_ONLY, None
    if isinstance(error, app_commands.TransformerError):
        option = getattr(error.transformer, "_error_display_name", None) or "that option"
        return BAD_INPUT.format(value=str(error.value)[:100], option=option), None
    if isinstance(error, app_commands.CheckFailure):
        return NOT_ALLOWED, None
    return INTERNAL.format(ref=secrets.token_hex(3).upper()), "internal"


class ReboundTree(app_commands.CommandTree["Bot"]):
    async def on_error(
        self, interaction: discord.Interaction[Bot], error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command.qualified_name if interaction.command else "unknown"
        await report_error(interaction, error, where=f"Command /{command}")


async def report_error(
    interaction: discord.Interaction[Any], error: BaseException, *, where: str
) -> None:
    """The one error path: commands, buttons, selects, modals and autocomplete all end here.

    The member gets one friendly sentence (privately); the log gets the detail with a reference
    code, and never who it was, where, or what they typed. `where` names the code path only
    (such as "Command /affirmations setup" or "Button aff:list").
    """
    original = getattr(error, "original", error)
    if isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION:
        # Too late to answer (and so to explain): the member saw "interaction failed".
        log.warning("%s answered after Discord's 3-second deadline", where)
        return
    text, kind = message_for(error)
    if kind == "internal":
        ref = text.rsplit(": ", 1)[-1].rstrip(".")
        log.error("%s failed (ref %s)", where, ref, exc_info=getattr(error, "original", error))
    else:
        refusal = error.__cause__ if isinstance(error.__cause__, UserFacingError) else original
        log.info("%s refused: %s", where, type(refusal).__name__)
    if interaction.type is discord.InteractionType.autocomplete:
        return  # nothing can be shown for a failed autocomplete; the member keeps typing
    await send_ephemeral(interaction, text)


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Reply privately whether or not the interaction was already answered or deferred."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException as exc:
        log.warning("Could not deliver an error reply (HTTP %s)", exc.status)
