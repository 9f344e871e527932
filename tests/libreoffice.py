"""Headless LibreOffice for tests: a workbook filled as a person types, a CSV file re-saved.

LibreOffice runs with a private user profile under a temporary directory, so tests never
share or touch a real profile; a job is run by the system Python, which has LibreOffice's
UNO bridge (Debian's python3-uno), in tests/lo_fill.py. Every call is bounded (TIMEOUT
seconds). Without LibreOffice the tests that need it are skipped, unless the environment
sets CHAINPROOF_REQUIRE_LIBREOFFICE=1 (as .ci/run does): then they fail.

    with LibreOffice(tmp_dir) as office:          # one instance, many jobs
        office.fill(template, {("suppliers", "M2"): "012345678"}, out)
        office.resave_csv(export_csv, out_csv, quoted_as_text=True)

    fill_with_libreoffice(template, cells, out)   # one job, its own instance
    resave_csv_with_libreoffice(csv_path, out, quoted_as_text=True)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

TIMEOUT = 120
SOFFICE = "soffice"
UNO_PYTHON = "/usr/bin/python3"  # the system Python with python3-uno, not the venv
JOB_SCRIPT = Path(__file__).resolve().parent / "lo_fill.py"
JOB_DONE = "chainproof-lo-job-done"  # what lo_fill.py prints once its file is stored
ATTEMPTS = 3


def missing() -> str:
    """What is missing to run LibreOffice here, or '' when nothing is."""
    if shutil.which(SOFFICE) is None:
        return "LibreOffice (soffice) is not installed"
    if not Path(UNO_PYTHON).exists():
        return f"{UNO_PYTHON} is not there"
    probe = subprocess.run(
        [UNO_PYTHON, "-c", "import uno"], capture_output=True, timeout=TIMEOUT, check=False
    )
    if probe.returncode != 0:
        return f"{UNO_PYTHON} cannot import uno (install python3-uno)"
    return ""


def require_libreoffice() -> None:
    """Skip the calling test when LibreOffice is missing; fail instead when the environment
    says it must be there (CHAINPROOF_REQUIRE_LIBREOFFICE=1)."""
    reason = missing()
    if not reason:
        return
    if os.environ.get("CHAINPROOF_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"{reason}, and CHAINPROOF_REQUIRE_LIBREOFFICE=1 says it must be.")
    pytest.skip(reason)


class LibreOffice:
    """One headless LibreOffice with its own profile, listening on a private pipe."""

    def __init__(self, workdir: Path | str) -> None:
        self.workdir = Path(workdir)
        self.pipe = f"chainproof-{uuid.uuid4().hex}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> LibreOffice:
        profile = self.workdir / "profile"
        profile.mkdir(parents=True, exist_ok=True)
        self.log = (self.workdir / "soffice.log").open("wb")
        self.process = subprocess.Popen(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={self.pipe};urp;",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends soffice.bin too
        )
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None
        self.log.close()

    def __enter__(self) -> LibreOffice:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _run(self, job: dict[str, Any]) -> None:
        """Run one job; a crash (the UNO bridge or soffice killed by a signal, seen now and
        then under load) is retried on a fresh LibreOffice, up to ATTEMPTS times in all;
        any other failure fails."""
        for attempt in range(1, ATTEMPTS + 1):
            if self.process is None:
                raise RuntimeError("LibreOffice is not running: call start() first.")
            if self.process.poll() is not None:
                self.stop()
                self.start()
            crashed = self._run_once(job, last=attempt == ATTEMPTS)
            if not crashed:
                return
            self.stop()
            self.start()

    def _run_once(self, job: dict[str, Any], *, last: bool) -> bool:
        """True when the job crashed and may be tried again."""
        try:
            done = subprocess.run(
                [UNO_PYTHON, str(JOB_SCRIPT), self.pipe, json.dumps(job)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"LibreOffice took more than {TIMEOUT} s for the {job['action']} job on "
                f"{job['src']}."
            ) from None
        if JOB_DONE in done.stdout and Path(job["out"]).exists():
            return False  # stored and closed; whatever the process did after is no matter
        # Killed by a signal, or its bridge to soffice gone (soffice died mid-job).
        bridge_gone = "DisposedException" in done.stderr or "URP bridge" in done.stderr
        if (done.returncode < 0 or bridge_gone) and not last:
            return True
        if done.returncode != 0 or not Path(job["out"]).exists():
            raise AssertionError(
                f"LibreOffice's {job['action']} job on {job['src']} failed "
                f"(exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
            )
        return False

    def fill(
        self,
        template_path: Path | str,
        cells: Mapping[tuple[str, str], str],
        out_path: Path | str,
    ) -> Path:
        """Open the workbook, type each text into its (sheet, "A2") cell as a person would
        (the cell's number format decides what the text becomes) and save as .xlsx."""
        self._run(
            {
                "action": "fill",
                "src": str(Path(template_path).resolve()),
                "out": str(Path(out_path).resolve()),
                "cells": [[sheet, address, text] for (sheet, address), text in cells.items()],
            }
        )
        return Path(out_path)

    def resave_csv(
        self, csv_path: Path | str, out_path: Path | str, *, quoted_as_text: bool
    ) -> Path:
        """Open a UTF-8 CSV file (comma, double quotes) with LibreOffice's "Quoted field as
        text" import option on or off, and save it as CSV again."""
        self._run(
            {
                "action": "csv",
                "src": str(Path(csv_path).resolve()),
                "out": str(Path(out_path).resolve()),
                "quoted_as_text": quoted_as_text,
            }
        )
        return Path(out_path)


def _once(method: str, *args: Any, **kwargs: Any) -> Path:
    with (
        tempfile.TemporaryDirectory(prefix="chainproof-lo-") as workdir,
        LibreOffice(workdir) as office,
    ):
        result: Path = getattr(office, method)(*args, **kwargs)
        return result


def fill_with_libreoffice(
    template_path: Path | str,
    cells: Mapping[tuple[str, str], str],
    out_path: Path | str,
    office: LibreOffice | None = None,
) -> Path:
    """LibreOffice.fill on `office`, or on an instance started for this call alone."""
    if office is not None:
        return office.fill(template_path, cells, out_path)
    return _once("fill", template_path, cells, out_path)


def resave_csv_with_libreoffice(
    csv_path: Path | str,
    out_path: Path | str,
    quoted_as_text: bool,
    office: LibreOffice | None = None,
) -> Path:
    """LibreOffice.resave_csv on `office`, or on an instance started for this call alone."""
    if office is not None:
        return office.resave_csv(csv_path, out_path, quoted_as_text=quoted_as_text)
    return _once("resave_csv", csv_path, out_path, quoted_as_text=quoted_as_text)


def convert_with_libreoffice(path: Path | str, to: str, workdir: Path | str) -> Path:
    """The file converted by LibreOffice's own command line (``soffice --headless
    --convert-to``, e.g. to "ods" or "xls"), with a private profile under ``workdir``;
    the converted file is written into ``workdir``."""
    source = Path(path).resolve()
    outdir = Path(workdir).resolve()
    profile = outdir / f"convert-profile-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"LibreOffice took more than {TIMEOUT} s to convert {source}"
        ) from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / f"{source.stem}.{to}"
    if done.returncode != 0 or not out.exists():
        raise AssertionError(
            f"LibreOffice could not convert {source} to {to} (exit {done.returncode}): "
            f"{done.stderr.strip() or done.stdout.strip()}"
        )
    return out
