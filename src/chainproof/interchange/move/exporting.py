"""Writing one organization to a file (``chainproof org-export``).

The whole export reads one snapshot of the database (a repeatable-read transaction on
PostgreSQL; SQLite's read transaction is one already), so records written meanwhile never
leave the file half-consistent. The audit chain is verified first: a chain that does not
verify is not carried elsewhere as if it did.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from chainproof.accounts.models import Organization
from chainproof.audit.checkpoints import checkpoints_read
from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import verify_audit_chain
from chainproof.audit.services import audit_key, chain_for
from chainproof.blobs.base import is_sha256
from chainproof.blobs.configured import blob_store
from chainproof.interchange.move.fileformat import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MoveWriter,
    file_sha256,
)
from chainproof.interchange.move.scope import (
    BLANKED,
    NOT_MOVED,
    SHARED,
    Scoped,
    insert_order,
    label,
    many_to_many,
    model_named,
    moved_fields,
    scoped_models,
    through_of,
)

Progress = Callable[[int, int | None, str], None]
USER_FIELDS = ("username", "email", "first_name", "last_name", "is_active", "date_joined")
_HASH_FIELD = re.compile(r"(^|_)sha256$")


class ExportRefused(RuntimeError):
    """The organization cannot be exported as it is (the message says why)."""


@dataclass
class ExportResult:
    path: Path
    sha256: str = ""
    records: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0
    files: int = 0
    files_missing: list[str] = field(default_factory=list)


@dataclass
class _Refs:
    """What the written rows point at, gathered while they stream out."""

    exported: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    targets: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    hashes: set[str] = field(default_factory=set)  # named by a *sha256 field: maybe stored
    blobs: set[str] = field(default_factory=set)  # stored files the records describe
    where: dict[str, str] = field(default_factory=dict)


def organization_export(
    *,
    organization: Organization,
    path: Path,
    with_files: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the organization's file. Refuses (ExportRefused) when its audit chain does
    not verify. Called outside a transaction it reads one repeatable snapshot; inside one,
    the caller's transaction is the snapshot."""
    report = progress or (lambda done, total, message: None)
    result = ExportResult(path=path)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        chain = chain_for(organization.pk)
        checkpoints = [c for c in checkpoints_read() if c.chain == chain]
        verified = verify_audit_chain(chain, checkpoints)
        if not verified.ok:
            problem = verified.first_break or (
                verified.checkpoints.problem if verified.checkpoints else ""
            )
            raise ExportRefused(
                f"the audit chain of {organization.slug} does not verify ({problem}); "
                "investigate with `chainproof audit verify` before moving it"
            )
        writer = MoveWriter(path)
        try:
            _write_all(writer, organization, result, report, with_files, checkpoints)
            manifest = _manifest(organization, result, verified, with_files, len(checkpoints))
            writer.finish(manifest, audit_key())
        except BaseException:
            writer.abort()
            path.unlink(missing_ok=True)
            raise
    result.sha256 = file_sha256(path)
    return result


def _write_all(
    writer: MoveWriter,
    organization: Organization,
    result: ExportResult,
    report: Progress,
    with_files: bool,
    checkpoints: list[Any],
) -> None:
    refs = _Refs()
    plan = insert_order(scoped_models())
    for number, scoped in enumerate(plan, start=1):
        report(number, len(plan) + 4, f"Writing {scoped.model._meta.verbose_name_plural}")
        count = writer.jsonl(f"records/{scoped.label}.jsonl", _rows(scoped, organization, refs))
        result.counts[scoped.label] = count
        result.records += count
        for m2m in many_to_many(scoped.model):
            name = f"{scoped.label}.{m2m.name}"
            result.counts[name] = writer.jsonl(
                f"many/{name}.jsonl", _pairs(scoped, m2m, organization, refs)
            )
    report(len(plan) + 1, len(plan) + 4, "Writing the audit trail")
    result.audit_events = writer.jsonl("audit/events.jsonl", _events(organization, refs))
    writer.jsonl(
        "audit/checkpoints.jsonl",
        iter(
            [
                {
                    "chain": c.chain,
                    "seq": c.seq,
                    "hash": c.hash,
                    "written_at": c.written_at,
                    "signature": c.signature,
                }
                for c in checkpoints
            ]
        ),
    )
    report(len(plan) + 2, len(plan) + 4, "Writing the people and shared records")
    _check_targets(organization, refs)
    user = get_user_model()
    user_ids = refs.targets.pop(label(user), set())
    result.counts["users"] = writer.jsonl("users.jsonl", _users(user_ids))
    for name in sorted(refs.targets):
        wanted = refs.targets[name] - refs.exported.get(name, set())
        if wanted:
            result.counts[f"shared:{name}"] = writer.jsonl(
                f"shared/{name}.jsonl", _shared(name, wanted, refs)
            )
    if with_files:
        report(len(plan) + 3, len(plan) + 4, "Copying the stored files")
        store = blob_store()
        for sha in sorted(refs.hashes | refs.blobs):
            if not store.exists(sha):
                if sha in refs.blobs:
                    result.files_missing.append(sha)
                continue
            writer.file(f"files/{sha}", store.chunks(sha))
            result.files += 1


def _rows(scoped: Scoped, organization: Organization, refs: _Refs) -> Iterator[dict[str, Any]]:
    fields = moved_fields(scoped.model)
    blank = BLANKED.get(scoped.label, {})
    exported = refs.exported[scoped.label]
    for obj in scoped.rows(organization.pk).iterator(chunk_size=2000):
        exported.add(obj.pk)
        values: dict[str, Any] = {}
        for f in fields:
            if f.name in blank:
                values[f.attname] = blank[f.name]
                continue
            value = f.value_from_object(obj)
            values[f.attname] = value
            if f.is_relation and value is not None:
                target = label(f.related_model)
                refs.targets[target].add(value)
                refs.where.setdefault(target, f"{scoped.label}.{f.name}")
            elif isinstance(value, str) and _HASH_FIELD.search(f.name) and is_sha256(value):
                refs.hashes.add(value)
        yield {"pk": obj.pk, "fields": values}


def _pairs(
    scoped: Scoped,
    m2m: models.ManyToManyField[Any, Any],
    organization: Organization,
    refs: _Refs,
) -> Iterator[list[int]]:
    through = through_of(m2m)
    source = f"{m2m.m2m_field_name()}_id"
    target = f"{m2m.m2m_reverse_field_name()}_id"
    owners = scoped.rows(organization.pk).values("pk")
    pairs = (
        through._default_manager.filter(**{f"{source}__in": owners})
        .order_by("pk")
        .values_list(source, target)
    )
    other = label(m2m.related_model)
    for a, b in pairs.iterator(chunk_size=5000):
        refs.targets[other].add(b)
        refs.where.setdefault(other, f"{scoped.label}.{m2m.name}")
        yield [a, b]


def _events(organization: Organization, refs: _Refs) -> Iterator[dict[str, Any]]:
    user = label(get_user_model())
    events = AuditEvent.objects.filter(chain=chain_for(organization.pk)).order_by("seq")
    for event in events.iterator(chunk_size=2000):
        if event.actor_id is not None:
            refs.targets[user].add(event.actor_id)
        yield {
            "seq": event.seq,
            "prev_hash": event.prev_hash,
            "hash": event.hash,
            "keyed": event.keyed,
            "payload": event.hash_payload(),
        }


def _check_targets(organization: Organization, refs: _Refs) -> None:
    """Every row pointed at either moves, is this organization, a person, or shared."""
    refs.targets.pop(label(Organization), None)
    user = label(get_user_model())
    for name, ids in refs.targets.items():
        outside = ids - refs.exported.get(name, set())
        if outside and name != user and name not in SHARED:
            raise ExportRefused(
                f"{refs.where.get(name, name)} points at {name} records that do not belong to "
                f"{organization.slug} and are not shared records this export knows how to carry"
            )


def _users(ids: set[int]) -> Iterator[dict[str, Any]]:
    user = get_user_model()
    for person in user._default_manager.filter(pk__in=ids).order_by("pk").iterator():
        yield {"pk": person.pk, "fields": {f: getattr(person, f) for f in USER_FIELDS}}


def _shared(name: str, ids: set[int], refs: _Refs) -> Iterator[dict[str, Any]]:
    model = model_named(name)
    fields = [f for f in moved_fields(model) if not f.is_relation]
    for obj in model._default_manager.filter(pk__in=ids).order_by("pk").iterator():
        values = {f.attname: f.value_from_object(obj) for f in fields}
        if name == "evidence.blob":
            refs.blobs.add(values["sha256"])
        yield {"pk": obj.pk, "fields": values}


def _manifest(
    organization: Organization,
    result: ExportResult,
    verified: Any,
    with_files: bool,
    checkpoints: int,
) -> dict[str, Any]:
    head = AuditEvent.objects.filter(chain=chain_for(organization.pk)).order_by("-seq").first()
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "chainproof_version": version("chainproof"),
        "exported_at": timezone.now().isoformat(),
        "organization": {
            "name": organization.name,
            "slug": organization.slug,
            "is_demo": organization.is_demo,
            "created_at": organization.created_at.isoformat(),
            "id_on_source": organization.pk,
        },
        "counts": dict(sorted(result.counts.items())),
        "records": result.records,
        "audit": {
            "chain": chain_for(organization.pk),
            "events": result.audit_events,
            "head_seq": head.seq if head else 0,
            "head_hash": head.hash if head else "",
            "verified_at_export": True,
            "events_from_before_keying": verified.unkeyed,
            "checkpoints": checkpoints,
        },
        "with_files": with_files,
        "files": result.files,
        "files_missing": result.files_missing,
        "not_moved": NOT_MOVED,
    }
