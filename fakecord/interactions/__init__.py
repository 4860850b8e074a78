"""Interactions: building INTERACTION_CREATE payloads the way Discord does, and the server side of
callbacks, ``@original`` and followups (deadline, 15-minute tokens, 40060 on a second ack).

``model`` (types, ``PendingInteraction``), ``result`` (``InteractionResult``), ``payloads`` and
``options`` (what the bot receives), ``components`` (buttons, selects, modals), ``manager`` (create,
look up, callback) and ``responses`` (the original response and followups).
"""

from ..messages import ATTACHMENT_SIZE_LIMIT, EPHEMERAL, LOADING, WEBHOOK_DEFAULT_PARSE
from ..models import AnyChannel
from ..util import JSON
from .components import find_component, modal_submission, walk_components
from .manager import InteractionManager
from .model import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    OPTION_TYPES,
    PING,
    TOKEN_LIFETIME,
    FakeFile,
    InvocationError,
    PendingInteraction,
)
from .options import MAX_SAFE_INTEGER, MAX_STRING_OPTION, build_command_options
from .payloads import Resolver, channel_payload, member_payload, resolved_channel
from .responses import ResponseMessages
from .result import InteractionResult, files_of

__all__ = [
    "ALLOWED_CALLBACKS",
    "APPLICATION_COMMAND",
    "ATTACHMENT_SIZE_LIMIT",
    "AUTOCOMPLETE",
    "EPHEMERAL",
    "JSON",
    "LOADING",
    "MAX_SAFE_INTEGER",
    "MAX_STRING_OPTION",
    "MESSAGE_COMPONENT",
    "MODAL_SUBMIT",
    "OPTION_TYPES",
    "PING",
    "TOKEN_LIFETIME",
    "WEBHOOK_DEFAULT_PARSE",
    "AnyChannel",
    "FakeFile",
    "InteractionManager",
    "InteractionResult",
    "InvocationError",
    "PendingInteraction",
    "Resolver",
    "ResponseMessages",
    "build_command_options",
    "channel_payload",
    "files_of",
    "find_component",
    "member_payload",
    "modal_submission",
    "resolved_channel",
    "walk_components",
]
