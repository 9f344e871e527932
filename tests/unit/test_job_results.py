"""The wording of job results: past tense for a real import, "would" for a dry run, and
keys a handler may or may not send (pending, batch_id, duplicates)."""

from __future__ import annotations

from chainproof.jobs.models import as_sentence, looks_internal
from chainproof.jobs.results import action_words, count, import_summary, rejected_heading


def test_actions_are_past_tense_for_a_real_run_and_would_for_a_dry_run():
    assert action_words("create", dry_run=False) == "created"
    assert action_words("update", dry_run=False) == "updated"
    assert action_words("create", dry_run=True) == "would create"
    assert action_words("something new", dry_run=False) == "something new"


def test_counts_read_numbers_and_lists_and_ignore_the_rest():
    assert [count(3), count([1, 2]), count({"a": 1}), count(None), count("5"), count(True)] == [
        3,
        2,
        1,
        0,
        0,
        0,
    ]


def test_a_summary_without_the_new_keys_has_no_pending_line():
    summary = import_summary({"entity": "suppliers", "created": 1, "updated": 0, "unchanged": 2})
    assert summary.heading == "Imported the file."
    assert summary.counts == "Created 1, updated 0, unchanged 2."
    assert (summary.pending, summary.pending_text, summary.pending_link) == (0, "", "")


def test_a_batch_id_that_is_not_an_id_gets_no_link():
    summary = import_summary({"entity": "suppliers", "pending": 2, "batch_id": "../../admin"})
    assert summary.pending_text == "2 rows kept for review (not imported)."
    assert summary.pending_link == ""
    dry = import_summary({"entity": "suppliers", "dry_run": True, "pending": 1, "batch_id": 9})
    assert dry.pending_text == "1 row would be kept for review (not imported)."
    assert dry.pending_link == "/suppliers/imports/9/"


def test_a_rejected_heading_counts_the_problems():
    assert rejected_heading({"ok": False, "total_errors": 3}, "s.csv") == (
        "Nothing was imported from s.csv: 3 problems."
    )
    assert rejected_heading({"ok": False, "errors": [{}]}) == "Nothing was imported: 1 problem."
    assert rejected_heading({"ok": False}) == "Nothing was imported."


def test_server_internals_are_recognised_and_messages_for_people_are_not():
    for internal in (
        'Traceback (most recent call last):\n  File "x"',
        "error in /srv/app/chainproof/jobs/services.py",
        "cannot open /var/lib/chainproof/media/imports/a.bin",
        r"cannot open C:\chainproof\media",
        "KeyError in importing.py",
    ):
        assert looks_internal(internal), internal
    for readable in (
        "sheet Suppliers, row 3: expected a country code, found 'Narnia'",
        "expected a date like 2024/01/05, found '5.1.24'",
        "the uploaded file is no longer stored; upload it again",
    ):
        assert not looks_internal(readable), readable
    assert as_sentence("the file is empty") == "The file is empty."
    assert as_sentence("Done!") == "Done!"
