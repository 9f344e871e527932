"""Reading the words of stored versions so that search finds them: the text layer of
PDFs and office files first, then text recognition (Tesseract) for scans and images.

Runs in the worker (a job per commit that stored versions), never in a request: OCR of a
fifty-page scan takes minutes. A version that cannot be read keeps a status and a plain
message; it stays downloadable, and searchable by its metadata and links.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from chainproof.blobs import blob_store
from chainproof.evidence.models import DocumentVersion, VersionText
from chainproof.fileformats.extract import (
    ExtractedText,
    OcrFailed,
    OcrUnavailable,
    extract_text,
    ocr_text,
)


def _read(path: Path, extension: str) -> ExtractedText:
    found = extract_text(path, extension)
    if found.needs_ocr:
        found = ocr_text(
            path,
            extension,
            languages=settings.OCR_LANGUAGES,
            max_pages=settings.OCR_MAX_PAGES,
        )
    return found


def version_read(version: DocumentVersion) -> DocumentVersion:
    """Extract (or recognise) the text of one version and store it."""
    store = blob_store()
    status, method, error, found = DocumentVersion.TextStatus.FAILED, "", "", None
    with tempfile.TemporaryDirectory(prefix="chainproof-read-") as folder:
        local = Path(folder) / f"content{version.extension}"
        try:
            with store.open(version.blob.sha256) as source, local.open("wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            found = _read(local, version.extension)
        except FileNotFoundError:
            error = "The stored file is missing; run a verification."
        except (OcrUnavailable, OcrFailed) as exc:
            error = str(exc)[:300]
        except Exception as exc:  # a damaged file: say so, keep the version
            error = f"The file could not be read ({type(exc).__name__})."
    if found is not None:
        status = (
            DocumentVersion.TextStatus.DONE
            if found.text.strip()
            else DocumentVersion.TextStatus.NO_TEXT
        )
        method = found.method if found.text.strip() else ""
    with transaction.atomic():
        if found is not None and found.text.strip():
            VersionText.objects.update_or_create(
                version=version, defaults={"text": found.text, "truncated": found.truncated}
            )
        DocumentVersion.objects.filter(pk=version.pk).update(
            text_status=status, text_method=method, text_error=error
        )
    version.refresh_from_db()
    return version


def versions_read(version_ids: list[int], progress: Any = None) -> dict[str, int]:
    counts = {"read": 0, "no_text": 0, "failed": 0}
    versions = DocumentVersion.objects.filter(pk__in=version_ids).select_related("blob")
    total = len(version_ids)
    for done, version in enumerate(versions.order_by("pk"), start=1):
        version = version_read(version)
        key = {
            str(DocumentVersion.TextStatus.DONE): "read",
            str(DocumentVersion.TextStatus.NO_TEXT): "no_text",
        }.get(str(version.text_status), "failed")
        counts[key] += 1
        if progress:
            progress(done, total, f"{done} of {total} documents read")
    return counts
