from __future__ import annotations

from typing import NoReturn

from django.core.management.base import CommandError


def fail(message: str) -> NoReturn:
    raise CommandError(message, returncode=1)
