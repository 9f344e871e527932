"""Links that sign people in never reach the logs: Django's request log, the development
server's request lines and the console mail backend print them redacted."""

import io
import logging
from contextlib import contextmanager

from django.core.mail import EmailMessage, get_connection

from chainproof.common.redaction import RedactSecretLinks, redact_links

TOKEN = "Zq3f9sKXJ2m8nL0pR5tV7wY1aB4cD6eF8gH0iJ2kL4m"


@contextmanager
def _configured_handler_output(logger_name: str = ""):
    """What the handlers settings.LOGGING configured for this logger write."""
    handlers = [
        h
        for h in logging.getLogger(logger_name).handlers
        if any(isinstance(f, RedactSecretLinks) for f in h.filters)
    ]
    assert handlers, f"no redacting handler on {logger_name or 'root'}"
    stream = io.StringIO()
    previous = [h.setStream(stream) for h in handlers]
    try:
        yield stream
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)


def test_djangos_request_log_of_a_dead_link_is_redacted(csrf_client, db):
    with _configured_handler_output() as out:
        assert csrf_client.get(f"/portal/invite/{TOKEN}/").status_code == 410
    written = out.getvalue()
    assert "Gone: /portal/invite/[redacted]/" in written
    assert TOKEN not in written


def test_the_development_servers_request_lines_are_redacted(db):
    with _configured_handler_output("django.server") as out:
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /accounts/password/reset/MQ/{TOKEN}/ HTTP/1.1", 200, 512
        )
    written = out.getvalue()
    assert "/accounts/password/reset/[redacted]/[redacted]/ HTTP/1.1" in written
    assert TOKEN not in written


def test_redaction_keeps_the_pages_without_secrets():
    for text in ("/portal/invite/new/", "/accounts/password/reset/sent/", "/portal/"):
        assert redact_links(text) == text
    assert redact_links(f"see http://x.example/portal/invite/{TOKEN}/ now") == (
        "see http://x.example/portal/invite/[redacted]/ now"
    )


def _console_output(settings, debug: bool) -> str:
    settings.DEBUG = debug
    stream = io.StringIO()
    backend = get_connection("chainproof.outbox.backends.ConsoleBackend", stream=stream)
    backend.send_messages(
        [
            EmailMessage(
                "Questionnaire",
                f"Your link:\nhttp://127.0.0.1:8000/portal/invite/{TOKEN}/\nNguyễn\n",
                to=["a@b.example"],
            )
        ]
    )
    return stream.getvalue()


def test_the_console_mail_backend_redacts_links_in_production(settings):
    production = _console_output(settings, debug=False)
    assert "/portal/invite/[redacted]/" in production
    assert TOKEN not in production
    assert "Subject: Questionnaire" in production
    assert TOKEN in _console_output(settings, debug=True)  # development shows the link
