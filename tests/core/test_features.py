"""One registration per feature: every registered feature declares every part it needs, and a
new feature written in its own folder only is registered, set up, helped, exported and deleted."""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from discord import app_commands

import cogs
from bot import features as registry
from bot.app import Bot
from bot.clock import ManualClock
from bot.db import Store
from bot.i18n import load_catalogs, tree_strings
from bot.permissions import FLAG_ORDER, needed
from bot.privacy import Subject
from bot.scheduling import Scheduler
from bot.ui import FEATURE_PREFIXES
from cogs.help.content import load_help
from cogs.privacy import messages as privacy_messages
from tests.harness import harness_settings, running_bot

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _owner(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == registry.FEATURES_PACKAGE else None


def _commands(bot: Bot) -> Iterator[tuple[str, str]]:
    """(full command name, feature package that defines it) for every slash command."""

    def walk(command: Any) -> Iterator[tuple[str, str]]:
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                yield from walk(child)
        elif isinstance(command, app_commands.Command):
            owner = _owner(command.module or "")
            assert owner is not None, command.qualified_name
            yield command.qualified_name, owner

    for command in bot.tree.get_commands():
        yield from walk(command)


def owned_roots(bot: Bot, feature: str) -> list[Any]:
    """The feature's top-level commands and groups."""
    return [c for c in bot.tree.get_commands() if _owner(c.module or "") == feature]


def missing_parts(bot: Bot, deleted_from: dict[str, str] | None = None) -> list[str]:
    """What the loaded features lack of what their declaration says (or their code needs).
    `deleted_from`: table -> provider, the tables a member's deletion reported."""
    deleted_from = deleted_from or {}
    problems: list[str] = []
    loaded = registry.among(bot.extensions)
    by_name = {f.name: f for f in loaded}
    content = load_help(bot.settings.content_dir / "help.yaml")
    for feature in loaded:
        own_help = (
            load_help(bot.settings.content_dir / "help.yaml", [feature]).commands
            if feature.help_path is not None and feature.help_path.exists()
            else {}
        )
        for name, owner in _commands(bot):
            if owner == feature.name and name not in own_help:
                problems.append(f"{feature.name}: /{name} has no entry in its help.yaml")
        english = feature.folder / "locales" / "en.yaml"
        catalog = load_catalogs(english.parent)["en-US"] if english.exists() else None
        for path, what, option, text in tree_strings(owned_roots(bot, feature.name)):
            if what == "choice":
                found = catalog.choice(text) if catalog else None
            elif option is None:
                found = catalog.command(path, what) if catalog else None
            else:
                found = catalog.option(path, option, what) if catalog else None
            if not found:
                problems.append(f"{feature.name}: no English {what} for {path} in its locales")
                break
        for permission in feature.permissions:
            if permission.flag not in FLAG_ORDER or not permission.why.strip():
                problems.append(f"{feature.name}: permission {permission.flag!r} needs a reason")
        if feature.blurb and not feature.privacy_line:
            problems.append(f"{feature.name}: /about describes it but not what it stores")
        if feature.privacy_line and not feature.privacy_provider:
            problems.append(f"{feature.name}: a privacy line but no privacy provider")
        if feature.setup is not None and feature.name not in bot.setup_pages.names():
            problems.append(f"{feature.name}: declares a /setup part but its cog never adds it")
    for part in bot.setup_pages.parts():
        for setting in part.settings:
            if not (setting.label and setting.page):
                problems.append(f"/setup {setting.key} needs a label and page")
        for spec in feature.settings:
            if not spec.low <= spec.default <= spec.high:
                problems.append(f"{feature.name}: setting {spec.key} has its default out of range")
    # Jobs: every kind the scheduler runs is declared by the feature that registered it.
    declared_jobs = {kind: f.name for f in loaded for kind in f.jobs}
    registered_jobs = set(bot.scheduler._handlers)
    for kind in sorted(registered_jobs - set(declared_jobs)):
        problems.append(f"job kind {kind!r} is registered but no feature declares it")
    for kind in sorted(set(declared_jobs) - registered_jobs):
        problems.append(f"{declared_jobs[kind]}: declares job kind {kind!r} but never registers it")
    # Privacy: each provider is declared, each declared provider registered.
    providers = {p.feature: type(p).__module__ for p in bot.privacy.all()}
    declared_providers = {f.privacy_provider: f.name for f in loaded if f.privacy_provider}
    for name, module in sorted(providers.items()):
        if declared_providers.get(name) != _owner(module):
            problems.append(f"privacy provider {name!r} ({module}) is not declared by its feature")
    for name, feature_name in sorted(declared_providers.items()):
        if name not in providers:
            problems.append(f"{feature_name}: declares privacy provider {name!r}, none registered")
    # What /privacy delete tells a member: every table a provider deletes from is named.
    named = {**privacy_messages.ROW_NAMES, **registry.row_names()}
    for table in sorted(set(deleted_from) - set(named)):
        problems.append(f"{deleted_from[table]}: /privacy delete has no words for {table!r}")
    # custom_ids: every persistent component and form uses its own feature's declared prefix.
    items = bot._connection._view_store._dynamic_items  # the registry discord.py keeps
    templates = [(p.pattern, item.__module__) for p, item in items.items()]
    templates += [(p.pattern, m.__module__) for p, m in bot.modals._classes.items()]
    for pattern, module in templates:
        declared = by_name.get(_owner(module) or "")
        prefix = re.sub(r"^[\^(?:]+", "", pattern).split(":", 1)[0]
        if declared is None or declared.prefix != prefix:
            problems.append(f"{module}: custom_id {pattern!r} is not its feature's prefix")
    # Every pillar a feature files commands under is one /help knows.
    pillars = {p.key for p in content.pillars}
    problems += [
        f"/help: {n} is under an unknown pillar"
        for n, c in content.commands.items()
        if c.pillar not in pillars
    ]
    return problems


@pytest.fixture
async def offline_bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with await Store.open(":memory:") as store:
        clock = ManualClock(START)
        bot = Bot(
            settings=harness_settings(tmp_path),
            store=store,
            clock=clock,
            scheduler=Scheduler(store, clock),
            secret_key=b"feature-registry-test-key-0123456789",
        )
        await bot.load_features()
        yield bot
        await bot.close()


def test_every_feature_package_declares_itself() -> None:
    packages = sorted(
        p.name for p in Path(cogs.__path__[0]).iterdir() if (p / "__init__.py").exists()
    )
    assert sorted(f.name for f in registry.discover()) == packages
    assert FEATURE_PREFIXES["acct"] == "weekly accountability check-ins"


async def deleted_tables(bot: Bot) -> dict[str, str]:
    """table -> provider, for every table a member's /privacy delete reports on (asked for a
    member id nobody has, so nothing is removed)."""
    subject = Subject(user_id=1, guild_ids=[2], pseudonym=bot.anonymizer.pseudonym)
    found: dict[str, str] = {}
    async with bot.store.transaction() as conn:
        for provider in bot.privacy.all():
            for table in await provider.delete(conn, subject):
                found[table] = provider.feature
    return found


async def test_every_registered_feature_has_every_part_it_needs(offline_bot: Bot) -> None:
    assert missing_parts(offline_bot, await deleted_tables(offline_bot)) == []


# -- a feature written in its own folder, and nowhere else --------------------------------------

JOURNAL = {
    "__init__.py": """
        from __future__ import annotations

        from typing import Any


        async def setup(bot: Any) -> None:
            from cogs.journal.cog import JournalCog

            await bot.add_cog(JournalCog(bot))
    """,
    "messages.py": """
        ABOUT_BLURB = "a private journal"
        PRIVACY_LINE = "• **Journal:** the lines you write, until you delete them."
        GROUP = "Your private journal."
        WRITE = "Write a line in your journal."
        SAVED = "Saved. Be gentle with yourself today."
        NUDGE = "A gentle nudge: a line in your journal can help."
        SETUP_PAGE = "Journal"
        SETUP_CHANNEL = "Journal channel"
        ENTRY = ("journal entry", "journal entries")
    """,
    "feature.py": """
        from __future__ import annotations

        from typing import Any

        from bot.features import Feature, FeatureSetting, Permission
        from cogs.journal import messages


        def setup_part(service: Any) -> Any:
            from cogs.journal.cog import setup_part as build

            return build(service)


        FEATURE = Feature(
            name="journal",
            order=55,
            prefix="jrnl",
            prefix_for="a private journal",
            permissions=(Permission("attach_files", "the journal's nudges come with a picture"),),
            blurb=messages.ABOUT_BLURB,
            privacy_line=messages.PRIVACY_LINE,
            privacy_provider="journal",
            row_names={"journal_entries": messages.ENTRY},
            setup=setup_part,
            jobs=("journal.nudge",),
            settings=(FeatureSetting("journal_nudge_minutes", low=1, high=600, default=60),),
        )
    """,
    "help.yaml": """
        pillar:
          key: journal
          title: "📓 Journal"
        commands:
          "journal write":
            pillar: journal
            text: "Write a line only you can read."
    """,
    "locales/en.yaml": """
        commands:
          journal:
            name: journal
            description: Your private journal.
          journal write:
            name: write
            description: Write a line in your journal.
            options:
              text:
                name: text
                description: text
    """,
    "migrations/0001_journal_entries.sql": """
        -- The journal's lines and where its nudges go.
        -- Portable SQL: Discord ids need BIGINT on PostgreSQL (SQLite reads it as INTEGER).
        CREATE TABLE journal_entries (
            guild_id BIGINT NOT NULL,
            user_id BIGINT NOT NULL,
            text TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE journal_settings (
            guild_id BIGINT PRIMARY KEY,
            channel_id BIGINT NOT NULL
        );
    """,
    "cog.py": """
        from __future__ import annotations

        from datetime import datetime, timedelta
        from typing import Any

        import discord
        from discord import app_commands
        from discord.ext import commands

        from bot.privacy import delete_rows, fetch_rows
        from bot.setup_pages import POSTING, Setting, SetupPart
        from bot.timekeeping import Occurrence
        from cogs.journal import messages
        from cogs.journal.feature import FEATURE

        KIND = "journal.nudge"


        def setup_part(store: Any) -> SetupPart:
            async def read(guild_id: int) -> int | None:
                row = await store.fetchone(
                    "SELECT channel_id FROM journal_settings WHERE guild_id = ?", (guild_id,)
                )
                return int(row["channel_id"]) if row else None

            async def write(guild_id: int, channel_id: Any) -> str | None:
                await store.execute(
                    "INSERT INTO journal_settings (guild_id, channel_id) VALUES (?, ?) "
                    "ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id",
                    (guild_id, int(channel_id)),
                )
                return None

            setting = Setting(
                "journal_channel", messages.SETUP_CHANNEL, messages.SETUP_PAGE, "channel",
                read, write, needs=POSTING,
            )
            return SetupPart(settings=(setting,))


        class NudgeJob:
            kind = KIND

            def __init__(self, bot: Any) -> None:
                self.bot = bot

            def next_occurrence(self, rule: Any, after: datetime) -> Occurrence | None:
                at = datetime.fromisoformat(rule["at"])
                return Occurrence(at, rule["at"]) if after < at else None

            def grace(self, rule: Any) -> timedelta:
                return timedelta(hours=1)

            async def run(self, run: Any) -> tuple[str, str | None]:
                row = await self.bot.store.fetchone(
                    "SELECT channel_id FROM journal_settings WHERE guild_id = ?", (int(run.key),)
                )
                await self.bot.sender.send(
                    int(row["channel_id"]), nonce=run.nonce, guild_id=int(run.key),
                    content=messages.NUDGE,
                )
                return "done", None


        class JournalData:
            feature = "journal"
            tables = ("journal_entries", "journal_settings")

            async def export(self, conn: Any, subject: Any) -> dict[str, Any]:
                rows = await fetch_rows(
                    conn, "SELECT guild_id, text, created_at FROM journal_entries "
                    "WHERE user_id = ?", (subject.user_id,)
                )
                return {"journal_entries": rows}

            async def delete(self, conn: Any, subject: Any) -> dict[str, int]:
                n = await delete_rows(
                    conn, "DELETE FROM journal_entries WHERE user_id = ?", (subject.user_id,)
                )
                return {"journal_entries": n}

            async def delete_guild(self, conn: Any, guild_id: int) -> dict[str, int]:
                return {
                    table: await delete_rows(
                        conn, f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,)
                    )
                    for table in self.tables
                }


        class JournalCog(commands.Cog):
            journal = app_commands.Group(name="journal", description=messages.GROUP)

            def __init__(self, bot: Any) -> None:
                self.bot = bot
                self.job = NudgeJob(bot)
                self.data = JournalData()

            async def cog_load(self) -> None:
                self.bot.scheduler.register(self.job)
                self.bot.privacy.register(self.data)
                self.bot.setup_pages.add(FEATURE, self.bot.store)

            async def cog_unload(self) -> None:
                self.bot.scheduler.unregister(KIND)
                self.bot.privacy.unregister(self.data.feature)
                self.bot.setup_pages.remove(FEATURE)

            @journal.command(name="write", description=messages.WRITE)
            async def write(self, interaction: discord.Interaction[Any], text: str) -> None:
                assert interaction.guild_id is not None
                now = self.bot.clock.now()
                minutes = self.bot.settings.feature("journal_nudge_minutes")
                at = (now + timedelta(minutes=minutes)).isoformat()
                async with self.bot.store.transaction() as conn:
                    await conn.execute(
                        "INSERT INTO journal_entries (guild_id, user_id, text, created_at) "
                        "VALUES (?, ?, ?, ?)",
                        (interaction.guild_id, interaction.user.id, text, int(now.timestamp())),
                    )
                    await self.bot.scheduler.put_job(
                        conn, KIND, str(interaction.guild_id), {"at": at}
                    )
                await interaction.response.send_message(messages.SAVED, ephemeral=True)
    """,
}


@pytest.fixture
def journal_feature(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The journal written into a folder of its own, which the features package also reads."""
    folder = tmp_path / "more_features" / "journal"
    for name, text in JOURNAL.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.setattr(cogs, "__path__", [*cogs.__path__, str(folder.parent)])
    yield folder
    for name in [m for m in sys.modules if m == "cogs.journal" or m.startswith("cogs.journal.")]:
        del sys.modules[name]
    if hasattr(cogs, "journal"):
        delattr(cogs, "journal")


def fields(result: Any) -> dict[str, str]:
    return {f["name"]: f["value"] for f in result.embeds[0]["fields"]}


async def test_a_feature_in_its_own_folder_is_registered_set_up_helped_exported_and_deleted(
    world: Any, tmp_path: Path, journal_feature: Path
) -> None:
    journal = registry.by_name("journal")
    assert journal is not None and journal.folder == journal_feature
    assert FEATURE_PREFIXES["jrnl"] == "a private journal"
    assert ("attach_files", "the journal's nudges come with a picture") in needed(["journal"])
    data = tmp_path / "data"
    data.mkdir()
    async with running_bot(world.fake, data_dir=data, now=START) as app:
        assert missing_parts(app.bot, await deleted_tables(app.bot)) == []
        # Set up: its page in /setup, saved through its own code.
        flow = await world.fake.invoke(world.mod, world.channel, "setup")
        for _ in range(5):
            if "Journal" in flow.embeds[0]["title"]:
                break
            flow = await world.fake.click(world.mod, flow.message, label="Next ›")
        assert "Journal" in flow.embeds[0]["title"]
        chosen = await world.fake.select(
            world.mod, flow.message, custom_id="setup:pick:journal_channel", values=[world.channel]
        )
        assert "✅ Saved: Journal channel" in chosen.embeds[0]["description"]
        # Helped: /help lists its command under its pillar, in its words.
        helped = await world.fake.invoke(world.alice, world.channel, "help")
        assert "Write a line only you can read." in fields(helped)["📓 Journal"]
        about = await world.fake.invoke(world.alice, world.channel, "about")
        assert "a private journal" in about.embeds[0]["description"]
        assert "**Journal:**" in fields(about)["What Rebound stores, and why"]
        # Its command, its table and its job (at the time its own setting says).
        wrote = await world.fake.invoke(world.alice, world.channel, "journal write", text="hi")
        assert wrote.ephemeral and wrote.content.startswith("Saved.")
        await app.advance(minutes=61)
        nudges = [m for m in world.channel.messages if "gentle nudge" in (m.get("content") or "")]
        assert len(nudges) == 1
        # Exported and deleted with everything else.
        exported = await world.fake.invoke(world.alice, world.channel, "privacy export")
        assert b'"text": "hi"' in exported.files[0].data
        prompt = await world.fake.invoke(world.alice, world.channel, "privacy delete")
        done = await world.fake.click(world.alice, prompt.message, label="Delete everything")
        assert "1 journal entry" in done.content
        assert await app.store.fetchone("SELECT 1 FROM journal_entries") is None
        assert registry.by_name("journal") is not None
    assert "journal_nudge_minutes" in app.settings.describe()


@pytest.mark.parametrize(
    ("part", "said"),
    [
        ("help.yaml", "journal: /journal write has no entry in its help.yaml"),
        ("locales/en.yaml", "journal: no English name for journal in its locales"),
    ],
)
async def test_a_feature_missing_a_part_is_named(
    world: Any, tmp_path: Path, journal_feature: Path, part: str, said: str
) -> None:
    (journal_feature / part).unlink()
    data = tmp_path / "data"
    data.mkdir()
    async with running_bot(world.fake, data_dir=data, now=START) as app:
        assert missing_parts(app.bot) == [said]


async def test_a_feature_migration_runs_once_and_is_kept_per_feature(
    tmp_path: Path, journal_feature: Path
) -> None:
    from bot.feature_migrations import applied, migrate

    journal = registry.by_name("journal")
    assert journal is not None
    async with await Store.open(tmp_path / "rebound.db") as store:
        assert await migrate(store, [journal]) == ["journal/0001_journal_entries.sql"]
        assert await migrate(store, [journal]) == []
        assert await applied(store, "journal") == 1


def test_the_core_names_no_feature() -> None:
    """bot/ imports no feature and spells no feature's custom_id prefix or job kind: all of it
    comes from the registry."""
    import ast

    root = Path(registry.__file__).parent
    spelled = {kind for f in registry.discover() for kind in f.jobs}
    spelled |= {f.prefix for f in registry.discover() if f.prefix}
    prefixes = tuple(f"{f.prefix}:" for f in registry.discover() if f.prefix)
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cogs."):
                found.append(f"{path.name}:{node.lineno} imports {node.module}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and (node.value in spelled or node.value.startswith(prefixes))
            ):
                found.append(f"{path.name}:{node.lineno} spells {node.value!r}")
    assert found == []


def test_two_features_cannot_share_a_prefix_or_a_job_kind() -> None:
    one = registry.Feature(name="one", order=1, prefix="x", prefix_for="one", jobs=("one.a",))
    other = registry.Feature(name="two", order=2, prefix="x", prefix_for="two")
    with pytest.raises(registry.FeatureError, match="prefix 'x'"):
        registry.check_declarations([one, other])
    same_job = registry.Feature(name="two", order=2, jobs=("one.a",))
    with pytest.raises(registry.FeatureError, match="job kind"):
        registry.check_declarations([one, same_job])
    with pytest.raises(registry.FeatureError, match="what it is for"):
        registry.check_declarations([registry.Feature(name="three", order=3, prefix="y")])
