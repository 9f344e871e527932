"""A real Django email backend for tests: Django's in-memory backend that refuses the
recipients named in ``settings.TEST_REFUSED_RECIPIENTS`` the way an SMTP server does."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        refused = set(getattr(settings, "TEST_REFUSED_RECIPIENTS", ()))
        for message in messages:
            bad = [r for r in message.recipients() if r in refused]
            if bad:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(bad, (550, b"5.1.1 mailbox unavailable"))
                )
        return super().send_messages(messages)
