"""`python -m bot backup` and `restore`: a safe copy of the database, and putting one back."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from bot.anonymity import key_check
from bot.clock import SystemClock
from bot.db.key_check import KeyMatch, compare, read_key_check
from bot.db.restore import RestoreError, inspect_backup, restore_backup
from bot.files import new_private_file, private_dir, private_umask
from bot.runlock import AlreadyRunning, hold_run_lock
from bot.secret_key import current_secret_key, key_source
from bot.settings import Settings, SettingsError

RESTORE_REFUSED = """\
Rebound is running on {data} (pid {pid}), so nothing was restored: a running bot would keep
writing to the database being replaced. Stop it first (for example `systemctl stop rebound`),
run the restore again, then start it."""

BACKUP_KEY_NOTE = """\
The secret key is not in this copy, on purpose: someone with both could link anonymous stories
to their authors. Keep a copy of the key ({source}) somewhere else that is safe: without it,
anonymous authors cannot be recognised again after a restore."""

KEY_DIFFERS = """\
WARNING: the secret key in use ({source}) is not the one {what} was made with. With it,
Rebound cannot recognise the authors of earlier stories: they cannot reply as OP or get DMs
about them, and blocked authors are not recognised. Put back the key {what} was made with
(REBOUND_SECRET_KEY, or the file REBOUND_SECRET_KEY_FILE names) before starting the bot."""


def backup_database(settings: Settings, target: Path | None) -> int:
    """SQLite's online backup: a consistent copy even while the bot is writing (PostgreSQL:
    pg_dump, bot.cli.postgres)."""
    if settings.database_url:
        from bot.cli.postgres import backup_database as backup_postgres

        return backup_postgres(settings, target)
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
    if settings.database_url:
        from bot.cli.postgres import restore_note

        return restore_note(settings, backup)
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
