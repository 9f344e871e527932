"""One text rule for every stored field (issue: screening evasion with invisible
characters; control characters that broke exports): through the API, forms and imports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import screen
from chainproof.suppliers.models import Supplier

LISTED = "Hoshine Silicon Industry (Shanshan) Co., Ltd"
ZERO_WIDTH = "\u200b".join(LISTED)  # a zero-width space between every two letters
REVERSED = "\u202e" + LISTED[::-1] + "\u202c"  # stored backwards, displays forwards


def _create(client, name):
    response = client.api("post", "/api/v1/suppliers", {"legal_name": name, "country": "CN"})
    assert response.status_code == 201, response.content
    return Supplier.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("evasive", [ZERO_WIDTH, REVERSED], ids=["zero-width", "rtl-override"])
def test_a_listed_name_hidden_by_invisible_characters_is_stored_visible_and_hit(
    csrf_client, alice, refdata, evasive
):
    csrf_client.sign_in(alice)
    supplier = _create(csrf_client, evasive)
    assert supplier.legal_name == LISTED
    assert "Invisible characters were removed from the legal name" in supplier.text_warning
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hits = ScreeningHit.objects.filter(node_type="supplier", node_id=supplier.pk, list_code="uflpa")
    assert hits.exists()
    assert max(float(h.score) for h in hits) >= 0.9
    page = csrf_client.get(f"/suppliers/{supplier.pk}/")
    assert b'id="text-warning"' in page.content
    # A later save with a clean name clears the warning.
    patch = csrf_client.api("patch", f"/api/v1/suppliers/{supplier.pk}", {"legal_name": LISTED})
    assert patch.status_code == 200, patch.content
    supplier.refresh_from_db()
    assert supplier.text_warning == ""


def test_control_characters_never_reach_the_database_or_break_exports(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    supplier = _create(csrf_client, "Ctrl\x0bName\x00 Trading")
    assert supplier.legal_name == "Ctrl Name Trading"
    notes = csrf_client.api(
        "patch", f"/api/v1/suppliers/{supplier.pk}", {"notes": "line\x00 one\r\nline\x1b two"}
    )
    assert notes.status_code == 200, notes.content
    supplier.refresh_from_db()
    assert supplier.notes == "line one\nline two"
    for url in ("/suppliers/?format=xlsx", "/audit/?format=xlsx"):
        export = csrf_client.get(url)
        assert export.status_code == 200, url
        if url.startswith("/suppliers"):
            book = load_workbook(io.BytesIO(export.getvalue()))
            names = [row[1] for row in book.active.iter_rows(values_only=True)]
            assert "Ctrl Name Trading" in names
    csv_export = csrf_client.get("/suppliers/?format=csv").getvalue()
    assert b"Ctrl Name Trading" in csv_export
    assert b"\x00" not in csv_export
    assert b"\x0b" not in csv_export


def test_the_safety_net_cleans_text_no_specification_covers(alice, refdata):
    """A watchlist entry's name and a stored JSON list, written outside the record specs."""
    from django.db import transaction

    from chainproof.screening.models import WatchlistEntry

    with transaction.atomic():
        entry = WatchlistEntry.objects.create(
            organization=alice.organization,
            name="Pearl\u200b River\x00 Fleet",
            aliases=["Zhu\x07jiang"],
            country="CN",
        )
    entry.refresh_from_db()
    assert entry.name == "Pearl River Fleet"
    assert entry.aliases == ["Zhujiang"]


def test_an_imported_name_is_cleaned_the_same_way_with_its_warning(alice, refdata):
    from chainproof.suppliers.importing import run_import
    from tests.supply import csv_bytes

    data = csv_bytes("suppliers", {"ref": "S-ZW", "legal_name": ZERO_WIDTH, "country": "CN"})
    report = run_import(
        organization=alice.organization,
        actor=alice.user,
        entity="suppliers",
        data=data,
        file_name="suppliers.csv",
    )
    assert report.created == 1
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-ZW")
    assert supplier.legal_name == LISTED
    assert "ZERO WIDTH SPACE" in supplier.text_warning
