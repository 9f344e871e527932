"""Mail backends of chainproof's own. The console backend prints messages to the
process's output, which in production is a log: there the links that sign people in
are redacted (``CHAINPROOF_DEBUG=1`` shows them, for development)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

from chainproof.common.redaction import redact_links


class ConsoleBackend(DjangoConsoleBackend):
    def write_message(self, message: Any) -> None:
        if settings.DEBUG:
            super().write_message(message)
            return
        data = message.message()
        charset = data.get_charset().get_output_charset() if data.get_charset() else "utf-8"
        text = data.as_bytes().decode(charset)
        self.stream.write(f"{redact_links(text)}\n{'-' * 79}\n")
