"""Work shared among forked copies of the process: what each sends arrives whole, their
results come back in order, and a copy that fails or dies fails the whole."""

import os
import signal

import pytest

from chainproof import forked
from chainproof.forked import Forked, ForkedWorkError

pytestmark = pytest.mark.skipif(not forked.available(), reason="no fork on this system")


def _sender(name: str, count: int, size: int):
    def work(send):
        for i in range(count):
            send(f"{name}{i}:".encode() + b"x" * size)
        return {"name": name, "sent": count, "pid": os.getpid()}

    return work


def test_every_payload_arrives_whole_and_results_come_back_in_order():
    # Payloads larger than a pipe's buffer and than one read, from two copies at once.
    with Forked([_sender("a", 40, 300_000), _sender("b", 3_000, 10)]) as copies:
        received = list(copies)
        results = copies.results
    assert [r["name"] for r in results] == ["a", "b"]
    assert all(r["pid"] != os.getpid() for r in results)
    assert len({r["pid"] for r in results}) == 2
    by_copy = {"a": [], "b": []}
    for payload in received:
        head, _, body = payload.partition(b":")
        by_copy[head[:1].decode()].append((int(head[1:]), len(body)))
    assert by_copy["a"] == [(i, 300_000) for i in range(40)]  # each copy's in its order
    assert by_copy["b"] == [(i, 10) for i in range(3_000)]


def test_the_works_are_read_one_at_a_time_each_copy_made_as_its_work_is_given():
    made = []

    def works():
        for name in ("first", "second"):
            made.append(name)
            yield _sender(name, 1, 1)

    with Forked(works()) as copies:
        assert made == ["first", "second"]
        assert len(list(copies)) == 2
        assert [r["name"] for r in copies.results] == ["first", "second"]


def test_a_copy_that_raises_fails_the_whole_with_its_error():
    def failing(send):
        send(b"part of it")
        raise ValueError("no COPY text for this value")

    with Forked([_sender("a", 5, 10), failing]) as copies, pytest.raises(ForkedWorkError) as error:
        list(copies)
    assert "ValueError: no COPY text for this value" in str(error.value)
    assert "Traceback" in str(error.value)


def test_a_copy_that_dies_without_its_result_fails_the_whole():
    def exits(send):
        send(b"started")
        os._exit(3)

    def killed(send):
        os.kill(os.getpid(), signal.SIGKILL)

    for work, how in ((exits, "ended with status 3"), (killed, "stopped by signal 9")):
        with Forked([work]) as copies, pytest.raises(ForkedWorkError, match=how):
            list(copies)


def test_leaving_early_stops_the_copies_and_releases_their_pipes():
    def endless(send):
        while True:
            send(b"more")

    with Forked([endless, endless]) as copies:
        pids = list(copies._children.values())
        for _ in zip(range(10), copies, strict=False):
            pass
    assert copies._children == {}
    for pid in pids:
        with pytest.raises(ChildProcessError):  # reaped: no such child any more
            os.waitpid(pid, os.WNOHANG)
