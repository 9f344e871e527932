"""`chainproof package build` and `chainproof package verify`, as an operator runs them: a
case with two locker documents as exhibits built into a signed package and written to a
file; the file verifies; one byte changed in one exhibit and verification names it; and
`chainproof cases list` shows the case."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from chainproof.cases.models import EvidencePackage
from chainproof.cases.services import case_open, case_transition, exhibit_add
from chainproof.cases.shipments import shipment_save
from chainproof.evidence.documents import document_create
from chainproof.evidence.receiving import file_receive
from tests import document_files

POLICY = b"No recruitment fees, ever. Passports stay with the workers.\n"


@pytest.fixture
def case(alice, refdata, settings, tmp_path):
    """Case 1 of Acme Imports: a WRO detention of a two-line entry, with a PDF audit
    report and a text policy from the locker as its exhibits."""
    settings.MEDIA_ROOT = tmp_path / "store"
    settings.STORAGE_BACKEND = "local"
    documents = []
    for data, name in ((document_files.text_pdf(1), "audit report.pdf"), (POLICY, "policy.txt")):
        received = file_receive(io.BytesIO(data), name)
        with transaction.atomic():
            documents.append(
                document_create(
                    organization=alice.organization, actor=alice.user, received=received
                )
            )
    with transaction.atomic():
        shipment = shipment_save(
            organization=alice.organization,
            actor=alice.user,
            data={
                "reference": "PO-2026-0142",
                "entry_number": "B76-0324527-8",
                "port_code": "2704",
                "importation_date": "2026-01-31",
            },
            lines=[{"description": "Cotton T-shirts"}, {"description": "Cotton scarves"}],
        )
        opened = case_open(
            organization=alice.organization,
            actor=alice.user,
            shipment=shipment,
            basis="wro",
            notice_at="2026-02-10",
        )
        exhibit_add(case=opened, actor=alice.user, documents=documents)
    return opened


def _rewrite_with_one_byte_changed(path: Path, entry: str) -> None:
    with zipfile.ZipFile(path) as archive:
        contents = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for info, data in contents:
            if info.filename == entry:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
            archive.writestr(info, data)


def test_a_built_package_verifies_and_a_changed_exhibit_is_named(case, alice, tmp_path, capsys):
    out = tmp_path / "case-1.zip"
    call_command(
        "package", "build", "1", "--out", str(out), "--organization", alice.organization.slug
    )
    printed = capsys.readouterr().out
    package = EvidencePackage.objects.get(case=case)
    assert package.version == 1
    assert package.exhibit_count == 2
    assert "package version 1 built" in printed
    assert hashlib.sha256(out.read_bytes()).hexdigest() == package.zip_sha256

    call_command("package", "verify", str(out))
    printed = capsys.readouterr().out
    assert "manifest.json: 3 file(s) listed, 2 of them exhibit(s)" in printed
    assert "files: 3 checked" in printed
    assert "signature: intact" in printed
    assert "the package verifies" in printed

    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    exhibits = [entry["path"] for entry in manifest["files"] if entry["exhibit"]]
    assert len(exhibits) == 2
    altered, untouched = exhibits
    _rewrite_with_one_byte_changed(out, altered)
    with pytest.raises(CommandError, match="does not verify") as failed:
        call_command("package", "verify", str(out))
    assert failed.value.returncode == 1
    printed = capsys.readouterr().out
    problems = [line for line in printed.splitlines() if line.startswith("  problem:")]
    assert len(problems) == 1, printed
    assert problems[0].startswith(f"  problem: {altered}: SHA-256 differs from the manifest")
    assert untouched not in "".join(problems)


def test_build_and_verify_fail_in_one_line(case, alice, tmp_path):
    with pytest.raises(CommandError, match="no case 7 in Acme Imports"):
        call_command("package", "build", "7", "--out", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("package", "verify", str(tmp_path / "missing.zip"))
    (tmp_path / "not.zip").write_bytes(b"not a zip at all")
    with pytest.raises(CommandError, match="does not verify"):
        call_command("package", "verify", str(tmp_path / "not.zip"))


def test_cases_list_shows_the_case_and_its_next_deadline(case, alice, capsys):
    notice = timezone.localdate() - timedelta(days=5)
    with transaction.atomic():
        case_open(
            organization=alice.organization,
            actor=alice.user,
            shipment=case.shipment,
            basis="uflpa",
            notice_at=notice.isoformat(),
        )
    call_command("cases", "list", "--organization", alice.organization.slug)
    printed = capsys.readouterr().out
    header, *rows = printed.splitlines()
    assert header.split()[:5] == ["Case", "Shipment", "Entry", "Basis", "Status"]
    assert [row.split()[0] for row in rows] == ["2", "1"]  # newest notice first
    uflpa, wro = rows
    assert "PO-2026-0142" in wro
    assert "B76-0324527-8" in wro
    assert "Section 307 Withhold Release Order" in wro
    assert "Detained" in wro
    due = (notice + timedelta(days=30)).isoformat()
    assert f"{due} (Response to CBP's UFLPA detention notice)" in uflpa
    assert uflpa.rstrip().endswith(" 25")

    with transaction.atomic():
        case_transition(case=case, actor=alice.user, status="released")
    call_command("cases", "list", "--open", "--format", "json")
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["case"], listed["entry_number"]) == (2, "B76-0324527-8")
    assert (listed["next_deadline"], listed["days_left"]) == (due, 25)
