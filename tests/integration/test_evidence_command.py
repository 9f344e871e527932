"""`chainproof evidence add` and `chainproof evidence verify`, as an operator runs them:
files stored and linked by the references people use, a refused file named with its
reason and nothing stored for it, and verification that names the altered document."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command

from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import verify_organization_chain
from chainproof.evidence.models import Blob, Document
from chainproof.suppliers.models import Supplier
from tests import document_files
from tests.supply import load_demo


@pytest.fixture
def files(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "store"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "policy.txt").write_bytes(b"No recruitment fees, ever.\n")
    (folder / "audit.pdf").write_bytes(document_files.text_pdf(1))
    (folder / "setup.pdf").write_bytes(document_files.windows_program())
    return folder


def test_add_stores_links_and_refuses_with_a_reason(files, alice, capsys):
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    call_command(
        "evidence",
        "add",
        str(files / "policy.txt"),
        str(files / "audit.pdf"),
        "--category",
        "dhs_policy",
        "--type",
        "policy",
        "--supplier",
        "S-VN-01",
        "--product",
        "APP-SCF-010",
    )
    out = capsys.readouterr().out
    sha = hashlib.sha256(b"No recruitment fees, ever.\n").hexdigest()
    assert "policy.txt: document" in out
    assert sha in out
    documents = list(Document.objects.filter(organization=alice.organization))
    assert len(documents) == 2
    for document in documents:
        assert document.record_type == "policy"
        assert list(document.categories.values_list("code", flat=True)) == ["dhs_policy"]
        kinds = dict(document.links.values_list("target_type", "target_id"))
        assert kinds["supplier"] == supplier.pk
        assert "product" in kinds

    events = AuditEvent.objects.filter(
        organization=alice.organization, action="evidence.document_created"
    )
    assert sorted(int(e.object_id) for e in events) == sorted(d.pk for d in documents)
    assert {e.after["sha256"] for e in events} >= {sha}
    assert verify_organization_chain(alice.organization.pk).ok

    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("evidence", "add", str(files / "setup.pdf"), str(files / "policy.txt"))
    err = capsys.readouterr().err
    assert "setup.pdf is refused" in err
    assert Blob.objects.count() == 2  # the program left nothing; the copy is the same blob
    assert Document.objects.count() == 3
    (files / "copy.txt").write_bytes(b"No recruitment fees, ever.\n")
    call_command("evidence", "add", str(files / "policy.txt"), str(files / "copy.txt"))
    assert Document.objects.count() == 5
    assert Blob.objects.count() == 2  # the same bytes twice in one batch: one stored content
    with pytest.raises(CommandError, match="No supplier with the supplier reference 'S-XX-99'"):
        call_command("evidence", "add", str(files / "policy.txt"), "--supplier", "S-XX-99")


def test_verify_names_the_altered_document_and_fails(files, alice, settings, capsys):
    call_command("evidence", "add", str(files / "policy.txt"), "--title", "Recruitment policy")
    call_command("evidence", "verify")
    assert "1 intact, 0 missing, 0 altered" in capsys.readouterr().out

    sha = hashlib.sha256(b"No recruitment fees, ever.\n").hexdigest()
    stored = settings.MEDIA_ROOT / sha[:2] / sha
    stored.chmod(0o644)
    stored.write_bytes(b"Recruitment fees allowed.\n")
    with pytest.raises(CommandError):
        call_command("evidence", "verify")
    out = capsys.readouterr().out
    assert "0 intact, 0 missing, 1 altered" in out
    assert "'Recruitment policy' version 1 (policy.txt)" in out
