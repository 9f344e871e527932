import hashlib
import io

import pytest

from chainproof.domain.hashing import (
    GENESIS_HASH,
    ChainLink,
    canonical_json,
    chain_hash,
    sha256_stream,
    verify_chain,
)


def test_canonical_json_is_independent_of_key_order_and_keeps_unicode():
    assert canonical_json({"b": 1, "a": "新疆"}) == canonical_json({"a": "新疆", "b": 1})
    assert canonical_json({"a": "新疆"}) == '{"a":"新疆"}'.encode()


def test_canonical_json_refuses_nan():
    with pytest.raises(ValueError, match="JSON"):
        canonical_json({"x": float("nan")})


def test_sha256_stream_matches_hashlib_on_multi_chunk_input():
    data = b"x" * (3 * 1024 * 1024 + 17)
    assert sha256_stream(io.BytesIO(data)) == hashlib.sha256(data).hexdigest()


def test_chain_hash_depends_on_payload_and_previous_hash():
    base = chain_hash(GENESIS_HASH, {"a": 1})
    assert base != chain_hash(GENESIS_HASH, {"a": 2})
    assert base != chain_hash("f" * 64, {"a": 1})
    assert base == chain_hash(GENESIS_HASH, {"a": 1})
    with pytest.raises(ValueError, match="64 hex"):
        chain_hash("abc", {"a": 1})


def _build(payloads):
    links, prev = [], GENESIS_HASH
    for seq, payload in enumerate(payloads, start=1):
        digest = chain_hash(prev, payload)
        links.append(
            ChainLink(ident=100 + seq, seq=seq, payload=payload, prev_hash=prev, hash=digest)
        )
        prev = digest
    return links


def test_verify_chain_accepts_an_intact_chain():
    report = verify_chain(_build([{"n": i} for i in range(5)]))
    assert report.ok
    assert report.checked == 5


def test_verify_chain_finds_changed_content():
    links = _build([{"n": i} for i in range(5)])
    tampered = links[2]
    links[2] = ChainLink(tampered.ident, tampered.seq, {"n": 99}, tampered.prev_hash, tampered.hash)
    report = verify_chain(links)
    assert not report.ok
    assert report.first_break.ident == 103
    assert "content was changed" in report.first_break.reason


def test_verify_chain_finds_a_removed_event():
    links = _build([{"n": i} for i in range(5)])
    del links[1]
    report = verify_chain(links)
    assert report.first_break.seq == 3
    assert "sequence gap" in report.first_break.reason


def test_verify_chain_finds_a_rehashed_event_whose_successor_no_longer_links():
    links = _build([{"n": i} for i in range(4)])
    forged = {"n": 42}
    links[1] = ChainLink(102, 2, forged, links[1].prev_hash, chain_hash(links[1].prev_hash, forged))
    report = verify_chain(links)
    assert report.first_break.ident == 103
    assert "previous-hash does not match" in report.first_break.reason


def test_a_keyed_chain_needs_its_key_and_refuses_plain_links_after_keyed_ones():
    key = b"k" * 40
    plain_first = ChainLink(1, 1, {"a": 1}, GENESIS_HASH, chain_hash(GENESIS_HASH, {"a": 1}))
    keyed_second = ChainLink(
        2, 2, {"a": 2}, plain_first.hash, chain_hash(plain_first.hash, {"a": 2}, key), keyed=True
    )
    assert keyed_second.hash != chain_hash(plain_first.hash, {"a": 2})
    report = verify_chain([plain_first, keyed_second], key)
    assert report.ok
    assert report.unkeyed == 1
    assert not verify_chain([plain_first, keyed_second], b"x" * 40).ok
    assert "no audit key" in verify_chain([plain_first, keyed_second]).first_break.reason
    plain_third = ChainLink(
        3, 3, {"a": 3}, keyed_second.hash, chain_hash(keyed_second.hash, {"a": 3})
    )
    broken = verify_chain([plain_first, keyed_second, plain_third], key).first_break
    assert broken.seq == 3
    assert "without the audit key" in broken.reason
