"""Work done by a forked copy of the process (``common.forked.alongside``)."""

import os

from chainproof.common.forked import alongside


def test_the_work_runs_in_another_process_and_its_result_comes_back():
    parent = os.getpid()
    wait = alongside(lambda: {"pid": os.getpid(), "values": [1.5, "二", (3, None)]})
    found = wait()
    assert found["values"] == [1.5, "二", (3, None)]
    assert found["pid"] != parent  # computed by the child


def test_a_result_larger_than_the_pipe_holds_arrives_whole():
    wait = alongside(lambda: "x" * 5_000_000)
    assert wait() == "x" * 5_000_000


def test_work_that_fails_in_the_child_is_done_here_instead():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            raise RuntimeError("the child ran out of memory")
        return "computed by the parent"

    assert alongside(work)() == "computed by the parent"
