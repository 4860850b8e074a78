"""custom_id prefixes of all features never clash: each prefix belongs to one feature package."""

from __future__ import annotations

from typing import Any

from bot.app import Bot
from bot.clock import SystemClock
from bot.db import Store
from bot.scheduling import Scheduler
from bot.ui import FEATURE_PREFIXES
from tests.harness import harness_settings


async def loaded_bot(tmp_path: Any) -> tuple[Bot, Store]:
    store = await Store.open(":memory:")
    clock = SystemClock()
    bot = Bot(
        settings=harness_settings(tmp_path),
        store=store,
        clock=clock,
        scheduler=Scheduler(store, clock),
        secret_key=b"custom-id-test-key-custom-id-test-key",
    )
    await bot.load_features()
    return bot, store


def _prefix(pattern: str) -> str:
    return pattern.lstrip("^").split(":", 1)[0]


async def test_every_dynamic_item_uses_its_own_features_registered_prefix(tmp_path: Any) -> None:
    bot, store = await loaded_bot(tmp_path)
    try:
        items = bot._connection._view_store._dynamic_items  # the registry discord.py keeps
        assert items, "no feature registered a persistent component"
        owners: dict[str, set[str]] = {}
        for pattern, item in items.items():
            prefix = _prefix(pattern.pattern)
            assert prefix in FEATURE_PREFIXES, pattern.pattern
            assert pattern.pattern.lstrip("^").startswith(f"{prefix}:"), pattern.pattern
            owners.setdefault(prefix, set()).add(item.__module__.split(".")[1])
        for prefix, packages in owners.items():
            assert len(packages) == 1, f"{prefix}: shared by {sorted(packages)}"
        by_package: dict[str, set[str]] = {}
        for prefix, packages in owners.items():
            for package in packages:
                by_package.setdefault(package, set()).add(prefix)
        for package, prefixes in by_package.items():
            assert len(prefixes) == 1, f"{package} uses several prefixes: {sorted(prefixes)}"
    finally:
        await bot.close()
        await store.close()


async def test_every_autocomplete_callback_goes_through_safe_autocomplete(tmp_path: Any) -> None:
    """An unwrapped callback that raises would make discord.py log the member's id."""
    from discord import app_commands

    bot, store = await loaded_bot(tmp_path)
    try:
        found = 0
        for command in bot.tree.walk_commands():
            if not isinstance(command, app_commands.Command):
                continue
            for name, param in command._params.items():  # discord.py keeps callbacks here
                if param.autocomplete is None:
                    continue
                found += 1
                assert getattr(param.autocomplete, "__rebound_safe_autocomplete__", False), (
                    f"/{command.qualified_name} {name}: decorate it with bot.ui.safe_autocomplete"
                )
        assert found >= 3
    finally:
        await bot.close()
        await store.close()
