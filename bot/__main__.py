"""Command line: `python -m bot [run|playground|commands|check|backup|migrate-store|...]`.

Settings are built once, here."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.cli import EXIT_CONFIG as EXIT_CONFIG
from bot.cli.check import check
from bot.cli.data import backup_database as backup_database
from bot.cli.data import restore_database
from bot.cli.invite import print_invite
from bot.cli.offline import command_payload as command_payload
from bot.cli.offline import print_commands, print_locale_template
from bot.cli.playground import playground
from bot.cli.run import _run as _run
from bot.cli.run import run
from bot.settings import Settings, SettingsError, shards_setting


def with_shard_arguments(
    settings: Settings, shards: str | None, shard_count: int | None
) -> Settings:
    """`--shards` and `--shard-count` over REBOUND_SHARDS and REBOUND_SHARD_COUNT."""
    if shards is None and shard_count is None:
        return settings
    if shards is not None and shard_count is None:
        raise SettingsError(
            "--shards needs --shard-count: the fleet's total number of shards, the same in "
            "every process (for example --shards 0-4 --shard-count 10)."
        )
    count = shard_count if shard_count is not None else settings.shard_count
    if count is not None and count < 1:
        raise SettingsError("--shard-count must be a whole number of at least 1.")
    picked = shards_setting(shards, count) if shards is not None else settings.shards
    if picked is not None and count is not None and max(picked) >= count:
        raise SettingsError(f"REBOUND_SHARDS {picked} is past --shard-count {count}.")
    return dataclasses.replace(settings, shards=picked, shard_count=count)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Rebound, the Discord bot.")
    parser.add_argument("--version", action="version", version=f"rebound {__version__}")
    sub = parser.add_subparsers(dest="command")
    run_parser = sub.add_parser("run", help="connect to Discord and run the bot (the default)")
    run_parser.add_argument(
        "--shards",
        help="a fleet process: serve only these shards (1, 0,2 or 0-4; PostgreSQL only)",
    )
    run_parser.add_argument(
        "--shard-count", type=int, help="the fleet's total number of shards (with --shards)"
    )
    play = sub.add_parser(
        "playground", help="try the bot in your browser on a local Discord (no token needed)"
    )
    play.add_argument("--data", type=Path, help="keep the playground's state in this folder")
    play.add_argument("--port", type=int, default=8080, help="the page's port (default 8080)")
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
    moving = sub.add_parser(
        "migrate-store",
        help="copy the SQLite database into an empty PostgreSQL database, checked row for row",
    )
    moving.add_argument("--to", required=True, help="the target: postgresql://user:pw@host/db")
    invite = sub.add_parser("invite", help="print the invite URL with the least permissions")
    invite.add_argument("--client-id", help="the application id (default: read from the token)")
    args = parser.parse_args(argv)
    if args.command == "playground":
        # Needs no settings: it makes its own, pointed at the local Discord.
        return playground(args.data, args.port)

    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"Rebound's settings need a fix: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    command = args.command or "run"
    if command == "run":
        try:
            settings = with_shard_arguments(
                settings, getattr(args, "shards", None), getattr(args, "shard_count", None)
            )
        except SettingsError as exc:
            print(f"Rebound's settings need a fix: {exc}", file=sys.stderr)
            return EXIT_CONFIG
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
    if command == "migrate-store":
        from bot.cli.migrate_store import migrate_store

        return migrate_store(settings, args.to)
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
