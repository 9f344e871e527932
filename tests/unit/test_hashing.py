import hashlib
import io
import json
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainproof.domain.hashing import (
    GENESIS_HASH,
    CanonicalTemplate,
    ChainLink,
    canonical_json,
    canonical_text,
    chain_hash,
    chain_hash_text,
    reusable_encode,
    sha256_stream,
    verify_chain,
)

# JSON values as the audit trail holds them: any text (control characters, non-BMP
# characters, lone surrogates left out only where UTF-8 cannot hold them), integers beyond
# 64 bits, finite floats of every size, nested lists and dicts.
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


def test_canonical_json_is_independent_of_key_order_and_keeps_unicode():
    assert canonical_json({"b": 1, "a": "新疆"}) == canonical_json({"a": "新疆", "b": 1})
    assert canonical_json({"a": "新疆"}) == '{"a":"新疆"}'.encode()


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_the_reusable_encoders_write_the_same_text_as_json(value):
    assert canonical_text(value).encode("utf-8") == canonical_json(value)
    assert reusable_encode(json.JSONEncoder())(value) == json.dumps(value)
    # Used again after that, a reusable encoder still writes the same.
    assert canonical_text([value, value]) == json.dumps(
        [value, value], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _JSON, min_size=1, max_size=8), st.data())
def test_a_template_writes_the_canonical_text_of_the_whole_dict(payload, data):
    fixed_names = data.draw(st.sets(st.sampled_from(sorted(payload))))
    template = CanonicalTemplate(payload, {n: payload[n] for n in fixed_names})
    assert set(template.slots) == set(payload) - fixed_names
    text = template.text([canonical_text(payload[n]) for n in template.slots])
    assert text.encode("utf-8") == canonical_json(payload)
    key = b"k" * 32
    assert chain_hash_text(GENESIS_HASH, text, key) == chain_hash(GENESIS_HASH, payload, key)
    assert chain_hash_text(GENESIS_HASH, text) == chain_hash(GENESIS_HASH, payload)


def test_a_reusable_encoder_refuses_what_json_refuses_and_works_after_it():
    circular: list[object] = []
    circular.append(circular)
    for refused in (float("nan"), circular, {"a": object()}):
        with pytest.raises((ValueError, TypeError)):
            canonical_text(refused)
    assert canonical_text({"b": [1, 2.5], "a": "é"}) == '{"a":"é","b":[1,2.5]}'
    with pytest.raises(ValueError, match="64 hex"):
        chain_hash_text("abc", "{}")


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


def test_threads_encoding_one_value_at_once_do_not_see_each_others_markers():
    """Each thread has its own encoder: another thread in the middle of the same list is
    not a circular reference."""
    barrier = threading.Barrier(2, timeout=5)

    class Waiting(json.JSONEncoder):
        def default(self, o):
            barrier.wait()  # both threads inside the same list at once
            return "x"

    encode = reusable_encode(Waiting())
    shared = [object()]
    results, errors = [], []

    def run():
        try:
            results.append(encode(shared))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == ['["x"]', '["x"]']
