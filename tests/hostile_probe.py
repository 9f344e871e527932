"""Read every hostile file through every upload path's parser, each in its own forked
process, and report the outcome and that process's peak RSS (so one measurement never
hides another). Run by tests/integration/test_hostile_files.py:

    python -m tests.hostile_probe DIR   (DIR/<path>/<name>/<file name>; prints JSON lines)

The parsers are exactly what each path runs on an upload: the import and watchlist jobs
(``read_table`` and every record), the portal workbook (``open_workbook``, ``read_meta``,
``check_workbook``), the portal document check (``check_document``), the evidence locker
(the same check on the spooled file, then the text extraction the worker runs on what was
accepted) and the reference loader (``read_csv``, after the form's name check).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
from pathlib import Path


def _parse(path: str, file_name: str, data: bytes, context: dict) -> str:
    from chainproof.domain.tabular import TableFileError
    from chainproof.fileformats.csv import read_csv
    from chainproof.fileformats.documents import (
        DocumentRejected,
        check_document,
        check_document_file,
    )
    from chainproof.fileformats.extract import ExtractFailed, ReadFailed, extract_text
    from chainproof.fileformats.questionnaire_workbook import (
        WorkbookRejected,
        check_workbook,
        open_workbook,
        read_meta,
    )
    from chainproof.fileformats.tables import read_table

    try:
        if path in ("import", "watchlist"):
            sheet = read_table(data, file_name, sheet="suppliers" if path == "import" else path)
            rows = sum(1 for _ in sheet.records)
            return f"accepted: {rows} rows read"
        if path == "reference":
            if not file_name.lower().endswith(".csv"):
                return "refused: the form takes .csv files only"
            sheet = read_csv(data, file_name)
            return f"accepted: {sum(1 for _ in sheet.records)} rows read"
        if path == "portal_workbook":
            # As the portal: the bytes decide (.xlsx, .ods or .xls), never the name.
            with open_workbook(data, file_name) as archive:
                read_meta(archive)
                _, checked = check_workbook(
                    archive,
                    context["questionnaire"],
                    context["layout"],
                    countries=context["countries"],
                )
            if checked.issues:
                return f"refused: {checked.issues[0]}"[:160]
            return f"accepted: {len(checked.values)} answers, {len(checked.missing)} missing"
        if path == "evidence":
            spooled = Path(context["spool"]) / file_name
            spooled.write_bytes(data)
            checked_doc = check_document_file(spooled, file_name)
            flagged = " (flagged: active content)" if checked_doc.warnings else ""
            try:
                text = extract_text(spooled, checked_doc.extension)
            except (ReadFailed, ExtractFailed) as exc:
                return f"accepted{flagged}: stored; text not read ({str(exc)[:60]})"
            return f"accepted{flagged}: stored; {len(text.text):,} characters of text read"
        checked_doc = check_document(data, file_name)
        if checked_doc.warnings:
            return "refused (flagged): " + " ".join(checked_doc.warnings)
        return f"accepted: stored as {checked_doc.content_type}"
    except TableFileError as exc:
        return f"refused: {exc.errors[0].expected}; {exc.errors[0].found}"[:160]
    except (WorkbookRejected, DocumentRejected) as exc:
        return f"refused: {exc.reason}"[:160]
    except MemoryError:
        return "MEMORY ERROR"


def _start(path: str, upload: Path, context: dict) -> tuple[int, int]:
    """Fork a child that parses one file under a 2 GiB address-space limit; its pid and
    the pipe its outcome comes through."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, resource.RLIM_INFINITY))
        outcome = _parse(path, upload.name, upload.read_bytes(), context)
        os.write(write, outcome.encode())
        os._exit(0)
    os.close(write)
    return pid, read


def main(root: Path) -> None:
    from tests.questionnaire_helpers import countries, strt

    # Imported once here, so that each child only parses (the children inherit them).
    _parse("reference", "warm-up.txt", b"", {})

    questionnaire, layout = strt()
    context = {
        "questionnaire": questionnaire,
        "layout": layout,
        "countries": countries(),
        "spool": tempfile.mkdtemp(prefix="chainproof-hostile-"),
    }
    cases = [
        (folder.name, case, next(case.iterdir()))
        for folder in sorted(p for p in root.iterdir() if p.is_dir())
        for case in sorted(folder.iterdir())
    ]
    # One child per core at a time. Each child's peak RSS is its own (wait4 on its pid),
    # so children running side by side never add up in one measurement.
    at_once = max(1, min(len(os.sched_getaffinity(0)), 4))
    running: dict[int, tuple[str, Path, Path, int]] = {}
    while cases or running:
        while cases and len(running) < at_once:
            path, case, upload = cases.pop(0)
            pid, read = _start(path, upload, context)
            running[pid] = (path, case, upload, read)
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        path, case, upload, read = running.pop(pid)
        with os.fdopen(read, "rb") as pipe:
            outcome = pipe.read().decode() or "CRASHED"
        print(  # noqa: T201  (the probe's report, read by the test)
            json.dumps(
                {
                    "path": path,
                    "file": case.name,
                    "bytes": upload.stat().st_size,
                    "outcome": outcome if status == 0 else f"CRASHED ({status})",
                    "peak_mb": round(usage.ru_maxrss / 1024, 1),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
