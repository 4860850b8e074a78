"""Command names and descriptions go through the Translator, from each feature's locales/*.yaml."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import features as registry
from bot.app import Bot
from bot.clock import ManualClock
from bot.db import Store
from bot.i18n import CatalogError, CatalogTranslator, load_catalogs, tree_strings
from bot.scheduling import Scheduler
from fakecord import FakeDiscord
from tests.harness import harness_settings, running_bot

REGENERATE = "run `python -m bot locales --feature <name> > cogs/<name>/locales/en.yaml`"


def english() -> dict[str, Any]:
    """Every feature's locales/en.yaml, merged (as the bot loads them)."""
    merged: dict[str, Any] = {"commands": {}, "choices": {}}
    for feature in registry.discover():
        path = feature.folder / "locales" / "en.yaml"
        if path.exists():
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            merged["commands"].update(raw.get("commands") or {})
            merged["choices"].update(raw.get("choices") or {})
    return merged


@pytest.fixture
async def offline_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with await Store.open(":memory:") as store:
        clock = ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
        bot = Bot(
            settings=harness_settings(tmp_path),
            store=store,
            clock=clock,
            scheduler=Scheduler(store, clock),
            secret_key=b"i18n-test-needs-a-key-of-32-bytes-long",
        )
        await bot.load_features()
        yield bot
        await bot.close()


def en_lookup(catalog: dict[str, Any], path: str, what: str, option: str | None) -> Any:
    if what == "choice":
        return (catalog.get("choices") or {}).get(option)
    entry = (catalog.get("commands") or {}).get(path) or {}
    if option is not None:
        entry = ((entry.get("options") or {}).get(option)) or {}
    return entry.get(what)


async def test_every_command_string_has_an_english_entry(offline_bot: Bot) -> None:
    catalog = english()
    missing = []
    for path, what, option, text in tree_strings(offline_bot.tree.get_commands()):
        key_option = text if what == "choice" else option
        value = en_lookup(catalog, path, what, key_option)
        if not value:
            missing.append(f"{path} {option or ''} {what}".replace("  ", " "))
        elif what == "name":
            assert value == text, f"en.yaml renames {path} {option or ''}: {REGENERATE}"
    assert missing == [], f"no English entry for {missing}: {REGENERATE}"
    stale = set(catalog["commands"]) - {
        p for p, *_ in tree_strings(offline_bot.tree.get_commands())
    }
    assert stale == set(), f"en.yaml lists commands that no longer exist: {REGENERATE}"


async def test_a_catalog_becomes_localizations_in_the_payload(
    offline_bot: Bot, tmp_path: Path
) -> None:
    folder = tmp_path / "locales"
    folder.mkdir()
    (folder / "fr.yaml").write_text(
        yaml.safe_dump(
            {
                "commands": {
                    "about": {"name": "apropos", "description": "Ce qu'est Rebound."},
                    "privacy export": {"description": "Tout ce que Rebound garde sur vous."},
                }
            }
        )
    )
    (folder / "en.yaml").write_text(yaml.safe_dump(english()))
    await offline_bot.tree.set_translator(CatalogTranslator.from_folder(folder))
    payload = {c["name"]: c for c in await offline_bot.command_payload()}

    about = payload["about"]
    assert about["name_localizations"] == {"fr": "apropos"}
    assert about["description_localizations"] == {"fr": "Ce qu'est Rebound."}
    export = next(o for o in payload["privacy"]["options"] if o["name"] == "export")
    assert export["description_localizations"] == {"fr": "Tout ce que Rebound garde sur vous."}
    # English equals the code's own words, so it adds nothing to the payload.
    assert "en-US" not in about["description_localizations"]


def test_a_catalog_for_a_locale_discord_lacks_is_refused(tmp_path: Path) -> None:
    (tmp_path / "xx.yaml").write_text("commands: {}\n")
    with pytest.raises(CatalogError, match="xx"):
        load_catalogs(tmp_path)


def test_english_serves_both_english_locales() -> None:
    catalogs = load_catalogs(*(f.folder / "locales" for f in registry.discover()))
    assert catalogs["en-US"] is catalogs["en-GB"]
    assert catalogs["en-US"].command("about", "name") == "about"


async def test_the_cli_payload_is_exactly_what_the_bot_syncs(tmp_path: Path) -> None:
    from bot.__main__ import command_payload

    printed = await command_payload(harness_settings(tmp_path))
    async with FakeDiscord() as fake:
        fake.create_guild("Career Circle")
        async with running_bot(fake, data_dir=tmp_path / "run"):
            puts = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1
    assert puts[0].json == printed


def test_plural_picks_the_form_for_the_count() -> None:
    from bot.i18n import plural

    assert plural(1, "{count} story", "{count} stories") == "1 story"
    assert plural(0, "{count} story", "{count} stories") == "0 stories"
    assert plural(2, "one author is blocked", "{count} authors are blocked") == (
        "2 authors are blocked"
    )
