"""Hashing: streaming file digests and the audit trail's hash chain.

An audit event's hash covers a canonical JSON encoding of its content plus the hash
of the event before it in the same chain, so changing, removing or reordering any
stored event breaks every link after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

GENESIS_HASH = "0" * 64
_CHUNK = 1024 * 1024


def canonical_json(value: Any) -> bytes:
    """Encode JSON-compatible data the same way every time (sorted keys, no spaces)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_stream(stream: IO[bytes]) -> str:
    """SHA-256 of a binary stream, read in chunks so large files never sit in memory."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def chain_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """The hash of one chain link: SHA-256 over the previous hash and the payload."""
    if len(prev_hash) != 64:
        raise ValueError(f"previous hash must be 64 hex characters, found {len(prev_hash)}")
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_json(dict(payload)))
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One stored event as the verifier sees it."""

    ident: int
    seq: int
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str


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

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(links: Iterable[ChainLink]) -> ChainReport:
    """Walk links in sequence order and report the first one that does not hold."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for link in _in_order(links):
        checked += 1
        if link.seq != expected_seq:
            return ChainReport(
                checked,
                ChainBreak(
                    link.ident,
                    link.seq,
                    f"sequence gap: expected position {expected_seq}, found {link.seq} "
                    "(an event was removed or inserted)",
                ),
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
            )
        recomputed = chain_hash(link.prev_hash, link.payload)
        if recomputed != link.hash:
            return ChainReport(
                checked,
                ChainBreak(
                    link.ident,
                    link.seq,
                    "content was changed after it was written "
                    f"(stored hash {link.hash[:12]}…, recomputed {recomputed[:12]}…)",
                ),
            )
        expected_prev = link.hash
        expected_seq += 1
    return ChainReport(checked, None)


def _in_order(links: Iterable[ChainLink]) -> Iterator[ChainLink]:
    previous = 0
    for link in links:
        if link.seq < previous:
            raise ValueError("links must be given in ascending sequence order")
        previous = link.seq
        yield link
