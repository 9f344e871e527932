"""Reading an organization file into this instance (``chainproof org-import``).

All or nothing: the file is checked whole first (every part against the manifest, the
carried audit chain link by link), stored files are published under their SHA-256 (a file
no record names is harmless), then one transaction writes the organization, its people,
every record with its foreign keys pointed at the new ids, the re-chained audit trail and
the "organization imported" event; the counts are compared with the manifest and the new
chain verified before it commits. Any problem rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, models, transaction

from chainproof.accounts.models import Organization
from chainproof.audit.models import AuditChainHead, AuditEvent
from chainproof.audit.selectors import verify_audit_chain
from chainproof.audit.services import audit_record, chain_for
from chainproof.blobs.configured import blob_store
from chainproof.blobs.errors import BlobEmpty
from chainproof.blobs.spool import spool
from chainproof.bulk import insert, new_instance
from chainproof.evidence.models import Blob
from chainproof.interchange.move.chain import (
    EVENTS,
    SourceChain,
    lines_of,
    rechain,
    source_chain_check,
)
from chainproof.interchange.move.fileformat import MoveReader, decode, file_sha256
from chainproof.interchange.move.ids import IdMaps, ImportRefused, decoded
from chainproof.interchange.move.outside import shared_import, users_import
from chainproof.interchange.move.scope import (
    TYPED_REFERENCES,
    insert_order,
    label,
    many_to_many,
    model_named,
    moved_fields,
    scoped_models,
    through_of,
)

Progress = Callable[[int, int | None, str], None]
BATCH = 1000


@dataclass
class ImportResult:
    organization: Organization | None
    file_sha256: str
    records: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    users_matched: list[str] = field(default_factory=list)
    audit_events: int = 0
    source: SourceChain | None = None
    files: int = 0
    dry_run: bool = False


def organization_import(
    *,
    path: Path,
    slug: str | None = None,
    source_key: bytes | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the file into this instance; ImportRefused (a MoveFileError) says why not."""
    report = progress or (lambda done, total, message: None)
    reader = MoveReader(path)
    try:
        report(0, None, "Checking the file")
        result = ImportResult(None, file_sha256(path), dry_run=dry_run)
        reader.check_parts()
        if source_key is not None and not reader.signed_by(source_key):
            raise ImportRefused(
                f"{path}: the manifest's signature does not match the source audit key (the "
                "file was changed, or the key is not the exporting instance's)"
            )
        manifest = reader.manifest
        source_org = manifest.get("organization") or {}
        slug = slug or str(source_org.get("slug", ""))
        try:
            validate_slug(slug)
        except ValidationError:
            raise ImportRefused(
                f"{slug!r} is not a valid slug (letters, digits, hyphens and underscores)"
            ) from None
        if Organization.objects.filter(slug=slug).exists():
            raise ImportRefused(
                f"an organization with the slug {slug!r} already exists on this instance; "
                "import into an instance without it (or give another slug with --slug)"
            )
        _check_manifest_counts(reader)
        report(0, None, "Checking the audit trail")
        result.source = source_chain_check(reader, source_key)
        report(0, None, "Storing the files")
        chain_file = _store_files(reader, result, dry_run)
        try:
            with transaction.atomic():
                _write(reader, slug, result, chain_file, report)
                if dry_run:
                    transaction.set_rollback(True)
        except IntegrityError as exc:
            raise ImportRefused(
                f"the records break a rule of this instance's database ({exc}); nothing was stored"
            ) from None
        return result
    finally:
        reader.close()


def _check_manifest_counts(reader: MoveReader) -> None:
    counts = reader.manifest.get("counts") or {}
    for name, facts in reader.parts.items():
        if name.startswith(("records/", "many/", "shared/")) or name == "users.jsonl":
            key = name.split("/", 1)[-1].removesuffix(".jsonl")
            key = "users" if name == "users.jsonl" else key
            key = f"shared:{key}" if name.startswith("shared/") else key
            if counts.get(key) != facts.get("lines"):
                raise ImportRefused(
                    f"{name}: {facts.get('lines')} records, but the manifest counts "
                    f"{counts.get(key)}"
                )


def _store_files(reader: MoveReader, result: ImportResult, dry_run: bool) -> str:
    """Publish every carried file (checked against its name) and the carried audit chain in
    the blob store before the transaction; returns the chain file's SHA-256."""
    store = blob_store()
    for name, facts in sorted(reader.parts.items()):
        if not name.startswith("files/"):
            continue
        sha = name.removeprefix("files/")
        if facts.get("sha256") != sha:
            raise ImportRefused(f"{name}: its SHA-256 is not the one it is named by")
        with reader.open(name) as source:
            try:
                spooled = spool(source, max_bytes=int(facts.get("bytes", 0)) + 1)
            except BlobEmpty:
                raise ImportRefused(f"{name}: empty") from None
        with spooled:
            if spooled.sha256 != sha:
                raise ImportRefused(f"{name}: its content does not have the SHA-256 it is named by")
            if not dry_run:
                store.put(spooled)
        result.files += 1
    if not reader.parts.get(EVENTS, {}).get("bytes"):
        return ""
    with spool(lines_of(reader), max_bytes=int(reader.parts[EVENTS]["bytes"]) + 1) as spooled:
        if not dry_run:
            store.put(spooled)
        return spooled.sha256


def _write(
    reader: MoveReader, slug: str, result: ImportResult, chain_file: str, report: Progress
) -> None:
    manifest = reader.manifest
    source_org = manifest["organization"]
    org = Organization.objects.create(
        name=source_org["name"],
        slug=slug,
        is_demo=bool(source_org.get("is_demo")),
        created_at=decode(Organization._meta.get_field("created_at"), source_org["created_at"]),
    )
    result.organization = org
    chain = chain_for(org.pk)
    if (
        AuditEvent.objects.filter(chain=chain).exists()
        or AuditChainHead.objects.filter(chain=chain).exists()
    ):
        raise ImportRefused(f"this instance already holds an audit chain named {chain}")
    maps = IdMaps()
    maps.ids[label(Organization)][source_org.get("id_on_source")] = org.pk
    users_import(reader, org, maps, result.users_created, result.users_matched)
    shared_import(reader, maps)
    plan = insert_order(scoped_models())
    known = {s.label for s in plan}
    for name in reader.parts:
        if name.startswith("records/") and name[8:].removesuffix(".jsonl") not in known:
            raise ImportRefused(f"{name}: this chainproof has no such kind of record to hold it")
    for number, scoped in enumerate(plan, start=1):
        report(number, len(plan), f"Writing {scoped.model._meta.verbose_name_plural}")
        result.counts[scoped.label] = _records(reader, scoped.model, org, maps)
        result.records += result.counts[scoped.label]
    _apply_fixups(maps)
    for scoped in plan:
        for m2m in many_to_many(scoped.model):
            name = f"{scoped.label}.{m2m.name}"
            result.counts[name] = _pairs(reader, scoped.label, m2m, maps)
    _compare_counts(plan, org, manifest.get("counts") or {})
    seq, head = rechain(
        reader,
        chain=chain,
        organization_id=org.pk,
        actor_ids=maps.ids[label(get_user_model())],
        object_id=lambda kind, old: _object_id(maps, kind, old),
    )
    AuditChainHead.objects.create(chain=chain, seq=seq, hash=head)
    result.audit_events = seq
    _record_import(reader, org, result, chain_file)
    verified = verify_audit_chain(chain)
    if not verified.ok:
        raise ImportRefused(f"the re-chained audit trail does not verify: {verified.first_break}")


def _records(reader: MoveReader, model: type[models.Model], org: Organization, maps: IdMaps) -> int:
    name = f"records/{label(model)}.jsonl"
    fields = {f.attname: f for f in moved_fields(model)}
    mine = maps.ids[label(model)]
    typed = TYPED_REFERENCES.get(label(model))
    count = 0
    batch: list[tuple[int, models.Model, list[tuple[str, str, int]]]] = []

    def flush() -> None:
        insert([obj for _, obj, _ in batch])
        for old, obj, later in batch:
            mine[old] = obj.pk
            maps.fixups.extend((model, obj.pk, a, t, o) for a, t, o in later)
        batch.clear()

    for number, line in enumerate(reader.lines(name), start=1):
        values: dict[str, Any] = {}
        later: list[tuple[str, str, int]] = []
        for attname, raw in line["fields"].items():
            f = fields.get(attname)
            if f is None:
                decoded(fields, attname, raw, name, number)  # refuses
            elif f.is_relation and raw is not None:
                target = label(f.related_model)
                new = maps.new(target, raw)
                if new is None and f.null:
                    later.append((attname, target, raw))
                elif new is None:
                    raise ImportRefused(
                        f"{name}, line {number}: {f.name} points at {target} {raw}, which the "
                        "file does not carry"
                    )
                values[attname] = new
            else:
                values[attname] = decoded(fields, attname, raw, name, number)
        if typed is not None:
            _typed(values, typed, maps, name, number)
        batch.append((line["pk"], new_instance(model, values), later))
        count += 1
        if len(batch) >= BATCH:
            flush()
    flush()
    return count


def _typed(
    values: dict[str, Any],
    typed: tuple[str, str, dict[str, str]],
    maps: IdMaps,
    name: str,
    number: int,
) -> None:
    """A (kind, id) reference, remapped like a foreign key (its targets are written first).
    One that pointed at nothing on the old instance (a record deleted since) points at
    nothing here either: 0, never an id that could name another record."""
    kind_field, id_field, kinds = typed
    target = kinds.get(values.get(kind_field, ""))
    if target is None:
        raise ImportRefused(
            f"{name}, line {number}: {kind_field} {values.get(kind_field)!r} is not a kind of "
            "record this chainproof can point at"
        )
    values[id_field] = maps.new(target, values[id_field]) or 0


def _apply_fixups(maps: IdMaps) -> None:
    """Optional keys that pointed at rows written later (a parent supplier, a translated
    document, the supplier of a contact) are set once every row is in."""
    for model, pk, attname, target, old in maps.fixups:
        new = maps.new(target, old)
        if new is None:
            raise ImportRefused(
                f"records/{label(model)}.jsonl: {attname} points at {target} {old}, which the "
                "file does not carry"
            )
        model._default_manager.filter(pk=pk).update(**{attname: new})


def _pairs(
    reader: MoveReader, owner: str, m2m: models.ManyToManyField[Any, Any], maps: IdMaps
) -> int:
    through = through_of(m2m)
    source = f"{m2m.m2m_field_name()}_id"
    target = f"{m2m.m2m_reverse_field_name()}_id"
    other = label(m2m.related_model)
    name = f"many/{owner}.{m2m.name}.jsonl"
    rows = []
    for number, (a, b) in enumerate(reader.lines(name), start=1):
        new_a, new_b = maps.new(owner, a), maps.new(other, b)
        if new_a is None or new_b is None:
            raise ImportRefused(f"{name}, line {number}: points at a record the file lacks")
        rows.append(new_instance(through, {source: new_a, target: new_b}))
    insert(rows)
    return len(rows)


def _compare_counts(plan: list[Any], org: Organization, expected: dict[str, int]) -> None:
    for scoped in plan:
        stored = scoped.rows(org.pk).count()
        if stored != expected.get(scoped.label, 0):
            raise ImportRefused(
                f"{scoped.label}: {stored} records stored, but the manifest counts "
                f"{expected.get(scoped.label, 0)}"
            )


def _object_id(maps: IdMaps, kind: str, old: str) -> str:
    """An event's object under its new id; an id that cannot be followed (a record deleted
    before the export, or one that does not move) is kept as ``source:<id>`` so it never
    names another record here."""
    if not old or not old.isdigit():
        return old
    new = maps.new(kind, int(old))
    return str(new) if new is not None else f"source:{old}"


def _record_import(
    reader: MoveReader, org: Organization, result: ImportResult, chain_file: str
) -> None:
    manifest = reader.manifest
    source = result.source
    assert source is not None  # noqa: S101 (checked before the transaction)
    if chain_file:
        # Described like any stored file, so `chainproof evidence verify --all` re-hashes it.
        Blob.objects.get_or_create(
            sha256=chain_file,
            defaults={
                "size": int(reader.parts[EVENTS]["bytes"]),
                "content_type": "application/jsonl",
                "backend": blob_store().name,
            },
        )
    audit_record(
        action="organization.imported",
        organization=org,
        obj=org,
        actor_label="chainproof org-import",
        object_repr=(
            f"{org.name} imported from {reader.path.name}, exported at "
            f"{manifest.get('exported_at')}, {result.records} records"
        )[:300],
        after={
            "file": reader.path.name,
            "file_sha256": result.file_sha256,
            "exported_at": manifest.get("exported_at"),
            "exported_by": f"chainproof {manifest.get('chainproof_version')}",
            "format_version": manifest.get("format_version"),
            "records": result.records,
            "records_by_kind": _in_words(result.counts),
            "files": result.files,
            "users_created": result.users_created,
            "users_matched": result.users_matched,
            "source_chain": manifest.get("audit", {}).get("chain"),
            "source_events": source.events,
            "source_head_hash": source.head_hash,
            "source_checkpoints": source.checkpoints,
            "source_key_verified": source.key_checked,
            "source_chain_sha256": chain_file,
        },
    )


def _in_words(counts: dict[str, int]) -> dict[str, int]:
    """The kinds of record moved, as people call them ("document versions"), without zeros."""
    words: dict[str, int] = {}
    for name, count in sorted(counts.items()):
        if not count:
            continue
        app, model_name, *field_name = name.split(".")
        model = model_named(f"{app}.{model_name}")
        shown = str(model._meta.verbose_name_plural)
        if field_name:
            verbose = model._meta.get_field(field_name[0]).verbose_name  # type: ignore[union-attr]
            shown = f"{model._meta.verbose_name} {verbose}"
        words[shown[:1].upper() + shown[1:]] = count
    return words
