"""Shared UI: checks, base View/Modal with the friendly error path, forms answered across
restarts, autocomplete answers within Discord's limits, a pager, custom_id prefixes and Discord
timestamps."""

from __future__ import annotations

from bot.ui.autocomplete import MAX_CHOICES, choices, safe_autocomplete
from bot.ui.checks import (
    POST,
    POST_EMBEDS,
    POST_PRIVATE_THREADS,
    can_post,
    guild_only,
    is_manager,
    manager_permissions,
    missing_to_post,
    require_manage_guild,
)
from bot.ui.custom_ids import FEATURE_PREFIXES, custom_id
from bot.ui.modals import ModalRouter, PersistentModal
from bot.ui.pager import PAGE_SIZE, page_count, page_items, pager_view
from bot.ui.timestamps import TimestampStyle, discord_timestamp
from bot.ui.views import (
    BaseModal,
    BaseView,
    PersistentButton,
    guarded_callback,
    handler_of,
    label_of,
)

__all__ = [
    "FEATURE_PREFIXES",
    "MAX_CHOICES",
    "PAGE_SIZE",
    "POST",
    "POST_EMBEDS",
    "POST_PRIVATE_THREADS",
    "BaseModal",
    "BaseView",
    "ModalRouter",
    "PersistentButton",
    "PersistentModal",
    "TimestampStyle",
    "can_post",
    "choices",
    "custom_id",
    "discord_timestamp",
    "guarded_callback",
    "guild_only",
    "handler_of",
    "is_manager",
    "label_of",
    "manager_permissions",
    "missing_to_post",
    "page_count",
    "page_items",
    "pager_view",
    "require_manage_guild",
    "safe_autocomplete",
]
