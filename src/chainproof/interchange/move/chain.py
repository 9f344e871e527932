"""The audit chain across a move.

The exporting instance verifies the organization's chain under its own audit key and
writes every event exactly as stored (content, position, previous hash, hash) together
with its signed checkpoints. The import

1. checks the carried chain: positions 1..N without a gap, each event's previous hash the
   hash of the one before, the last hash the head the manifest names; and, when the
   customer gives the old instance's audit key (``--source-audit-key``), recomputes every
   link and every checkpoint signature under it, so nothing in the carried chain can have
   been altered since it was written;
2. keeps the carried chain verbatim in the blob store (named by its SHA-256), so it can be
   verified again with the old key at any time;
3. writes the same events, in the same order and at the same positions, into the new
   organization's chain under the new instance's key (ids remapped to the new records),
   then appends an "organization imported" event naming the old head hash, the SHA-256 of
   the carried chain and whether the old key verified it.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_datetime

from chainproof.audit.models import AuditEvent
from chainproof.audit.services import audit_key
from chainproof.bulk import insert, new_instance
from chainproof.domain.hashing import GENESIS_HASH, chain_hash, signature_matches
from chainproof.interchange.move.fileformat import MoveFileError, MoveReader

EVENTS = "audit/events.jsonl"
CHECKPOINTS = "audit/checkpoints.jsonl"
BATCH = 2000


@dataclass(frozen=True)
class SourceChain:
    events: int
    head_seq: int
    head_hash: str
    key_checked: bool  # every link recomputed under the old instance's key
    checkpoints: int


def source_chain_check(reader: MoveReader, source_key: bytes | None) -> SourceChain:
    """Walk the carried chain; MoveFileError at the first link that does not hold."""
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    hashes: dict[int, str] = {}
    for event in reader.lines(EVENTS):
        try:
            seq, prev, stored, payload = (
                int(event["seq"]),
                str(event["prev_hash"]),
                str(event["hash"]),
                dict(event["payload"]),
            )
        except (KeyError, TypeError, ValueError):
            raise MoveFileError(f"{EVENTS}, line {count + 1}: not an audit event") from None
        where = f"{EVENTS}: event at position {seq}"
        if seq != expected_seq:
            raise MoveFileError(
                f"{where}: expected position {expected_seq} (an event was removed or added)"
            )
        if prev != expected_prev:
            raise MoveFileError(
                f"{where}: its previous hash is not the hash of the event before it (the chain "
                "was changed)"
            )
        if payload.get("seq") != seq:
            raise MoveFileError(f"{where}: its content names another position")
        if source_key is not None:
            key = source_key if event.get("keyed") else None
            if not hmac.compare_digest(chain_hash(prev, payload, key), stored):
                raise MoveFileError(
                    f"{where}: its content does not match its hash under the source audit key "
                    "(changed after it was written, or the key is not the old instance's)"
                )
        hashes[seq] = stored
        expected_prev, expected_seq, count = stored, seq + 1, count + 1
    audit = reader.manifest.get("audit") or {}
    head_seq, head_hash = count, expected_prev if count else ""
    if count != audit.get("events") or head_seq != audit.get("head_seq"):
        raise MoveFileError(
            f"{EVENTS}: {count} events, but the manifest says {audit.get('events')} (events "
            "were removed from the end)"
        )
    if head_hash != audit.get("head_hash", ""):
        raise MoveFileError(f"{EVENTS}: the last hash is not the head the manifest names")
    checkpoints = 0
    for point in reader.lines(CHECKPOINTS):
        checkpoints += 1
        fields = {
            "chain": point.get("chain"),
            "seq": point.get("seq"),
            "hash": point.get("hash"),
            "at": point.get("written_at"),
        }
        if hashes.get(int(point.get("seq") or 0)) != point.get("hash"):
            raise MoveFileError(
                f"{CHECKPOINTS}, line {checkpoints}: the checkpoint names a hash the carried "
                "chain does not have at that position (the chain was rewritten)"
            )
        if source_key is not None and not signature_matches(
            source_key, fields, str(point.get("signature", ""))
        ):
            raise MoveFileError(
                f"{CHECKPOINTS}, line {checkpoints}: the signature does not match the source "
                "audit key"
            )
    return SourceChain(count, head_seq, head_hash, source_key is not None, checkpoints)


def rechain(
    reader: MoveReader,
    *,
    chain: str,
    organization_id: int,
    actor_ids: dict[int, int],
    object_id: Any,
) -> tuple[int, str]:
    """Write the carried events into ``chain`` under this instance's key, at the same
    positions; returns the head (position, hash). ``object_id(type, id)`` maps an event's
    object to its new id."""
    key = audit_key()
    prev, seq = GENESIS_HASH, 0
    batch: list[AuditEvent] = []
    for event in reader.lines(EVENTS):
        payload = event["payload"]
        created = parse_datetime(str(payload["created_at"]))
        if created is None:
            raise MoveFileError(f"{EVENTS}: event at position {event['seq']} has no valid time")
        actor = payload.get("actor_id")
        if actor is not None and actor not in actor_ids:
            raise MoveFileError(
                f"{EVENTS}: event at position {event['seq']} names a person the file does not carry"
            )
        seq = int(event["seq"])
        row = new_instance(
            AuditEvent,
            {
                "chain": chain,
                "seq": seq,
                "organization_id": organization_id,
                "actor_id": None if actor is None else actor_ids[actor],
                "actor_label": payload["actor_label"],
                "action": payload["action"],
                "object_type": payload["object_type"],
                "object_id": object_id(payload["object_type"], payload["object_id"]),
                "object_repr": payload["object_repr"],
                "before": payload["before"],
                "after": payload["after"],
                "created_at": created,
                "request_id": payload["request_id"],
                "prev_hash": prev,
                "keyed": True,
            },
        )
        row.hash = prev = chain_hash(prev, row.hash_payload(), key)
        batch.append(row)
        if len(batch) >= BATCH:
            insert(batch)
            batch = []
    insert(batch)
    return seq, prev


def lines_of(reader: MoveReader) -> Iterator[bytes]:
    """The carried chain's bytes, as written (kept in the blob store)."""
    with reader.open(EVENTS) as source:
        while chunk := source.read(1 << 20):
            yield chunk
