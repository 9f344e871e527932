"""Drawing and signing a PDF in a worker process, so that a long render (WeasyPrint is
pure Python and holds the interpreter lock) runs beside the caller's own work, such as
copying exhibits into a ZIP, on another core.

One worker process per server process, started on first use by a fork server (never a
fork of a threaded web server) with the PDF libraries already imported; if it cannot start
or dies, the work is done in the calling process instead, so a PDF is never lost to the
optimisation.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from chainproof.fileformats.html_pdf import PdfAttachment, pdf_from_html
from chainproof.fileformats.pdf_signing import pdf_sign

log = logging.getLogger(__name__)

_PRELOAD = ["chainproof.fileformats.html_pdf", "chainproof.fileformats.pdf_signing"]
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


@dataclass(frozen=True)
class SignedPdfOrder:
    """Everything needed to draw and sign one PDF, all plain values (sent to the worker)."""

    html: str
    attachments: Sequence[PdfAttachment]
    title: str
    author: str
    p12: bytes
    password: str
    reason: str
    location: str
    signer_name: str


def draw_and_sign(order: SignedPdfOrder) -> bytes:
    pdf = pdf_from_html(
        order.html, attachments=order.attachments, title=order.title, author=order.author
    )
    return pdf_sign(
        pdf,
        p12=order.p12,
        password=order.password,
        reason=order.reason,
        location=order.location,
        signer_name=order.signer_name,
    )


def _executor() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None:
            try:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                _pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            except (OSError, ValueError) as exc:  # no fork server on this platform
                log.warning("PDF worker process unavailable (%s); drawing in-process", exc)
                return None
        return _pool


def _forget(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


class PendingPdf:
    """A PDF being drawn and signed; ``result()`` waits for it (or draws it here if the
    worker process failed)."""

    def __init__(self, order: SignedPdfOrder) -> None:
        self.order = order
        self.pool = _executor()
        self.future: Future[bytes] | None = None
        if self.pool is not None:
            try:
                self.future = self.pool.submit(draw_and_sign, order)
            except (BrokenProcessPool, RuntimeError) as exc:
                log.warning("PDF worker process unusable (%s); drawing in-process", exc)
                _forget(self.pool)

    def result(self) -> bytes:
        if self.future is not None:
            try:
                return self.future.result()
            except BrokenProcessPool as exc:
                log.warning("PDF worker process died (%s); drawing in-process", exc)
                if self.pool is not None:
                    _forget(self.pool)
        return draw_and_sign(self.order)

    def cancel(self) -> None:
        if self.future is not None:
            self.future.cancel()


def pdf_draw_and_sign(order: SignedPdfOrder) -> PendingPdf:
    """Start drawing and signing the PDF; collect it with ``result()``."""
    return PendingPdf(order)
