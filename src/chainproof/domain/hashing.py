"""Hashing: streaming file digests and the audit trail's hash chain.

An audit event's hash covers a canonical JSON encoding of its content plus the hash
of the event before it in the same chain, so changing, removing or reordering any
stored event breaks every link after it.

The chain is keyed: each link is an HMAC-SHA256 under a key kept outside the database,
so someone who can write to the database but does not hold the key cannot forge an event
and recompute the links after it. Events written before keying (plain SHA-256) are
accepted only at the start of a chain; a plain link after a keyed one is a forgery.
Checkpoints of a chain's head, signed with the same key and kept outside the database,
catch a chain rewritten from its start.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

GENESIS_HASH = "0" * 64
_CHUNK = 1024 * 1024


# One encoder for every call: json.dumps with these arguments would build a new one each
# time (the text is the same).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """Encode JSON-compatible data the same way every time (sorted keys, no spaces)."""
    return _CANONICAL.encode(value).encode("utf-8")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_stream(stream: IO[bytes]) -> str:
    """SHA-256 of a binary stream, read in chunks so large files never sit in memory."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def chain_hash(prev_hash: str, payload: Mapping[str, Any], key: bytes | None = None) -> str:
    """The hash of one chain link over the previous hash and the payload: HMAC-SHA256
    under ``key``, or plain SHA-256 (links written before the chain was keyed)."""
    if len(prev_hash) != 64:
        raise ValueError(f"previous hash must be 64 hex characters, found {len(prev_hash)}")
    message = prev_hash.encode("ascii") + b"\n" + canonical_json(dict(payload))
    if key is not None:
        return hmac.digest(key, message, "sha256").hex()
    return hashlib.sha256(message).hexdigest()


def signature(key: bytes, fields: Mapping[str, Any]) -> str:
    """An HMAC-SHA256 over canonical JSON: signs a checkpoint so it cannot be made up."""
    return hmac.new(key, canonical_json(dict(fields)), hashlib.sha256).hexdigest()


def signature_matches(key: bytes, fields: Mapping[str, Any], claimed: str) -> bool:
    return hmac.compare_digest(signature(key, fields), claimed)


@dataclass(frozen=True)
class ChainLink:
    """One stored event as the verifier sees it."""

    ident: int
    seq: int
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str
    keyed: bool = False


@dataclass(frozen=True)
class ChainBreak:
    ident: int
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.ident} (position {self.seq}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None
    unkeyed: int = 0  # links at the start written before the chain was keyed

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(links: Iterable[ChainLink], key: bytes | None = None) -> ChainReport:
    """Walk links in sequence order and report the first one that does not hold.

    Keyed links are recomputed with ``key``; plain links are accepted only before the
    first keyed one (the chain's history from before keying)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    unkeyed = 0
    keyed_seen = False
    for link in _in_order(links):
        checked += 1
        if link.keyed:
            keyed_seen = True
            if key is None:
                return ChainReport(
                    checked,
                    ChainBreak(link.ident, link.seq, "a keyed event, but no audit key is set"),
                    unkeyed,
                )
        elif keyed_seen:
            return ChainReport(
                checked,
                ChainBreak(
                    link.ident,
                    link.seq,
                    "an unkeyed event after keyed ones: written by someone without the audit "
                    "key (forged)",
                ),
                unkeyed,
            )
        else:
            unkeyed += 1
        if link.seq != expected_seq:
            return ChainReport(
                checked,
                ChainBreak(
                    link.ident,
                    link.seq,
                    f"sequence gap: expected position {expected_seq}, found {link.seq} "
                    "(an event was removed or inserted)",
                ),
                unkeyed,
            )
        if link.prev_hash != expected_prev:
            return ChainReport(
                checked,
                ChainBreak(
                    link.ident,
                    link.seq,
                    "previous-hash does not match the event before it "
                    f"(expected {expected_prev[:12]}…, found {link.prev_hash[:12]}…)",
                ),
                unkeyed,
            )
        recomputed = chain_hash(link.prev_hash, link.payload, key if link.keyed else None)
        if not hmac.compare_digest(recomputed, link.hash):
            return ChainReport(
                checked,
                ChainBreak(
                    link.ident,
                    link.seq,
                    "content was changed after it was written "
                    f"(stored hash {link.hash[:12]}…, recomputed {recomputed[:12]}…)",
                ),
                unkeyed,
            )
        expected_prev = link.hash
        expected_seq += 1
    return ChainReport(checked, None, unkeyed)


def _in_order(links: Iterable[ChainLink]) -> Iterator[ChainLink]:
    previous = 0
    for link in links:
        if link.seq < previous:
            raise ValueError("links must be given in ascending sequence order")
        previous = link.seq
        yield link
