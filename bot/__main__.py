"""Command line: `python -m bot [run|commands|check|invite]`. Settings are built once, here."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import discord
import yarl

from bot import __version__
from bot.anonymity import key_check
from bot.clock import SystemClock
from bot.content import Content, ContentError
from bot.db import DatabaseTooNewError, Store
from bot.db.connection import load_migrations
from bot.db.key_check import KeyMatch, compare, read_key_check, record_or_compare
from bot.db.restore import RestoreError, inspect_backup, restore_backup
from bot.files import new_private_file, private_dir, private_umask
from bot.logs import configure_logging
from bot.permissions import application_id_from_token, invite_url, needed
from bot.runlock import AlreadyRunning, hold_run_lock
from bot.secret_key import current_secret_key, key_source, load_or_create_secret_key
from bot.settings import Settings, SettingsError
from bot.timekeeping import canonical_timezones
from bot.timekeeping.zone_data import zone_data_summary

log = logging.getLogger("bot")

EXIT_CONFIG = 2

NO_TOKEN = """\
Rebound can't start yet: DISCORD_TOKEN is not set. The bot needs its own Discord bot token to
log in. Get one at https://discord.com/developers/applications: pick (or create) your
application, open the Bot page and press Reset Token, then copy it. Put it in a file named .env
in the project folder as a line DISCORD_TOKEN=your-token (copy .env.example to start), or set
DISCORD_TOKEN in the environment, and run the command again. Nothing was created or changed."""

TOKEN_REJECTED = """\
Rebound can't start: Discord rejected the token in DISCORD_TOKEN (it may have been reset,
copied with a missing character, or belong to another application). Open
https://discord.com/developers/applications, choose your application, press Reset Token on the
Bot page, and put the new token in .env as DISCORD_TOKEN=... Nothing was created or changed."""

SHARDING_REQUIRED = """\
Discord refused the connection: this bot is in more servers than one shard may carry (2,500).
REBOUND_SHARD_COUNT is set too low; leave it empty so Rebound uses Discord's recommendation,
or raise it (about one shard per 1,000 servers). Nothing was changed."""

ALREADY_RUNNING = """\
Rebound is already running on {data} (pid {pid}). Two bots on one database would post
everything twice, so this one did not start. Stop the other one first (for example
`systemctl stop rebound`)."""

RESTORE_REFUSED = """\
Rebound is running on {data} (pid {pid}), so nothing was restored: a running bot would keep
writing to the database being replaced. Stop it first (for example `systemctl stop rebound`),
run the restore again, then start it."""

BACKUP_KEY_NOTE = """\
The secret key is not in this copy, on purpose: someone with both could link anonymous stories
to their authors. Keep a copy of the key ({source}) somewhere else that is safe: without it,
anonymous authors cannot be recognised again after a restore."""

KEY_DIFFERS_LOG = (
    "The secret key in use is not the one this database was made with: earlier stories' "
    "authors will not be recognised (no OP replies, no DMs, blocks do not apply). Start with "
    "the key the database was made with (see docs/operations.md, Restoring)"
)

KEY_DIFFERS = """\
WARNING: the secret key in use ({source}) is not the one {what} was made with. With it,
Rebound cannot recognise the authors of earlier stories: they cannot reply as OP or get DMs
about them, and blocked authors are not recognised. Put back the key {what} was made with
(REBOUND_SECRET_KEY, or the file REBOUND_SECRET_KEY_FILE names) before starting the bot."""

UNREACHABLE = """\
Rebound couldn't reach Discord ({reason}). Check this machine's internet connection and try
again; the bot keeps no partial state, so starting again is safe."""

UNREACHABLE_BEFORE_START = """\
Rebound couldn't reach Discord to check its token ({reason}). Check this machine's internet
connection and try again. Nothing was created or changed."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Rebound, the Discord bot.")
    parser.add_argument("--version", action="version", version=f"rebound {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord and run the bot (the default)")
    sub.add_parser("commands", help="print the JSON list of application commands the bot syncs")
    sub.add_parser("check", help="validate settings, content files and the database")
    locales = sub.add_parser(
        "locales", help="print a feature's English command catalog (its locales/en.yaml)"
    )
    locales.add_argument("--feature", help="only this feature's commands (cogs/<feature>)")
    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("--to", type=Path, help="the file to write (default: data/backups/…)")
    restore = sub.add_parser(
        "restore", help="put a backup back (the bot must be stopped; the file is checked first)"
    )
    restore.add_argument("file", type=Path, help="the backup file to restore")
    invite = sub.add_parser("invite", help="print the invite URL with the least permissions")
    invite.add_argument("--client-id", help="the application id (default: read from the token)")
    args = parser.parse_args(argv)

    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"Rebound's settings need a fix: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    command = args.command or "run"
    if command == "commands":
        return print_commands(settings)
    if command == "check":
        return check(settings)
    if command == "locales":
        return print_locale_template(settings, args.feature)
    if command == "invite":
        return print_invite(settings, args.client_id)
    if command == "backup":
        return backup_database(settings, args.to)
    if command == "restore":
        return restore_database(settings, args.file)
    return run(settings)


# -- run ------------------------------------------------------------------------------------------


def run(settings: Settings) -> int:
    if not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.log_level)
    try:
        content = Content.load(settings.content_dir)
    except ContentError as exc:
        print(f"Rebound's content files need a fix: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        return asyncio.run(_run(settings, content))
    except AlreadyRunning as exc:
        print(
            ALREADY_RUNNING.format(pid=exc.pid or "unknown", data=settings.data_dir),
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except KeyboardInterrupt:
        log.info("Stopped by keyboard interrupt")
        return 0


async def _run(settings: Settings, content: Content) -> int:

    assert settings.discord_token is not None
    point_at_discord(settings)
    # The token first: a rejected one must not leave a database and a key behind.
    try:
        if not await token_accepted(settings.discord_token):
            print(TOKEN_REJECTED, file=sys.stderr)
            return EXIT_CONFIG
    except (OSError, discord.HTTPException) as exc:
        print(UNREACHABLE_BEFORE_START.format(reason=type(exc).__name__), file=sys.stderr)
        return 1
    # One bot per data folder (a restore waits for this lock too); raises AlreadyRunning.
    with hold_run_lock(settings.data_dir):
        return await _run_locked(settings, content)


async def _run_locked(settings: Settings, content: Content) -> int:
    from bot.app import Bot  # imported late: it imports every feature
    from bot.scheduling import Scheduler

    assert settings.discord_token is not None
    try:
        store = await Store.open(settings.db_path)
    except DatabaseTooNewError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CONFIG
    try:
        secret_key = load_or_create_secret_key(settings)
    except SettingsError as exc:
        await store.close()
        print(f"Rebound's secret key needs a fix: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if settings.key_file_in_data_dir:
        log.warning(
            "The secret key file %s is inside the data folder, so one copy of that folder "
            "holds both the database and its key; REBOUND_SECRET_KEY_FILE can point elsewhere",
            settings.secret_key_file,
        )
    clock = SystemClock()
    async with store:
        if await record_or_compare(store, key_check(secret_key)) is KeyMatch.DIFFERS:
            log.warning(KEY_DIFFERS_LOG)
        scheduler = Scheduler.from_settings(store, clock, settings)
        bot = Bot(
            settings=settings,
            store=store,
            clock=clock,
            scheduler=scheduler,
            secret_key=secret_key,
            content=content,
        )
        bot.freeze_cache_when_ready = True
        # systemd, Docker and friends stop services with SIGTERM, a terminal with Ctrl+C
        # (SIGINT): both close cleanly (scheduler stopped, gateway closed, then the database).
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop_signal, lambda: asyncio.ensure_future(bot.close()))
        try:
            async with bot:
                await bot.start(settings.discord_token)
        except discord.LoginFailure:
            print(TOKEN_REJECTED, file=sys.stderr)
            return EXIT_CONFIG
        except discord.ConnectionClosed as exc:
            if exc.code != 4011:
                raise
            print(SHARDING_REQUIRED, file=sys.stderr)
            return EXIT_CONFIG
        except discord.PrivilegedIntentsRequired:  # cannot happen: Rebound asks for none
            print("Discord refused the bot's intents; please report this.", file=sys.stderr)
            return EXIT_CONFIG
        except (OSError, discord.GatewayNotFound) as exc:
            print(UNREACHABLE.format(reason=type(exc).__name__), file=sys.stderr)
            return 1
    return 0


async def token_accepted(token: str) -> bool:
    """Ask Discord who the token belongs to (GET /users/@me); False if it refuses the token."""
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(token)
    except discord.LoginFailure:
        return False
    finally:
        await http.close()
    return True


def point_at_discord(settings: Settings) -> None:
    """Use another address for Discord when configured (a proxy, or a local Discord).

    discord.py keeps Discord's addresses in two class attributes; there is no client option.
    """
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base
        log.warning(
            "Talking to Discord's API at %s instead of discord.com", settings.discord_api_base
        )
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
        log.warning("Using the gateway at %s", settings.discord_gateway_url)


# -- commands -------------------------------------------------------------------------------------


def print_commands(settings: Settings) -> int:
    payload = asyncio.run(command_payload(settings))
    print(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True))
    return 0


async def command_payload(settings: Settings) -> list[dict[str, Any]]:
    """Build the bot offline (in-memory store, no token) and ask its tree for the payload."""
    return await _with_offline_bot(settings, "payload")


async def _with_offline_bot(settings: Settings, what: str, feature: str | None = None) -> Any:
    from bot.app import Bot
    from bot.clock import SystemClock
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


# -- check ----------------------------------------------------------------------------------------


def check(settings: Settings) -> int:
    problems = 0
    print(f"Rebound {__version__}")
    print("Settings: OK")
    for key, value in settings.describe().items():
        print(f"  {key}: {value}")
    if not settings.discord_token:
        print("  note: DISCORD_TOKEN is not set; `run` will explain where to get it.")

    try:
        content = Content.load(settings.content_dir)
    except ContentError as exc:
        problems += 1
        print(f"Content: PROBLEM — {exc}")
    else:
        print("Content: OK")
        for feature, summary in content.summary().items():
            print(f"  {feature}: " + ", ".join(f"{k} {v}" for k, v in summary.items()))

    print(
        f"Time zones: {zone_data_summary()}, names and rules from the package only "
        f"({len(canonical_timezones())} zones offered)."
    )
    problems += _check_database(settings.db_path)
    problems += _check_secret_key(settings)
    print("All good." if problems == 0 else f"{problems} problem(s) found.")
    return 0 if problems == 0 else 1


def _check_secret_key(settings: Settings) -> int:
    """Where the key is, and whether it is the database's; reads only, shows no key material."""
    try:
        key = current_secret_key(settings)
    except SettingsError as exc:
        print(f"Secret key: PROBLEM — {exc}")
        return 1
    source = key_source(settings)
    if key is None:
        print(f"Secret key: not created yet; the first run creates {source} (mode 0600).")
        return 0
    db = settings.db_path
    recorded = read_key_check(db, immutable=False) if db.exists() else None
    match = compare(recorded, key_check(key))
    problems = 0
    if match is KeyMatch.DIFFERS:
        problems = 1
        print(f"Secret key: PROBLEM — {source} is not the key the database was made with.")
    elif match is KeyMatch.MATCHES:
        print(f"Secret key: OK — {source}, the key the database was made with.")
    else:
        print(f"Secret key: {source} (the database records no key yet; the next start does).")
    if source not in ("REBOUND_SECRET_KEY", str(settings.secret_key_file)):
        print(f"  note: the next start moves the key to {settings.secret_key_file}.")
    elif settings.key_file_in_data_dir:
        print("  note: it is inside the data folder, so one copy of that folder holds both.")
    return problems


def _check_database(path: Path) -> int:
    """Inspect without changing anything: read-only, no migrations applied."""
    latest = load_migrations()[-1][0]
    if not path.exists():
        print(f"Database: not created yet at {path}; the first run creates it (schema {latest}).")
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        print(f"Database: PROBLEM — {path} could not be read ({exc}).")
        return 1
    if version > latest:
        print(f"Database: PROBLEM — schema {version} is newer than this code knows ({latest}).")
        return 1
    if integrity != "ok":
        print(f"Database: PROBLEM — integrity check says: {integrity}")
        return 1
    pending = latest - version
    note = f", {pending} migration(s) will apply on the next run" if pending else ""
    print(f"Database: OK — {path}, schema {version}{note}.")
    return 0


# -- backup ---------------------------------------------------------------------------------------


def backup_database(settings: Settings, target: Path | None) -> int:
    """SQLite's online backup: a consistent copy even while the bot is writing."""
    if not settings.db_path.exists():
        print(f"There is no database at {settings.db_path} yet, so there is nothing to back up.")
        return 1
    stamp = SystemClock().now().strftime("%Y%m%d-%H%M%S")
    destination = target or settings.data_dir / "backups" / f"rebound-{stamp}.db"
    if destination.is_dir():
        print(f"{destination} is a folder; --to takes a file name in it.", file=sys.stderr)
        return 1
    if target is not None and not destination.parent.is_dir():
        # A mistyped folder is an error, not something to create silently.
        print(
            f"The folder {destination.parent} does not exist; create it first or choose "
            "another place with --to.",
            file=sys.stderr,
        )
        return 1
    if target is None:
        private_dir(destination.parent)
    # The copy holds everything the database does: it is ours and 0600 before SQLite writes a
    # byte (created exclusively, so an existing file is never overwritten), and so are the
    # -journal/-wal files SQLite makes beside it while it writes.
    try:
        new_private_file(destination)
    except FileExistsError:
        print(f"{destination} already exists; choose another name with --to.", file=sys.stderr)
        return 1
    try:
        with private_umask():
            source = sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)
            try:
                copy = sqlite3.connect(destination)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
            finally:
                source.close()
    except BaseException:
        destination.unlink(missing_ok=True)  # never leave half a copy behind
        raise
    print(f"Backed up {settings.db_path} to {destination}.")
    print(BACKUP_KEY_NOTE.format(source=key_source(settings)))
    return 0


# -- restore --------------------------------------------------------------------------------------


def restore_database(settings: Settings, backup: Path) -> int:
    """Check the file, refuse while the bot runs, keep the current database, swap atomically."""
    try:
        info = inspect_backup(backup)
    except RestoreError as exc:
        print(f"Nothing was restored: {exc}", file=sys.stderr)
        return 1
    stamp = SystemClock().now().strftime("%Y%m%d-%H%M%S")
    try:
        with hold_run_lock(settings.data_dir):
            kept = restore_backup(backup, settings.db_path, settings.data_dir / "backups", stamp)
    except AlreadyRunning as exc:
        print(
            RESTORE_REFUSED.format(pid=exc.pid or "unknown", data=settings.data_dir),
            file=sys.stderr,
        )
        return 1
    print(f"Checked {backup}: integrity OK, schema {info.schema_version}, {info.tables} tables.")
    if kept is not None:
        print(f"The database it replaced was kept as {kept}.")
    print(f"Restored {backup} to {settings.db_path}.")
    if info.pending_migrations:
        print(
            f"The next start applies {info.pending_migrations} migration(s) to bring it up to date."
        )
    _warn_about_the_key(settings, backup)
    return 0


def _warn_about_the_key(settings: Settings, backup: Path) -> None:
    """Say whether the key in use is the one the backup was made with (no key material shown)."""
    recorded = read_key_check(backup, immutable=True)
    try:
        key = current_secret_key(settings)
    except SettingsError as exc:
        print(f"The secret key could not be read: {exc}", file=sys.stderr)
        return
    source = key_source(settings)
    if key is None:
        print(
            f"No secret key is set up yet: put the key this backup was made with at {source} "
            "(or in REBOUND_SECRET_KEY) before the first start, or anonymous authors of its "
            "stories cannot be recognised again."
        )
        return
    match = compare(recorded, key_check(key))
    if match is KeyMatch.DIFFERS:
        print(KEY_DIFFERS.format(source=source, what="this backup"), file=sys.stderr)
    elif match is KeyMatch.MATCHES:
        print(f"The secret key in use ({source}) is the one this backup was made with.")
    else:
        print(
            f"This backup does not record which secret key it was made with (it is older); "
            f"use that key ({source} now): with another, anonymous authors cannot be "
            "recognised again."
        )


# -- invite ---------------------------------------------------------------------------------------


def build_features() -> list[str]:
    """The feature packages in this build ("affirmations", …)."""
    from bot.app import feature_extensions

    return [name.removeprefix("cogs.") for name in feature_extensions()]


def print_invite(settings: Settings, client_id: str | None) -> int:
    if client_id is not None and not (client_id.isdigit() and 17 <= len(client_id) <= 20):
        print(
            f"--client-id must be the application id: 17 to 20 digits (got {client_id!r}). "
            "Find it on the application's General Information page.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    resolved: int | str | None = client_id or application_id_from_token(settings.discord_token)
    if resolved is None:
        print(
            "No application id yet (set DISCORD_TOKEN or pass --client-id, found on the "
            "application's General Information page). With CLIENT_ID filled in:"
        )
        resolved = "CLIENT_ID"
    features = build_features()
    print(invite_url(resolved, features))
    print(f"\nFeatures in this build: {', '.join(features)}.")
    print("Permissions it asks for, and why:")
    for name, reason in needed(features):
        print(f"  - {name.replace('_', ' ').title()}: {reason}")
    print("\nIt asks for no privileged intents and never needs Administrator.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
