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
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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


def reusable_encode(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """``encoder.encode`` without its per-call set-up: the C encoder it builds on every
    call is built once per thread (the text is the same). After a refused value (the
    encoder's circular-reference markers may be left half-filled) a fresh one is built."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if (
        make is None
        or encoder.indent is not None
        or type(encoder).encode is not (json.JSONEncoder.encode)
        or type(encoder).iterencode is not json.JSONEncoder.iterencode
    ):
        return encoder.encode
    text = (
        json.encoder.encode_basestring_ascii
        if encoder.ensure_ascii
        else (json.encoder.encode_basestring)
    )

    def build() -> Any:
        return make(
            {} if encoder.check_circular else None,
            encoder.default,
            text,
            encoder.indent,
            encoder.key_separator,
            encoder.item_separator,
            encoder.sort_keys,
            encoder.skipkeys,
            encoder.allow_nan,
        )

    # One per thread: its markers must not see another thread's encoding in progress.
    local = threading.local()

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return str(text(value))
        try:
            current = local.encoder
        except AttributeError:
            current = local.encoder = build()
        try:
            return "".join(current(value, 0))
        except BaseException:
            local.encoder = build()
            raise

    return encode


# The canonical text of one value (canonical_json before its UTF-8 encoding).
canonical_text = reusable_encode(_CANONICAL)


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


def chain_hash_text(prev_hash: str, payload_text: str, key: bytes | None = None) -> str:
    """``chain_hash`` given the payload's canonical text (``canonical_text`` of the
    payload, or the same text put together from its parts)."""
    if len(prev_hash) != 64:
        raise ValueError(f"previous hash must be 64 hex characters, found {len(prev_hash)}")
    message = prev_hash.encode("ascii") + b"\n" + payload_text.encode("utf-8")
    if key is not None:
        return hmac.digest(key, message, "sha256").hex()
    return hashlib.sha256(message).hexdigest()


class CanonicalTemplate:
    """The canonical text of dicts with the same keys, some values the same in every one
    (``fixed``), encoded once: ``text(values)`` takes the others in ``slots`` order and
    gives what ``canonical_text`` gives for the whole dict."""

    def __init__(self, keys: Iterable[str], fixed: Mapping[str, Any]) -> None:
        pieces: list[str] = []
        slots: list[str] = []
        current = "{"
        for i, name in enumerate(sorted(keys)):
            current += ("," if i else "") + canonical_text(name) + ":"
            if name in fixed:
                current += canonical_text(fixed[name])
            else:
                pieces.append(current)
                slots.append(name)
                current = ""
        self.slots = tuple(slots)
        # One format string: the fixed text with its braces doubled, a field per slot.
        self._format = (
            "{}".join(p.replace("{", "{{").replace("}", "}}") for p in [*pieces, current + "}"])
        ).format

    def text(self, encoded: Sequence[str]) -> str:
        """The dict's text from its slot values, each already ``canonical_text``."""
        if len(encoded) != len(self.slots):
            raise ValueError(f"{len(self.slots)} values expected, found {len(encoded)}")
        return str(self._format(*encoded))


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
