"""The ``chainproof`` command: Django's management commands with chainproof's settings.

``chainproof --help`` lists chainproof's own commands first, then Django's own under
"Advanced".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from chainproof.datadir import CREATE_FLAG
from chainproof.envreaders import ConfigError

CHAINPROOF_APPS = ("chainproof.",)
CREATES_DATA_DIR = frozenset({"start", "init"})


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    import django

    django.setup()


def _help_text() -> str:
    from django.core.management import get_commands, load_command_class

    ours: list[tuple[str, str]] = []
    django_cmds: list[tuple[str, str]] = []
    for name, app in sorted(get_commands().items()):
        try:
            summary = load_command_class(app, name).help.strip().splitlines()[0]
        except Exception as exc:  # a broken third-party command must not hide the rest
            summary = f"(cannot load: {exc})"
        (ours if app.startswith(CHAINPROOF_APPS) else django_cmds).append((name, summary))
    width = max(len(n) for n, _ in ours + django_cmds) + 2
    lines = [
        "usage: chainproof <command> [options]",
        "       chainproof help <command>     options of one command",
        "",
        "chainproof commands:",
        *(f"  {n.ljust(width)}{s}" for n, s in ours),
        "",
        "Advanced (Django's own commands, run with chainproof's settings; rarely needed:",
        "`chainproof init` migrates the database and `chainproof org` manages members):",
        *(f"  {n.ljust(width)}{s}" for n, s in django_cmds),
        "",
        "Configuration comes from environment variables (see README.md): CHAINPROOF_DATA_DIR,",
        "DATABASE_URL, SECRET_KEY, CHAINPROOF_DEBUG, CHAINPROOF_ALLOWED_HOSTS, CHAINPROOF_HTTPS.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command in CREATES_DATA_DIR:
        os.environ[CREATE_FLAG] = "1"
    try:
        _setup()
    except ConfigError as exc:
        sys.stderr.write(f"chainproof: configuration error: {exc}\n")
        return 2
    if command in ("", "-h", "--help") or (command == "help" and len(args) == 1):
        sys.stdout.write(_help_text() + "\n")
        return 0
    if command == "--version":
        from importlib.metadata import version

        sys.stdout.write(version("chainproof") + "\n")
        return 0
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["chainproof", *args])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except DatabaseError as exc:
        behind = _unapplied_migrations()
        if _no_tables(exc) and not _any_applied():
            sys.stderr.write(
                "chainproof: the database has no tables yet. Run `chainproof init` (a new data "
                "directory) or `chainproof migrate` (an existing database) first.\n"
            )
            return 2
        if not behind:
            raise
        sys.stderr.write(
            f"chainproof: the database is older than this version of chainproof ({behind} "
            "change(s) to its tables not applied yet). Run `chainproof migrate` first.\n"
        )
        return 2
    return 0


def _any_applied() -> bool:
    """Whether any migration was ever applied to the database."""
    try:
        from django.db import connection
        from django.db.migrations.recorder import MigrationRecorder

        return bool(MigrationRecorder(connection).applied_migrations())
    except Exception:  # only used to explain another error
        return False


def _unapplied_migrations() -> int:
    """How many migrations the database still lacks (0 when it cannot tell)."""
    try:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except Exception:  # only used to explain another error
        return 0


def _no_tables(exc: Exception) -> bool:
    """The database was never migrated (SQLite and PostgreSQL word it differently)."""
    text = str(exc)
    return "no such table" in text or ("relation" in text and "does not exist" in text)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
