"""Acting as a person in Discord's app: slash commands and autocomplete, buttons and selects,
modals. Each sends an interaction to the bot through the :class:`InteractionSender`."""

from .commands import SlashCommands
from .components import Components
from .modals import Modals
from .sender import Acting, InteractionSender

__all__ = ["Acting", "Components", "InteractionSender", "Modals", "SlashCommands"]
