"""Text recognition (OCR) of scans and pictures with Tesseract, run as a program.

Tesseract is called without a shell, one page at a time, each run bounded by a timeout:
``tesseract <image> stdout -l <languages> --psm 4``. Page segmentation mode 4 reads the
page as one column of lines of varying sizes. The default (3) looks for columns and
tables first, and on a sparse page of Chinese it cut each line into one-character
columns and returned noise; mode 4 reads a page in several columns across, which a
search for words does not mind, and keeps a table's row on one line.

A PDF is rendered page by page with pdfium to a temporary grayscale PNG (one page in
memory at a time; a page that already has a text layer keeps it and is not recognised).
A PNG or JPEG is given to Tesseract as it is; TIFF (every page of a multi-page scan),
WebP, GIF and photos turned by their EXIF orientation are converted by Pillow first.

Tesseract runs single-threaded (``OMP_THREAD_LIMIT=1``): its threads slow it down on a
small shared machine more than they help, and a worker reads one document at a time.
It gets a minimal environment: it parses files from outside and needs no secrets.

Chinese has no spaces between words, but Tesseract puts one between many characters
("劳 务 派 遣"), which would defeat a search for "劳务派遣": spaces between two Han, kana,
Hangul or CJK punctuation characters are removed. Korean does separate words by spaces,
but Tesseract also splits words ("연 장 근 로 수당" for 연장근로수당), and a search looks
for each word of a query on its own, so a word found inside a longer run is still found;
spaces between Latin words, digits and CJK characters stay.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from chainproof.fileformats.extracted import (
    OCR,
    TEXT_LAYER,
    ExtractedText,
    Full,
    OcrFailed,
    OcrUnavailable,
    TextCollector,
)
from chainproof.fileformats.text_layers import SCANNED_PAGE_CHARS, letters, open_pdf, page_text

DEFAULT_LANGUAGES = "eng+chi_sim+chi_tra+kor+vie"
PAGE_MODE = "4"  # one column of text of varying sizes (see above)
RENDER_DPI = 300
MAX_RENDER_PIXELS = 40_000_000  # an A4 page at 300 dpi is 8.7 million
MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3  # Pillow's own limit

_LANGUAGES = re.compile(r"[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*")
_CJK = (
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u2e80-\u2fdf"  # radicals
    "\u3001-\u303f"  # CJK punctuation (not the ideographic space)
    "\u3040-\u30ff"  # kana
    "\u3100-\u312f\u31a0-\u31bf"  # bopomofo
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65"  # full-width punctuation
    "\U00020000-\U0003134f"  # Han, extensions B to H
)
_CJK_GAP = re.compile(f"([{_CJK}])[ \t\u3000]+(?=[{_CJK}])")
_PASSED_AS_IS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}


def join_cjk(text: str) -> str:
    """Remove the spaces Tesseract puts between Chinese, Japanese or Korean characters."""
    return _CJK_GAP.sub(r"\1", text)


def ocr_text(
    path: Path,
    extension: str,
    *,
    languages: str = DEFAULT_LANGUAGES,
    max_pages: int = 50,
    timeout_seconds: int = 120,
) -> ExtractedText:
    """Recognise the text of a PDF or an image (``extension`` is what the content is:
    ".pdf", ".png", ".jpg", ".tif", ".webp", ".gif"). At most ``max_pages`` pages are
    read (the text is then marked truncated); ``timeout_seconds`` bounds each page.

    OcrUnavailable when Tesseract or one of the languages is not installed; OcrFailed,
    with a plain message, when a page times out or Tesseract fails."""
    tesseract = _tesseract_binary(languages)
    kind = {".jpeg": ".jpg", ".tiff": ".tif"}.get(extension.lower(), extension.lower())
    reader = _Reader(tesseract, languages, timeout_seconds)
    with tempfile.TemporaryDirectory(prefix="chainproof-ocr-") as folder:
        reader.folder = Path(folder)
        if kind == ".pdf":
            return reader.pdf(Path(path), max_pages)
        if kind in (".png", ".jpg", ".tif", ".webp", ".gif"):
            return reader.image(Path(path), kind, max_pages)
    raise OcrFailed(f"Text recognition reads PDFs and images, not {extension} files.")


def _tesseract_binary(languages: str) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable(
            "Tesseract is not installed on this server, so scans and images cannot be read; "
            "install tesseract-ocr and its language packs (for example tesseract-ocr-chi-sim)."
        )
    if not _LANGUAGES.fullmatch(languages):
        raise OcrUnavailable(
            f"The text recognition languages {languages!r} are not a list such as eng+chi_sim+kor."
        )
    try:
        listed = subprocess.run(  # noqa: S603  (a fixed command, no shell)
            [binary, "--list-langs"],
            capture_output=True,
            timeout=30,
            env=_environment(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailable(f"Tesseract could not be started ({exc}).") from None
    installed = set(listed.stdout.decode("utf-8", "replace").split()[1:])
    missing = [code for code in languages.split("+") if code not in installed]
    if missing:
        packs = ", ".join("tesseract-ocr-" + code.replace("_", "-") for code in missing)
        raise OcrUnavailable(
            f"Tesseract has no data for {', '.join(missing)}; install {packs}, or read with "
            "fewer languages."
        )
    return binary


def _environment() -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1"}
    if "TESSDATA_PREFIX" in os.environ:
        env["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    return env


class _Reader:
    def __init__(self, binary: str, languages: str, timeout: int) -> None:
        self.binary = binary
        self.languages = languages
        self.timeout = timeout
        self.folder = Path()
        self.collector = TextCollector()
        self.recognised = 0

    def pdf(self, path: Path, max_pages: int) -> ExtractedText:
        with open_pdf(path) as document:
            pages = len(document)
            try:
                for index in range(min(pages, max_pages)):
                    text = page_text(document, index)
                    if letters(text) < SCANNED_PAGE_CHARS:
                        image, dpi = self._render(document, index)
                        text = self._recognise(image, f"page {index + 1}", dpi)
                    self.collector.add(text)
                    self.collector.paragraph_break()
            except Full:
                pass
        return self._result(pages, truncated=pages > max_pages)

    def _render(self, document: pdfium.PdfDocument, index: int) -> tuple[Path, int]:
        """Page ``index`` as a grayscale PNG at ``RENDER_DPI`` (less for a huge page)."""
        page = document[index]
        try:
            width, height = page.get_size()
            scale = RENDER_DPI / 72
            pixels = width * height * scale * scale
            if pixels > MAX_RENDER_PIXELS:
                scale *= math.sqrt(MAX_RENDER_PIXELS / pixels)
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                target = self.folder / "page.png"
                bitmap.to_pil().save(target, "PNG", compress_level=1)
            finally:
                bitmap.close()
        finally:
            page.close()
        return target, round(scale * 72)

    def image(self, path: Path, kind: str, max_pages: int) -> ExtractedText:
        try:
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError
                frames = getattr(image, "n_frames", 1) if kind == ".tif" else 1
                try:
                    for frame in range(min(frames, max_pages)):
                        image.seek(frame)
                        label = f"page {frame + 1}" if frames > 1 else "the image"
                        source = self._as_given(path, image, kind) or self._converted(image)
                        self.collector.add(self._recognise(source, label))
                        self.collector.paragraph_break()
                except Full:
                    pass
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise OcrFailed(
                "The image has too many pixels to be read; scan it again at 300 dpi."
            ) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise OcrFailed(f"The image could not be opened ({exc}).") from None
        return self._result(frames, truncated=frames > max_pages)

    def _as_given(self, path: Path, image: Image.Image, kind: str) -> Path | None:
        """The file itself, when Tesseract reads it as well as a conversion would."""
        upright = image.getexif().get(0x0112, 1) == 1  # EXIF orientation
        plain = image.mode in ("1", "L", "RGB", "P")
        if kind in _PASSED_AS_IS.get(image.format or "", ()) and upright and plain:
            return path
        return None

    def _converted(self, image: Image.Image) -> Path:
        frame = ImageOps.exif_transpose(image)
        if frame.mode not in ("1", "L", "RGB"):
            frame = frame.convert("RGB")
        target = self.folder / "image.png"
        frame.save(target, "PNG", compress_level=1)
        return target

    def _recognise(self, image: Path, label: str, dpi: int | None = None) -> str:
        command = [self.binary, str(image), "stdout", "-l", self.languages, "--psm", PAGE_MODE]
        if dpi:
            command += ["--dpi", str(dpi)]
        try:
            done = subprocess.run(  # noqa: S603  (no shell; every argument is ours)
                command,
                capture_output=True,
                timeout=self.timeout,
                env=_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise OcrFailed(
                f"Reading {label} took longer than {self.timeout} seconds; the scan may be "
                "too large or too noisy."
            ) from None
        except OSError as exc:
            raise OcrUnavailable(f"Tesseract could not be started ({exc}).") from None
        if done.returncode != 0:
            said = [
                line.strip()
                for line in done.stderr.decode("utf-8", "replace").splitlines()
                if line.strip() and not line.startswith(("Estimating", "Warning"))
            ]
            detail = said[-1][:200] if said else f"exit status {done.returncode}"
            raise OcrFailed(f"Tesseract could not read {label}: {detail}.")
        self.recognised += 1
        return join_cjk(done.stdout.decode("utf-8", "replace"))

    def _result(self, pages: int, *, truncated: bool) -> ExtractedText:
        if truncated:
            self.collector.truncated = True
        return self.collector.result(OCR if self.recognised else TEXT_LAYER, pages)
