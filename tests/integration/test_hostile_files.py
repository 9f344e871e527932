"""The hostile-file suite through every upload path's parser, each file in its own
process with its peak memory measured (tests/hostile_probe.py); then the real paths
(the import and watchlist jobs, the portal's document upload) store nothing of what
they refuse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_files import PATHS, hostile_file, hostile_files, hostile_names

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 300

ACCEPTED = {
    # path -> the files read (everything else must be refused)
    # a PDF is refused by its content there: it is a document, not a list
    "import": {"clean", "clean.csv", "dimension_says_A1", "dimension_says_XFD1048576",
               "shared_strings_flood", "formula.csv", "dde.csv"},
    "watchlist": {"clean", "clean.csv", "dimension_says_A1", "dimension_says_XFD1048576",
                  "shared_strings_flood", "formula.csv", "dde.csv"},
    "portal_workbook": {"clean", "cell_at_XFD1048576", "cell_at_Z1000000", "sparse_max_cells",
                        "dimension_says_A1", "dimension_says_XFD1048576", "formula_hyperlink",
                        "dde_command"},
    "portal_document": {"clean", "clean.csv", "clean.pdf", "clean.docx", "cell_at_XFD1048576",
                        "cell_at_Z1000000", "sparse_max_cells", "dimension_says_A1",
                        "dimension_says_XFD1048576", "shared_strings_flood",
                        "over_a_million_values", "zip_bomb_under_ratio"},
    "evidence": {"clean", "clean.csv", "clean.pdf", "clean.docx", "cell_at_XFD1048576",
                 "cell_at_Z1000000", "sparse_max_cells", "dimension_says_A1",
                 "dimension_says_XFD1048576", "shared_strings_flood", "over_a_million_values",
                 "zip_bomb_under_ratio", "javascript.pdf", "hidden_javascript.pdf"},
    "reference": {"clean.csv", "formula.csv", "dde.csv"},
}  # fmt: skip
# Kept only as inert bytes and flagged on the document (the portal refuses them instead).
FLAGGED = {("evidence", "javascript.pdf"), ("evidence", "hidden_javascript.pdf")}


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for path in PATHS:
        for name, (file_name, data) in hostile_files(path).items():
            folder = root / path / name
            folder.mkdir(parents=True)
            (folder / file_name).write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile_probe", str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.same_on_every_database  # the probe parses files; it opens no database
def test_every_hostile_file_is_refused_or_read_in_bounded_memory(probed):
    expected = sum(len(hostile_names(path)) for path in PATHS)
    assert len(probed) == expected > 100
    for row in probed:  # the figures table, shown with pytest -s
        print(  # noqa: T201
            f"{row['path']:16} {row['file']:26} {row['peak_mb']:7.1f} MB  {row['outcome']}"
        )
    assert not [r for r in probed if not r["outcome"].startswith(("refused", "accepted"))]
    too_big = [(r["path"], r["file"], r["peak_mb"]) for r in probed if r["peak_mb"] >= PEAK_MB]
    assert too_big == []
    accepted = {(r["path"], r["file"]) for r in probed if r["outcome"].startswith("accepted")}
    assert accepted == {(path, name) for path, names in ACCEPTED.items() for name in names}
    flagged = {(r["path"], r["file"]) for r in probed if "(flagged" in r["outcome"]}
    assert flagged == FLAGGED | {
        (r["path"], r["file"]) for r in probed if r["outcome"].startswith("refused (flagged")
    }


@pytest.mark.same_on_every_database  # the probe parses files; it opens no database
def test_the_lying_dimension_reads_every_row(probed):
    rows = {(r["path"], r["file"]): r["outcome"] for r in probed}
    assert rows[("import", "dimension_says_A1")] == "accepted: 3 rows read"
    assert rows[("watchlist", "dimension_says_XFD1048576")] == "accepted: 3 rows read"


# --- the real paths store nothing they refuse -----------------------------------------

REFUSED_DOCUMENTS = [
    "macro_part_renamed",
    "macro_by_relationship",
    "formula_hyperlink",
    "dde_command",
    "zip_bomb_over_ratio",
    "formula.csv",
    "dde.csv",
    "javascript.pdf",
    "hidden_javascript.pdf",
    "macro.docx",
    "remote_template.docx",
    "word_named_pdf",
]


@pytest.fixture
def portal_request(alice, refdata):
    from tests.questionnaire_helpers import sent_request

    return sent_request(alice)


@pytest.mark.parametrize("name", REFUSED_DOCUMENTS)
def test_the_portal_stores_no_hostile_document(portal_request, name):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from chainproof.questionnaires.answering import document_upload
    from chainproof.questionnaires.models import Attachment

    file_name, data = hostile_file("portal_document", name)
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        document_upload(
            qr=portal_request,
            actor=None,
            question="policy_document",
            data=data,
            file_name=file_name,
        )
    message = " ".join(refused.value.messages)
    assert file_name in message
    assert " is refused: " in message or "The PDF runs JavaScript." in message
    assert not Attachment.objects.exists()


def test_the_portal_stores_a_clean_document_by_its_content_type(portal_request):
    from django.db import transaction

    from chainproof.questionnaires.answering import document_upload

    file_name, data = hostile_file("portal_document", "clean.docx")
    with transaction.atomic():
        attachment = document_upload(
            qr=portal_request,
            actor=None,
            question="policy_document",
            data=data,
            file_name=file_name,
        )
    assert attachment.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    "name", ["cell_at_XFD1048576", "macro_part_renamed", "dde_command", "sparse_max_cells"]
)
def test_the_import_and_watchlist_jobs_store_nothing_from_a_hostile_workbook(alice, refdata, name):
    import io

    from django.db import transaction

    from chainproof.jobs.models import Job
    from chainproof.jobs.services import run_pending
    from chainproof.screening.models import WatchlistEntry
    from chainproof.screening.watchlists import watchlist_import_request
    from chainproof.suppliers.jobs import import_request
    from chainproof.suppliers.models import Supplier

    for path in ("import", "watchlist"):
        file_name, data = hostile_file(path, name)
        upload = io.BytesIO(data)
        upload.name = file_name
        upload.chunks = lambda upload=upload: iter([upload.getvalue()])
        with transaction.atomic():
            if path == "import":
                import_request(
                    organization=alice.organization,
                    actor=alice.user,
                    entity="suppliers",
                    upload=upload,
                    dry_run=False,
                )
            else:
                watchlist_import_request(
                    organization_id=alice.organization.pk, actor=alice.user, upload=upload
                )
    run_pending()
    jobs = list(Job.objects.filter(kind__in=["suppliers.import", "screening.watchlist_import"]))
    assert len(jobs) == 2
    assert [(j.status, j.result["ok"]) for j in jobs] == [("succeeded", False)] * 2
    assert all(j.result["errors"] for j in jobs)
    assert not Supplier.objects.filter(organization=alice.organization).exists()
    assert not WatchlistEntry.objects.exists()
