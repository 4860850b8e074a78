"""The REST endpoints a bot uses, with Discord's permission checks and error codes.

One module per resource (users and the application, commands, channels, messages, threads,
guilds, interactions and their webhooks); :class:`Handlers` gathers their routes for
:class:`~fakecord.rest.RestApi`. To add an endpoint, see ``fakecord/README.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..interactions import InteractionManager
from ..models import AnyChannel
from ..rest import HandlerFn
from ..state import DIRECT_MESSAGE_REACTIONS, GUILD_MEMBERS, GUILD_MESSAGE_REACTIONS, FakeState
from ..util import JSON
from .base import Endpoints, Route
from .channels import ChannelEndpoints
from .commands import CommandEndpoints
from .guilds import GuildEndpoints
from .interactions import InteractionEndpoints
from .messages import MessageEndpoints
from .threads import ThreadEndpoints
from .users import UserEndpoints

if TYPE_CHECKING:
    from ..gateway import GatewayHub

__all__ = [
    "DIRECT_MESSAGE_REACTIONS",
    "GUILD_MEMBERS",
    "GUILD_MESSAGE_REACTIONS",
    "JSON",
    "AnyChannel",
    "ChannelEndpoints",
    "CommandEndpoints",
    "Endpoints",
    "GuildEndpoints",
    "HandlerFn",
    "Handlers",
    "InteractionEndpoints",
    "MessageEndpoints",
    "Route",
    "ThreadEndpoints",
    "UserEndpoints",
]


class Handlers:
    """Every endpoint group of one emulator; ``routes()`` is what the REST server installs."""

    def __init__(self, state: FakeState, interactions: InteractionManager, hub: GatewayHub) -> None:
        self.state = state
        self.interactions = interactions
        self.hub = hub
        self.users = UserEndpoints(state, interactions, hub)
        self.commands = CommandEndpoints(state, interactions, hub)
        self.channels = ChannelEndpoints(state, interactions, hub)
        self.messages = MessageEndpoints(state, interactions, hub)
        self.threads = ThreadEndpoints(state, interactions, hub)
        self.guilds = GuildEndpoints(state, interactions, hub)
        self.interaction_webhooks = InteractionEndpoints(state, interactions, hub)

    @property
    def groups(self) -> list[Endpoints]:
        return [
            self.users,
            self.commands,
            self.channels,
            self.messages,
            self.threads,
            self.guilds,
            self.interaction_webhooks,
        ]

    @property
    def verify_key(self) -> str:
        return self.users.verify_key

    def routes(self) -> list[Route]:
        return [r for group in self.groups for r in group.routes()]
