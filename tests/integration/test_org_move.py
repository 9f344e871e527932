"""Moving a whole organization: `chainproof org-export` of the demo organization, then
`chainproof org-import` of the file under another slug, on the same database so the two can
be compared record kind by record kind (the moved one is written only from the file: every
id is new, the stored files come from the file into a store of their own).

One export and one import for the module; each tampered file is a copy of that export.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.test import override_settings

from chainproof.accounts.models import Membership, Organization
from chainproof.accounts.roles import Role
from chainproof.accounts.services import (
    demo_organization_ensure,
    membership_create,
    user_create,
)
from chainproof.audit.checkpoints import checkpoint_write
from chainproof.audit.models import AuditEvent
from chainproof.audit.services import chain_for
from chainproof.blobs.base import BlobStatus
from chainproof.blobs.configured import blob_store
from chainproof.cases.demo import demo_case_load
from chainproof.diligence.demo import demo_evidence_load
from chainproof.domain.hashing import sha256_bytes
from chainproof.evidence.models import Blob, DocumentLink, DocumentVersion
from chainproof.interchange.move.scope import (
    BLANKED,
    NOT_MOVED,
    SECRET_WORDS,
    TYPED_REFERENCES,
    many_to_many,
    moved_fields,
    scoped_models,
    through_of,
)
from chainproof.questionnaires.demo import demo_campaigns_load
from chainproof.risk.models import RiskAssessment
from chainproof.risk.services import risk_score_all
from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import screen
from chainproof.suppliers.models import Supplier
from tests.supply import load_demo

pytestmark = pytest.mark.django_db

MOVED = "demo-moved"


@dataclass
class Moved:
    folder: Path
    export: Path
    key_file: Path
    source: Organization
    moved: Organization
    export_output: str
    import_output: str
    manifest: dict[str, Any]


@pytest.fixture(scope="module")
def move(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("orgmove")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=folder / "source-files",
            STORAGE_BACKEND="local",
            AUDIT_CHECKPOINTS=folder / "checkpoints.jsonl",
        ),
        transaction.atomic(),
    ):
        # A transactional test run earlier in this process may have flushed the data.
        from chainproof.reference.services import bundled_datasets_load

        bundled_datasets_load()
        with transaction.atomic():
            demo = demo_organization_ensure()
            org = demo.organization
            reviewer = user_create(
                username="rita", password=None, email="Rita@example.com", organization=org
            )
            membership_create(organization=org, user=reviewer, role=Role.ANALYST)
            pat = user_create(
                username="pat", password=None, email="pat@example.com", organization=org
            )
            membership_create(organization=org, user=pat, role=Role.VIEWER)
        load_demo(org)
        demo_evidence_load(organization=org)
        demo_campaigns_load(organization=org)
        screen(organization_id=org.pk)
        risk_score_all(organization_id=org.pk)
        demo_case_load(organization=org, package=False)
        checkpoint_write()
        export = folder / "demo.zip"
        key_file = folder / "source_audit_key"
        key_file.write_text(settings.AUDIT_KEY + "\n", encoding="ascii")
        out = _run("org-export", "--organization", "demo", str(export), "--with-files")
        # Pat's old account changes its email after the export: on import nobody here has
        # pat@example.com, so Pat gets a new account (Rita's email still matches hers).
        get_user_model().objects.filter(pk=pat.pk).update(email="pat@elsewhere.example")
        with override_settings(MEDIA_ROOT=folder / "moved-files"):
            imported = _run(
                "org-import", str(export), "--slug", MOVED, "--source-audit-key", str(key_file)
            )
        with zipfile.ZipFile(export) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        yield Moved(
            folder,
            export,
            key_file,
            org,
            Organization.objects.get(slug=MOVED),
            out,
            imported,
            manifest,
        )
        transaction.set_rollback(True)


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _count(scoped, org: Organization) -> int:
    return scoped.rows(org.pk).count()


def test_every_kind_of_record_moves_in_the_same_number(move):
    compared = 0
    for scoped in scoped_models():
        assert _count(scoped, move.moved) == _count(scoped, move.source), scoped.label
        assert move.manifest["counts"][scoped.label] == _count(scoped, move.source)
        compared += _count(scoped, move.source)
        for m2m in many_to_many(scoped.model):
            pairs = through_of(m2m)._default_manager
            column = f"{m2m.m2m_field_name()}__in"
            assert (
                pairs.filter(**{column: scoped.rows(move.moved.pk)}).count()
                == pairs.filter(**{column: scoped.rows(move.source.pk)}).count()
            ), m2m
    non_empty = [s.label for s in scoped_models() if _count(s, move.source)]
    assert compared > 300
    assert len(non_empty) >= 25, non_empty
    assert move.moved.name == move.source.name
    assert f"{move.manifest['records']} records" in move.import_output


def test_documents_keep_their_hashes_and_their_files_come_from_the_file(move):
    def versions(org):
        return sorted(
            DocumentVersion.objects.filter(document__organization=org).values_list(
                "document__title", "number", "blob__sha256", "blob__size"
            )
        )

    assert versions(move.moved) == versions(move.source)
    assert len(versions(move.source)) >= 10
    with override_settings(MEDIA_ROOT=move.folder / "moved-files"):
        store = blob_store()
        hashes = {sha for _, _, sha, _ in versions(move.moved)}
        assert hashes
        assert {sha: store.verify(sha) for sha in hashes} == dict.fromkeys(hashes, BlobStatus.OK)


def test_the_audit_chain_verifies_after_the_move_and_names_the_old_one(move):
    out = _run("audit", "verify")
    assert f"{chain_for(move.moved.pk)}: " in out
    assert "BROKEN" not in out
    assert "MISMATCH" not in out
    source = list(AuditEvent.objects.filter(chain=chain_for(move.source.pk)).order_by("seq"))
    moved = list(AuditEvent.objects.filter(chain=chain_for(move.moved.pk)).order_by("seq"))
    assert len(source) > 100
    assert len(moved) == len(source) + 1
    for old, new in zip(source, moved, strict=False):
        assert (old.seq, old.action, old.created_at, old.actor_label, old.after) == (
            new.seq,
            new.action,
            new.created_at,
            new.actor_label,
            new.after,
        )
    last = moved[-1]
    assert last.action == "organization.imported"
    assert "imported from demo.zip, exported at" in last.object_repr
    assert last.after["source_head_hash"] == source[-1].hash
    suppliers = Supplier.objects.filter(organization=move.moved).count()
    assert last.after["records_by_kind"]["Suppliers"] == suppliers > 10
    assert last.after["source_events"] == len(source)
    assert last.after["source_key_verified"] is True
    assert last.after["source_checkpoints"] >= 1
    with zipfile.ZipFile(move.export) as archive:
        carried = archive.read("audit/events.jsonl")
    assert last.after["source_chain_sha256"] == sha256_bytes(carried)
    assert Blob.objects.filter(sha256=sha256_bytes(carried)).exists()
    with override_settings(MEDIA_ROOT=move.folder / "moved-files"):
        assert blob_store().verify(sha256_bytes(carried)) == BlobStatus.OK
    # An event about a moved record names the record's new id.
    supplier_events = [e for e in moved if e.object_type == "suppliers.supplier"]
    assert supplier_events
    for event in supplier_events:
        assert Supplier.objects.filter(organization=move.moved, pk=int(event.object_id)).exists()


def test_references_point_at_the_moved_records_only(move):
    org = move.moved
    hits = ScreeningHit.objects.filter(organization=org)
    risks = RiskAssessment.objects.filter(organization=org)
    links = DocumentLink.objects.filter(organization=org, target_type="supplier")
    assert hits.exists()
    assert risks.exists()
    assert links.exists()
    mine = set(Supplier.objects.filter(organization=org).values_list("pk", flat=True))
    assert set(links.values_list("target_id", flat=True)) <= mine
    assert set(hits.filter(node_type="supplier").values_list("node_id", flat=True)) <= mine
    assert set(risks.filter(node_type="supplier").values_list("node_id", flat=True)) <= mine
    for scoped in scoped_models():
        for field in moved_fields(scoped.model):
            target = field.related_model
            if not field.is_relation or target is None or target is Organization:
                continue
            if not any(f.name == "organization" for f in target._meta.concrete_fields):
                continue
            pointed = scoped.rows(org.pk).exclude(**{f"{field.attname}__isnull": True})
            outside = pointed.exclude(**{f"{field.name}__organization": org}).exclude(
                **{f"{field.name}__organization__isnull": True}
            )
            assert not outside.exists(), f"{scoped.label}.{field.name}"


def test_people_move_with_their_roles_but_no_secret(move):
    def roles(org):
        return sorted(
            (m.user.username, m.role) for m in Membership.objects.filter(organization=org)
        )

    assert roles(move.moved) == [
        (f"admin.{MOVED}", Role.ADMIN),
        (f"pat.{MOVED}", Role.VIEWER),
        ("rita", Role.ANALYST),
    ]
    assert roles(move.source) == [
        ("admin", Role.ADMIN),
        ("pat", Role.VIEWER),
        ("rita", Role.ANALYST),
    ]
    new_pat = get_user_model().objects.get(username=f"pat.{MOVED}")
    assert new_pat.email == "pat@example.com"
    assert list(PasswordResetForm().get_users("pat@example.com")) == [new_pat]
    assert not new_pat.check_password("")
    rita = get_user_model().objects.get(username="rita")
    assert Membership.objects.filter(organization=move.moved, user=rita).exists()
    assert "Existing accounts with the same email joined: rita" in move.import_output
    admin = Membership.objects.get(organization=move.moved, role=Role.ADMIN).user
    assert admin.username == f"admin.{MOVED}"
    assert admin.password != get_user_model().objects.get(username="admin").password
    assert not admin.is_staff
    assert not admin.is_superuser
    with zipfile.ZipFile(move.export) as archive:
        people = archive.read("users.jsonl").decode()
        everything = [archive.read(n) for n in archive.namelist() if not n.startswith("files/")]
    assert "rita" in people
    assert "password" not in people
    stored_hash = get_user_model().objects.get(username="admin").password
    assert not any(stored_hash.encode() in part for part in everything)


def test_the_manifest_describes_every_part(move):
    manifest = move.manifest
    assert manifest["format"] == "chainproof-organization"
    assert manifest["organization"]["slug"] == "demo"
    assert manifest["audit"]["verified_at_export"] is True
    with zipfile.ZipFile(move.export) as archive:
        names = set(archive.namelist()) - {"manifest.json"}
        assert names == set(manifest["parts"])
        for name in names:
            assert sha256_bytes(archive.read(name)) == manifest["parts"][name]["sha256"], name
    assert manifest["files"] == sum(1 for n in names if n.startswith("files/")) > 5
    assert f"SHA-256 of the file: {sha256_bytes(move.export.read_bytes())}" in move.export_output
    assert f"SHA-256 of the file: {sha256_bytes(move.export.read_bytes())}" in move.import_output


def test_every_record_kind_of_an_organization_moves_or_says_why_not(move):
    """A model added later with a key to Organization (or under one that has it) is either
    in the file or listed with its reason; a (kind, id) pair of columns is declared, and a
    field that looks like a secret is blanked."""
    moved_labels = {s.label for s in scoped_models()}
    for model in apps.get_models():
        if not model.__module__.startswith("chainproof."):
            continue
        name = model._meta.label_lower
        points_at_org = any(
            isinstance(f, models.ForeignKey) and f.related_model is Organization
            for f in model._meta.concrete_fields
        )
        if points_at_org:
            assert name in moved_labels or name in NOT_MOVED, name
        if name in moved_labels:
            assert name in move.manifest["counts"], name
    for scoped in scoped_models():
        columns = {f.name for f in moved_fields(scoped.model) if not f.is_relation}
        pairs = {c[:-5] for c in columns if c.endswith("_type") and f"{c[:-5]}_id" in columns}
        assert not pairs or scoped.label in TYPED_REFERENCES, (scoped.label, pairs)
        for field in moved_fields(scoped.model):
            if any(word in field.name for word in SECRET_WORDS):
                assert field.name in BLANKED.get(scoped.label, {}), (scoped.label, field.name)
    for label, (kind, _, kinds) in TYPED_REFERENCES.items():
        choices = apps.get_model(label)._meta.get_field(kind).choices
        if choices:
            assert {value for value, _ in choices} <= set(kinds), label


def test_importing_the_same_organization_twice_is_refused(move):
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=f"slug '{MOVED}' already exists"):
        _run("org-import", str(move.export), "--slug", MOVED)
    with pytest.raises(CommandError, match="slug 'demo' already exists"):
        _run("org-import", str(move.export))
    assert AuditEvent.objects.count() == before


def test_a_dry_run_checks_everything_and_stores_nothing(move):
    before = (AuditEvent.objects.count(), Organization.objects.count())
    with override_settings(MEDIA_ROOT=move.folder / "dry-files"):
        out = _run("org-import", str(move.export), "--slug", "demo-dry", "--dry-run")
    assert "Checked (dry run, nothing stored)" in out
    assert (AuditEvent.objects.count(), Organization.objects.count()) == before
    stored = [p for p in (move.folder / "dry-files").rglob("*") if p.is_file()]
    assert stored == []


def _rewrite(source: Path, target: Path, change, *, rehash: bool = False) -> None:
    """A copy of the export with ``change(parts)`` applied to the parts (name -> bytes);
    ``rehash`` recomputes each part's SHA-256 in the manifest as a forger would (without the
    audit key, the manifest's signature stays the old one)."""
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(parts.pop("manifest.json"))
    change(parts, manifest)
    if rehash:
        for name, data in parts.items():
            if name in manifest["parts"]:
                manifest["parts"][name].update(sha256=sha256_bytes(data), bytes=len(data))
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest))


def _rename_a_supplier(parts, manifest):
    lines = parts["records/suppliers.supplier.jsonl"].decode().splitlines()
    record = json.loads(lines[0])
    record["fields"]["name"] = "Someone Else Ltd"
    lines[0] = json.dumps(record)
    parts["records/suppliers.supplier.jsonl"] = ("\n".join(lines) + "\n").encode()


def _change_a_recorded_hash(parts, manifest):
    manifest["parts"]["records/evidence.document.jsonl"]["sha256"] = "0" * 64


def _drop_a_part(parts, manifest):
    del parts["records/evidence.documentversion.jsonl"]


def _change_an_audit_event(parts, manifest):
    lines = parts["audit/events.jsonl"].decode().splitlines()
    event = json.loads(lines[3])
    event["payload"]["actor_label"] = "somebody else"
    lines[3] = json.dumps(event)
    parts["audit/events.jsonl"] = ("\n".join(lines) + "\n").encode()


def _drop_an_audit_event(parts, manifest):
    lines = parts["audit/events.jsonl"].decode().splitlines()
    del lines[5]
    parts["audit/events.jsonl"] = ("\n".join(lines) + "\n").encode()


def _change_a_stored_file(parts, manifest):
    name = next(n for n in parts if n.startswith("files/"))
    parts[name] = parts[name] + b"tampered"


@pytest.mark.parametrize(
    ("change", "rehash", "with_key", "message"),
    [
        (_rename_a_supplier, False, False, "part records/suppliers.supplier.jsonl does not have"),
        (_change_a_recorded_hash, False, False, "part records/evidence.document.jsonl does not"),
        (_drop_a_part, False, False, "lists part records/evidence.documentversion.jsonl, which"),
        (_rename_a_supplier, True, True, "manifest's signature does not match"),
        (_change_an_audit_event, True, True, "manifest's signature does not match"),
        (_drop_an_audit_event, True, False, "expected position 6"),
        (_change_a_stored_file, True, False, "its SHA-256 is not the one it is named by"),
    ],
    ids=[
        "changed-record",
        "changed-hash",
        "missing-part",
        "changed-record-rehashed",
        "changed-audit-event-with-key",
        "removed-audit-event",
        "changed-file",
    ],
)
def test_a_tampered_file_is_refused_and_stores_nothing(move, change, rehash, with_key, message):
    target = move.folder / f"tampered-{change.__name__}-{rehash}-{with_key}.zip"
    _rewrite(move.export, target, change, rehash=rehash)
    before = (
        AuditEvent.objects.count(),
        Organization.objects.count(),
        get_user_model().objects.count(),
        Blob.objects.count(),
    )
    args = ["org-import", str(target), "--slug", "demo-tampered"]
    if with_key:
        args += ["--source-audit-key", str(move.key_file)]
    with (
        override_settings(MEDIA_ROOT=move.folder / "tampered-files"),
        pytest.raises(CommandError, match="nothing was imported") as refused,
    ):
        _run(*args)
    assert message in str(refused.value)
    assert not Organization.objects.filter(slug="demo-tampered").exists()
    after = (
        AuditEvent.objects.count(),
        Organization.objects.count(),
        get_user_model().objects.count(),
        Blob.objects.count(),
    )
    assert after == before


def test_the_old_key_must_be_the_exporting_instance_s(move):
    wrong = move.folder / "wrong_key"
    wrong.write_text("w" * 80, encoding="ascii")
    with pytest.raises(CommandError, match="signature does not match the source audit key"):
        _run(
            "org-import", str(move.export), "--slug", "demo-wrong", "--source-audit-key", str(wrong)
        )
    assert not Organization.objects.filter(slug="demo-x").exists()


def test_without_the_old_key_an_edited_event_shows_in_the_file_s_sha256(move):
    """An event edited by someone who rehashed the parts but kept each link's stored hash
    cannot be told from the real one without the old key: the import says it did not
    recompute the links, and the file's SHA-256 it prints (and records) is not the one the
    export printed. With the key the same file is refused (above)."""
    target = move.folder / "edited-event.zip"
    _rewrite(move.export, target, _change_an_audit_event, rehash=True)
    with override_settings(MEDIA_ROOT=move.folder / "tampered-files"):
        out = _run("org-import", str(target), "--slug", "demo-edited", "--dry-run")
    assert "not recomputed under the source audit key" in out
    exported = sha256_bytes(move.export.read_bytes())
    assert f"SHA-256 of the file: {exported}" in move.export_output
    assert f"SHA-256 of the file: {sha256_bytes(target.read_bytes())}" in out
    assert exported not in out


def test_a_file_that_is_not_an_export_is_refused(move, tmp_path):
    text = tmp_path / "notes.zip"
    text.write_text("not a zip", encoding="utf-8")
    with pytest.raises(CommandError, match="not a chainproof organization file"):
        _run("org-import", str(text))
    with pytest.raises(CommandError, match="no file"):
        _run("org-import", str(tmp_path / "missing.zip"))
    with pytest.raises(CommandError, match="not a valid slug"):
        _run("org-import", str(move.export), "--slug", "Not A Slug!")


def test_an_organization_whose_audit_chain_is_broken_is_not_exported(move):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET actor_label = %s WHERE chain = %s AND seq = 3",
            ["someone else", chain_for(move.source.pk)],
        )
    target = move.folder / "broken.zip"
    with pytest.raises(CommandError, match="does not verify") as refused:
        _run("org-export", "--organization", "demo", str(target))
    assert "position 3" in str(refused.value)
    assert not target.exists()
