"""`python -m bot commands` and `locales`: the bot built offline, asked for its command tree."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from bot.clock import SystemClock
from bot.db import Store
from bot.settings import Settings


def print_commands(settings: Settings) -> int:
    payload = asyncio.run(command_payload(settings))
    print(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True))
    return 0


async def command_payload(settings: Settings) -> list[dict[str, Any]]:
    """Build the bot offline (in-memory store, no token) and ask its tree for the payload."""
    return await _with_offline_bot(settings, "payload")


async def _with_offline_bot(settings: Settings, what: str, feature: str | None = None) -> Any:
    from bot.app import Bot
    from bot.i18n import catalog_template
    from bot.scheduling import Scheduler

    logging.disable(logging.INFO)  # stdout must be only the JSON (or YAML)
    try:
        async with await Store.open(":memory:") as store:
            clock = SystemClock()
            bot = Bot(
                settings=settings,
                store=store,
                clock=clock,
                scheduler=Scheduler(store, clock),
                secret_key=b"offline-command-listing-needs-no-secret",
            )
            await bot.load_features()
            if what == "payload":
                result: Any = await bot.command_payload()
            else:
                result = catalog_template(
                    [
                        command
                        for command in bot.tree.get_commands()
                        if feature is None
                        or (command.module or "").split(".")[:2] == ["cogs", feature]
                    ]
                )
            await bot.close()
            return result
    finally:
        logging.disable(logging.NOTSET)


def print_locale_template(settings: Settings, feature: str | None = None) -> int:
    """The English catalog of a feature's command strings, as its locales/en.yaml holds it (of
    every command without a feature)."""
    import yaml

    catalog = asyncio.run(_with_offline_bot(settings, "catalog", feature))
    print(LOCALES_HEADER.format(feature=feature or "<feature>"), end="")
    print(yaml.safe_dump(catalog, sort_keys=False, allow_unicode=True, width=100), end="")
    return 0


LOCALES_HEADER = """\
# English strings of this feature's commands, options and choices, keyed by the command tree.
# Generated from the code by `python -m bot locales --feature {feature} >
# cogs/{feature}/locales/en.yaml`; a test checks that every command string has an entry. Copy it
# to <locale>.yaml (fr.yaml, pt-BR.yaml) beside it to translate.
"""
