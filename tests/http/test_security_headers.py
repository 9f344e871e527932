"""Every response carries a strict Content-Security-Policy; what a signed-in person, an API
client or an export receives is never cached."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "chainproof"


def test_pages_carry_a_strict_policy_and_signed_in_pages_are_not_cached(csrf_client, alice):
    anonymous = csrf_client.get("/accounts/login/")
    policy = anonymous["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    csrf_client.sign_in(alice)
    page = csrf_client.get("/suppliers/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page["Content-Security-Policy"] == policy


def test_the_api_and_exports_are_not_cached(csrf_client, alice):
    csrf_client.sign_in(alice)
    api = csrf_client.api("get", "/api/v1/suppliers")
    assert api.status_code == 200
    assert api["Cache-Control"] == "no-store"
    export = csrf_client.get("/suppliers/?format=csv")
    assert export.status_code == 200
    assert "attachment" in export["Content-Disposition"]
    assert export["Cache-Control"] == "no-store"


def test_no_template_has_inline_script_handlers_or_styles():
    """A strict policy blocks inline handlers and style attributes: none may exist. The
    templates under a ``print/`` folder are drawn into PDFs by WeasyPrint and never served
    to a browser, so they carry their own stylesheet."""
    templates = [
        path
        for path in TEMPLATES.rglob("templates/**/*.html")
        if "print" not in path.relative_to(TEMPLATES).parts
    ]
    assert len(templates) > 20
    inline = re.compile(r"\son[a-z]+=|\sstyle=|<script>|<style|javascript:", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in templates
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
