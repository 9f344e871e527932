"""Secret links out of logs and pages: the personal invitation links
(``/portal/invite/<token>/``) and the password-reset links
(``/accounts/password/reset/<uid>/<token>/``) sign in whoever holds them.

Imports nothing of Django's apps: the logging configuration names ``RedactSecretLinks``
before the apps load.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_SEGMENT = r"[^/\s\"'<>?#]+"
_SECRET_PATHS = re.compile(
    rf"(?P<invite>/portal/invite/)(?!new/){_SEGMENT}"
    rf"|(?P<reset>/accounts/password/reset/){_SEGMENT}/{_SEGMENT}"
)


def _replace(match: re.Match[str]) -> str:
    prefix = match.group("invite") or match.group("reset")
    return f"{prefix}{REDACTED}" if match.group("invite") else f"{prefix}{REDACTED}/{REDACTED}"


def redact_links(text: str) -> str:
    """The text with every invitation and password-reset token replaced."""
    return _SECRET_PATHS.sub(_replace, text)


class RedactSecretLinks(logging.Filter):
    """A handler filter: the record's message (Django's "Gone: /portal/invite/<token>/",
    a server's request line) with its secret links redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_links(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
