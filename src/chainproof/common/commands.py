"""What chainproof's management commands share: one-line failures, date arguments and a
progress bar that reports through a service's callback. (``--organization`` lives with the
organizations, in ``chainproof.accounts.commands``.)"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

ProgressCallback = Callable[[int, int | None, str], None]


def fail(message: str) -> NoReturn:
    """Stop the command with one line on stderr and exit status 1 (never a traceback)."""
    raise CommandError(message, returncode=1)


def iso_date(value: str) -> date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD, found {value!r}"
        ) from None


@contextmanager
def progress_bar(command: BaseCommand, start: str) -> Iterator[ProgressCallback]:
    """A progress bar on a terminal (nothing when the output is redirected), driven by the
    ``progress(done, total, message)`` callback that long-running services take."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        transient=True,
        disable=not command.stdout.isatty(),
    ) as bar:
        task = bar.add_task(start, total=None)

        def report(done: int, total: int | None, message: str = "") -> None:
            bar.update(task, completed=done, total=total, description=message or start)

        yield report
