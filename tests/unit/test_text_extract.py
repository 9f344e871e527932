"""Reading the words of documents for search: text layers of real files (fpdf2, python-docx,
openpyxl, a PowerPoint package, CSV, UTF-16 text), OCR of scans with the installed
Tesseract (English, Chinese, Korean; PNG, a scanned PDF, TIFF, WebP, GIF, a turned JPEG),
the passage shown with a hit, and the plain errors when OCR cannot run."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tracemalloc

import pytest

from chainproof.fileformats import extracted, ocr
from chainproof.fileformats.extract import (
    MAX_TEXT_CHARS,
    ExtractedText,
    ExtractFailed,
    OcrFailed,
    OcrUnavailable,
    ReadFailed,
    extract_text,
    join_cjk,
    ocr_text,
    passage,
)
from tests import document_files as files


def on_disk(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- text layers ---------------------------------------------------------------------------


def test_a_pdf_text_layer_is_read_in_every_script(tmp_path):
    found = extract_text(on_disk(tmp_path, "a.pdf", files.text_pdf()), ".pdf")
    assert (found.method, found.pages, found.needs_ocr, found.truncated) == (
        "text layer",
        2,
        False,
        False,
    )
    for words in (
        "Supplier audit report 2026, page 2",
        "劳务派遣 合同",
        files.KOREAN,
        files.VIETNAMESE,
    ):
        assert words in found.text


def test_a_word_file_gives_paragraphs_as_lines(tmp_path):
    found = extract_text(on_disk(tmp_path, "c.docx", files.word_file()), ".docx")
    lines = found.text.splitlines()
    assert "This 劳务派遣 contract covers 120 workers." in lines
    assert "Second paragraph: wages are paid monthly." in lines
    assert "Recruitment fee" in lines
    assert "Header: Acme Textiles" in lines
    assert found.method == "text layer"
    assert not found.needs_ocr


def test_a_workbook_gives_its_cells_sheet_by_sheet(tmp_path):
    found = extract_text(on_disk(tmp_path, "w.xlsx", files.workbook_file()), ".xlsx")
    assert found.text.splitlines() == [
        "Wages",
        "Worker Agency Paid on Amount",
        "Zhang Wei 劳务派遣 2026-03-31 3650.5",
        "",
        "Hours",
        "Overtime 36",
    ]


def test_a_workbook_beyond_its_bounds_gives_its_first_rows_and_says_truncated(tmp_path):
    from chainproof.fileformats.text_layers import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
    from tests.xlsx_files import add_cell_xml

    last = MAX_SHEET_ROWS
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r * 7}</v></c></row>' for r in range(3, last))
    beyond_columns = f'<c r="AP{last}" t="inlineStr"><is><t>far right</t></is></c>'
    assert MAX_SHEET_COLUMNS < 42  # AP is column 42
    # Below the rows: one value, then XML that is not even well-formed: reading the sheet
    # stops at the first value below its rows, so what follows it is never parsed.
    below = f'<row r="{last + 1}"><c r="A{last + 1}"><v>1</v></c></row><row><c></row>'
    data = add_cell_xml(
        files.workbook_file(),
        rows + f'<row r="{last}"><c r="A{last}"><v>999</v></c>{beyond_columns}</row>' + below,
    )
    found = extract_text(on_disk(tmp_path, "w.xlsx", data), ".xlsx")
    lines = found.text.splitlines()
    assert lines[:3] == [
        "Wages",
        "Worker Agency Paid on Amount",
        "Zhang Wei 劳务派遣 2026-03-31 3650.5",
    ]
    assert lines[3:5] == ["21", "28"]  # rows 3 and 4
    assert "999" in lines  # the last row read, without the cell beyond the columns
    assert "far right" not in found.text
    assert "1" not in lines  # the row below
    assert lines[-3:] == ["", "Hours", "Overtime 36"]  # the next sheet is read in full
    assert len(lines) == 2 + MAX_SHEET_ROWS + 2
    assert found.truncated
    assert not extract_text(
        on_disk(tmp_path, "clean.xlsx", files.workbook_file()), ".xlsx"
    ).truncated


def test_a_presentation_gives_its_slides_in_order(tmp_path):
    found = extract_text(on_disk(tmp_path, "s.pptx", files.slides_file()), ".pptx")
    assert found.text.splitlines() == [
        "Audit findings",
        "劳务派遣 workers",
        "",
        "Corrective actions",
    ]
    assert found.pages == 2


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("a.csv", files.csv_file(), "Zhang Wei,劳务派遣"),
        ("b.txt", files.utf16_text(), f"{files.CHINESE} {files.KOREAN}"),
        ("c.txt", "Café Nội Bài\n".encode("utf-8-sig"), "Café Nội Bài"),
        ("d.txt", "Café ouvrière\n".encode("latin-1"), "Café ouvrière"),
    ],
)
def test_text_files_in_their_encodings(tmp_path, name, data, words):
    found = extract_text(on_disk(tmp_path, name, data), "." + name.rsplit(".", 1)[1])
    assert words in found.text
    assert "\x00" not in found.text


def test_whitespace_and_control_characters_are_normalised(tmp_path):
    data = b"  Wage\t\tslip \x00 2026 \r\n\r\n\r\n\r\nSecond\x07line  \n"
    found = extract_text(on_disk(tmp_path, "a.txt", data), ".txt")
    assert found.text == "Wage slip 2026\n\nSecond line"


def test_a_long_text_stops_at_the_budget_in_bounded_memory(tmp_path):
    path = files.write_large_text(tmp_path / "large.txt", 100)
    tracemalloc.start()
    try:
        found = extract_text(path, ".txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(found.text) == MAX_TEXT_CHARS
    assert found.truncated
    assert peak < 20 * files.MIB, f"peak {peak / files.MIB:.1f} MiB"


def test_a_damaged_pdf_says_so(tmp_path):
    with pytest.raises(ExtractFailed, match="The PDF could not be opened"):
        extract_text(on_disk(tmp_path, "a.pdf", b"%PDF-1.7\nnot really\n"), ".pdf")


# --- scans: extract says needs_ocr, OCR reads them ----------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "pages"),
    [
        ("s.png", files.scan_png, 1),
        ("s.pdf", files.scan_pdf, 1),
        ("s.tif", files.scan_tiff_pages, 2),
        ("s.webp", files.scan_webp, 1),
    ],
)
def test_a_scan_needs_ocr(tmp_path, name, make, pages):
    found = extract_text(on_disk(tmp_path, name, make()), "." + name.rsplit(".", 1)[1])
    assert found == ExtractedText("", "none", pages, truncated=False, needs_ocr=True)


@pytest.mark.parametrize(
    ("name", "make", "extension"),
    [
        ("s.png", files.scan_png, ".png"),
        ("s.pdf", files.scan_pdf, ".pdf"),
        ("s.tif", files.scan_tiff_pages, ".tif"),
        ("s.webp", files.scan_webp, ".webp"),
        ("s.gif", files.scan_gif, ".gif"),
        ("s.jpg", files.jpeg_turned, ".jpeg"),
    ],
)
def test_ocr_reads_english_chinese_and_korean(tmp_path, name, make, extension):
    path = on_disk(tmp_path, name, make())
    started = time.monotonic()
    found = ocr_text(path, extension)
    seconds = time.monotonic() - started
    print(f"OCR of {name}: {seconds:.1f} s, {found.pages} page(s)")  # noqa: T201 (-s shows it)
    assert found.method == "ocr"
    assert not found.needs_ocr
    assert "Payroll record 2026-03" in found.text
    assert files.CHINESE in found.text  # the spaces Tesseract puts between 劳 务 派 遣 are gone
    assert "임금명세서" in found.text


def test_a_scanned_pdf_goes_from_needs_ocr_to_its_words(tmp_path):
    path = on_disk(tmp_path, "scan.pdf", files.scan_pdf())
    assert extract_text(path, ".pdf").needs_ocr
    found = ocr_text(path, ".pdf", languages="eng+chi_sim+chi_tra+kor+vie", max_pages=5)
    assert (found.method, found.pages, found.truncated) == ("ocr", 1, False)
    assert passage(found.text, "劳务派遣") is not None


def test_a_page_with_a_text_layer_keeps_it_and_is_not_recognised(tmp_path):
    path = on_disk(tmp_path, "a.pdf", files.text_pdf())
    found = ocr_text(path, ".pdf")
    assert found.method == "text layer"
    assert "劳务派遣 合同 工资 1" in found.text


def test_pages_past_the_limit_are_left_and_the_text_marked_truncated(tmp_path):
    found = ocr_text(on_disk(tmp_path, "s.tif", files.scan_tiff_pages()), ".tif", max_pages=1)
    assert (found.pages, found.truncated, found.text) == (2, True, "")


def test_join_cjk_removes_spaces_between_cjk_characters_only():
    assert join_cjk("劳 务 派 遣 工资") == "劳务派遣工资"
    assert join_cjk("임금 명세서") == "임금명세서"
    assert join_cjk("Payroll record 2026 年 3 月，工 资") == "Payroll record 2026 年 3 月，工资"
    assert join_cjk("Công ty TNHH") == "Công ty TNHH"


# --- when OCR cannot run --------------------------------------------------------------------


def test_no_tesseract_is_a_plain_message(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda _: None)
    with pytest.raises(OcrUnavailable, match="Tesseract is not installed"):
        ocr_text(on_disk(tmp_path, "s.png", files.scan_png()), ".png")


def test_a_missing_language_names_its_package(tmp_path):
    with pytest.raises(OcrUnavailable, match="install tesseract-ocr-xyz-abc"):
        ocr_text(on_disk(tmp_path, "s.png", files.scan_png()), ".png", languages="eng+xyz_abc")


def test_languages_cannot_carry_arguments(tmp_path):
    with pytest.raises(OcrUnavailable, match="not a list such as"):
        ocr_text(on_disk(tmp_path, "s.png", files.scan_png()), ".png", languages="eng --psm 0")


def test_a_timeout_is_a_plain_message(tmp_path, monkeypatch):
    real_run = subprocess.run

    def slow(command, **options):
        if "--list-langs" in command:
            return real_run(command, **options)
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(ocr.subprocess, "run", slow)
    path = on_disk(tmp_path, "scan.pdf", files.scan_pdf())
    with pytest.raises(OcrFailed, match="Reading page 1 took longer than 7 seconds"):
        ocr_text(path, ".pdf", timeout_seconds=7)


def test_a_damaged_image_is_a_plain_message(tmp_path):
    broken = files.scan_png()[:200]  # the header says PNG, the picture is cut short
    with pytest.raises(OcrFailed, match="The image could not be opened"):
        ocr_text(on_disk(tmp_path, "s.png", broken), ".png")


def test_a_tesseract_error_is_a_plain_message(tmp_path, monkeypatch):
    real = shutil.which("tesseract")
    fake = tmp_path / "bin" / "tesseract"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = --list-langs ]; then exec {real} --list-langs; fi\n'
        "echo 'Estimating resolution as 300' >&2\n"
        "echo 'Error in pixReadStream: Unknown format: no pix returned' >&2\n"
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    with pytest.raises(OcrFailed) as failed:
        ocr_text(on_disk(tmp_path, "s.png", files.scan_png()), ".png")
    assert str(failed.value) == (
        "Tesseract could not read the image: "
        "Error in pixReadStream: Unknown format: no pix returned."
    )


def test_read_errors_share_one_base():
    assert issubclass(OcrUnavailable, ReadFailed)
    assert issubclass(OcrFailed, ReadFailed)
    assert issubclass(ExtractFailed, ReadFailed)
    assert extracted.MAX_TEXT_CHARS == MAX_TEXT_CHARS == 2_000_000


# --- the passage shown with a hit ---------------------------------------------------------


def test_passage_around_the_first_match_with_cut_marks():
    text = "word " * 40 + "the 劳务派遣 contract for 2026 " + "more " * 40
    shown = passage(text, "劳务派遣", width=30)
    assert shown.startswith("…")
    assert shown.endswith("…")
    assert "the 劳务派遣 contract for 2026" in shown
    assert len(shown) < 80


def test_passage_ignores_case_and_compatibility_forms():
    assert passage("Payroll RECORD", "record") == "Payroll RECORD"
    assert passage("Ｐａｙｒｏｌｌ 2026", "payroll") == "Ｐａｙｒｏｌｌ 2026"
    assert passage("Straße 12", "STRASSE") == "Straße 12"
    assert passage("Payroll\nrecord", "payroll   record") == "Payroll record"
    assert passage("Payroll record", "invoice") is None
    assert passage("", "x") is None
    assert passage("text", "  ") is None


def test_passage_keeps_what_the_text_says_after_expanding_characters():
    text = "ﬁ" * 50 + " Straße " + "x" * 10 + " 임금명세서 here"
    # Fifty ligatures fold to a hundred letters and ß to ss: the passage is still cut from
    # the text as written, at the match, and not in the middle of a word.
    assert passage(text, "임금명세서", width=12) == "…xxxxxxxxxx 임금명세서 here"
    assert passage(text, "임금명세서", width=6) == "…임금명세서 here"
    assert passage(text, "strasse", width=3) == "…Straße…"


def test_passage_in_two_million_characters_is_quick():
    text = ("Zhang Wei 3650.50 " * 120_000)[:1_999_000] + " 劳务派遣 at the end"
    started = time.monotonic()
    shown = passage(text, "劳务派遣", width=10)
    assert time.monotonic() - started < 2
    assert shown == "…Wei 劳务派遣 at the…"
