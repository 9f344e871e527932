"""What several benchmarks share (a folder, so benchmarks/smoke.py does not run it)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def setup_django(data_dir: str | None, prefix: str = "chainproof-bench-") -> None:
    """Django set up on DATABASE_URL if given, else on SQLite in ``data_dir`` (or
    CHAINPROOF_BENCH_DIR, or a temporary folder removed at exit)."""
    if "DATABASE_URL" not in os.environ:
        data_dir = data_dir or os.environ.get("CHAINPROOF_BENCH_DIR")
        if data_dir is None:
            data_dir = tempfile.mkdtemp(prefix=prefix)
            atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["CHAINPROOF_DATA_DIR"] = os.environ["CHAINPROOF_BENCH_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    os.environ.setdefault("CHAINPROOF_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
