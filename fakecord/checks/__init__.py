"""Hand-written checks of Discord's documented limits that the OpenAPI file lacks or gets wrong.

Each function returns a list of :class:`~fakecord.validation.SchemaProblem`; an empty list
means the body is fine. They never raise on odd shapes (schema validation reports those).
``messages`` checks message bodies, callbacks, modals and threads; ``commands`` checks command
definitions; :func:`check_request` picks the checks of one operation.
"""

from __future__ import annotations

from typing import Any

from ..validation import SchemaProblem
from .base import Path
from .commands import check_command, check_command_list, valid_command_name
from .messages import (
    ARCHIVE_DURATIONS,
    CONTENT_MAX,
    EMBED_TOTAL_MAX,
    EMBEDS_MAX,
    IS_COMPONENTS_V2,
    check_allowed_mentions,
    check_callback,
    check_message,
    check_modal,
    check_thread,
)

__all__ = [
    "ARCHIVE_DURATIONS",
    "CONTENT_MAX",
    "EMBEDS_MAX",
    "EMBED_TOTAL_MAX",
    "IS_COMPONENTS_V2",
    "Path",
    "check_allowed_mentions",
    "check_callback",
    "check_command",
    "check_command_list",
    "check_message",
    "check_modal",
    "check_request",
    "check_thread",
    "valid_command_name",
]


def check_request(method: str, template: str, body: Any) -> list[SchemaProblem]:
    """The hand-written checks that apply to one operation (method + spec path template)."""
    key = (method, template)
    if key in _MESSAGE_OPS:
        return check_message(body)
    if key == ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"):
        return check_callback(body)
    if key in _COMMAND_LIST_OPS:
        return check_command_list(body)
    if key in _COMMAND_OPS:
        return check_command(body, [])
    if key == ("POST", "/channels/{channel_id}/messages/{message_id}/threads"):
        return check_thread(body)
    if key == ("POST", "/channels/{channel_id}/threads"):
        return check_thread(body)
    if key == ("PATCH", "/channels/{channel_id}"):
        return check_thread(body, name_required=False)
    return []


_MESSAGE_OPS = {
    ("POST", "/channels/{channel_id}/messages"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
}
_COMMAND_LIST_OPS = {
    ("PUT", "/applications/{application_id}/commands"),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands"),
}
_COMMAND_OPS = {
    ("POST", "/applications/{application_id}/commands"),
    ("POST", "/applications/{application_id}/guilds/{guild_id}/commands"),
}
