"""No test builds a Django test client that skips CSRF: every ``Client(...)`` or
``AsyncClient(...)`` under tests/ passes ``enforce_csrf_checks=True`` (the HTTP tests use
the ``csrf_client`` fixture, tests/csrf_client.py), and none turns the check off."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
_CLIENTS = {"Client", "AsyncClient"}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _enforces(call: ast.Call) -> bool:
    return any(
        k.arg == "enforce_csrf_checks"
        and isinstance(k.value, ast.Constant)
        and k.value.value is True
        for k in call.keywords
    )


def csrf_skipping_clients(source: str, filename: str = "<source>") -> list[str]:
    """Where ``source`` builds a test client without CSRF checks, or switches them off."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and _called_name(node) in _CLIENTS and not _enforces(node):
            name = _called_name(node)
            found.append(f"{filename}:{node.lineno}: {name}() without enforce_csrf_checks=True")
        named = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        if "dont_enforce_csrf_checks" in named:
            found.append(f"{filename}:{node.lineno}: switches the CSRF check off")
    return found


def test_the_scan_finds_clients_that_skip_csrf():
    source = (
        "from django import test\n"
        "from django.test import Client\n"
        "a = Client()\n"
        "b = test.Client(enforce_csrf_checks=False)\n"
        "c = test.AsyncClient(HTTP_HOST='x')\n"
        "d = Client(enforce_csrf_checks=True)\n"
        "request._dont_enforce_csrf_checks = True\n"
    )
    assert [line.split(":")[1] for line in csrf_skipping_clients(source)] == ["3", "4", "5", "7"]


def test_no_test_module_builds_a_client_that_skips_csrf():
    modules = sorted(TESTS.rglob("*.py"))
    assert len(modules) >= 30  # the scan reads the whole test tree
    assert TESTS / "csrf_client.py" in modules
    found = [
        hit
        for m in modules
        for hit in csrf_skipping_clients(m.read_text("utf-8"), str(m.relative_to(TESTS.parent)))
    ]
    assert found == []
