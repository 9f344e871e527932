"""Document checks from a file on disk (the evidence locker's uploads, up to 200 MB): the
same verdicts as from bytes, programs and polyglots refused whatever they are called,
active PDFs accepted with a warning, and memory bounded for 100 MB files."""

from __future__ import annotations

import tracemalloc
import zlib

import pytest

from chainproof.fileformats import pdf_scan
from chainproof.fileformats.documents import (
    CONTENT_TYPES,
    EXTENSIONS,
    LABELS,
    DocumentRejected,
    check_document,
    check_document_file,
)
from tests import document_files as files

PEAK_BYTES = 20 * 1024 * 1024


def checked(tmp_path, name, data):
    """Check as the locker does (from a file) and as the portal does (from bytes); both
    must give the same verdict."""
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    verdicts = []
    for check, given in ((check_document_file, path), (check_document, data)):
        try:
            verdicts.append(check(given, name))
        except DocumentRejected as refused:
            verdicts.append((refused.source, refused.reason))
    assert verdicts[0] == verdicts[1]
    if isinstance(verdicts[0], tuple):
        raise DocumentRejected(*verdicts[0])
    return verdicts[0]


def refusal(tmp_path, name, data) -> str:
    with pytest.raises(DocumentRejected) as refused:
        checked(tmp_path, name, data)
    assert refused.value.source == name.rsplit("/", 1)[-1]
    return f"{refused.value.source} is refused: {refused.value.reason}."


# --- accepted, by what the content is --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("audit.pdf", files.text_pdf, ".pdf"),
        ("scan.pdf", files.scan_pdf, ".pdf"),
        ("contract.docx", files.word_file, ".docx"),
        ("wages.xlsx", files.workbook_file, ".xlsx"),
        ("findings.pptx", files.slides_file, ".pptx"),
        ("workers.csv", files.csv_file, ".csv"),
        ("slip.txt", files.utf16_text, ".txt"),
        ("scan.png", files.scan_png, ".png"),
        ("scan.tif", files.scan_tiff_pages, ".tif"),
        ("scan.TIFF", files.scan_tiff_pages, ".tif"),
        ("scan.webp", files.scan_webp, ".webp"),
        ("scan.gif", files.scan_gif, ".gif"),
        ("photo.jpeg", files.jpeg_turned, ".jpg"),
    ],
)
def test_real_documents_are_accepted_by_their_content(tmp_path, name, make, kind):
    result = checked(tmp_path, name, make())
    assert (result.extension, result.content_type, result.warnings) == (
        kind,
        CONTENT_TYPES[kind],
        (),
    )


def test_one_table_of_kinds():
    assert set(CONTENT_TYPES) == set(LABELS)
    assert {".tif", ".webp", ".gif"} <= set(CONTENT_TYPES)
    assert CONTENT_TYPES[".tif"] == "image/tiff"
    assert {".jpeg", ".tiff"} <= set(EXTENSIONS)


def test_a_text_that_starts_with_the_letters_mz_is_text(tmp_path):
    assert checked(tmp_path, "notes.txt", b"MZ Trading Co, Shenzhen\n").extension == ".txt"


# --- refused, with a message naming the file ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "invoice.pdf",
            files.windows_program,
            "invoice.pdf is refused: it is a Windows program, not a PDF.",
        ),
        (
            "notes.txt",
            files.linux_program,
            "notes.txt is refused: it is a Linux or Unix program, not a text file.",
        ),
        ("scan.png", files.macos_program, "scan.png is refused: it is a macOS program"),
        (
            "workers.csv",
            files.shell_script,
            "workers.csv is refused: it is a script that runs as a program",
        ),
    ],
)
def test_a_program_is_refused_whatever_its_name(tmp_path, name, make, message):
    assert refusal(tmp_path, name, make()).startswith(message)


@pytest.mark.parametrize(
    ("name", "make", "found"),
    [
        ("audit.pdf", files.pdf_with_zip_at_end, "a PDF that is also a zip archive"),
        ("audit.pdf", files.zip_with_pdf_header, "a PDF that is also a zip archive"),
        (
            "contract.docx",
            files.word_with_pdf_inside_first_kilobyte,
            "a Word document that is also a PDF",
        ),
        ("scan.png", files.png_with_zip_at_end, "a PNG image that is also a zip archive"),
        ("photo.jpg", files.jpeg_with_pdf_header, "a JPEG image that is also a PDF"),
    ],
)
def test_a_polyglot_is_refused(tmp_path, name, make, found):
    message = refusal(tmp_path, name, make())
    assert message.startswith(f"{name} is refused: it is two formats at once ({found}")


def test_an_empty_file_is_refused(tmp_path):
    assert refusal(tmp_path, "empty.pdf", b"") == "empty.pdf is refused: it is empty (0 bytes)."


def test_a_zip_bomb_is_refused(tmp_path):
    assert "(a zip bomb?)" in refusal(tmp_path, "contract.docx", files.word_zip_bomb())


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_pixel_bomb_is_refused(tmp_path):
    message = refusal(tmp_path, "scan.png", files.pixel_bomb_png())
    assert "(a decompression bomb?)" in message


def test_a_damaged_image_is_refused(tmp_path):
    data = files.scan_png()[:40]
    assert "a damaged image" in refusal(tmp_path, "scan.png", data)


def test_a_utf16_csv_is_read_for_formulas_too(tmp_path):
    data = "name,amount\n=HYPERLINK(1),2\n".encode("utf-16")
    assert "row 2, column 1" in refusal(tmp_path, "data.csv", data)


def test_a_csv_formula_on_a_second_line_of_a_quoted_cell_is_no_cell(tmp_path):
    data = b'name,note\nAcme,"first line\n=not a cell"\nMinus,-12.5\n'
    assert checked(tmp_path, "data.csv", data).extension == ".csv"


def test_a_csv_with_a_formula_far_down_is_refused_naming_the_row(tmp_path):
    data = b"name,amount\n" + b"Acme,12\n" * 100_000 + b"Evil,\"=cmd|' /C calc'!A0\"\n"
    assert "row 100002, column 2" in refusal(tmp_path, "data.csv", data)


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_rows_passed_over_whole_still_count_in_the_row_named(tmp_path, end):
    """Plain blocks (no quote, no formula) are counted, not parsed: the row named after
    them is still right, whatever the line ends."""
    plain = f"Acme,12{end}" * 300_000
    data = f"name,amount{end}{plain}Evil,=1+1{end}Fine,3{end}".encode()
    assert "row 300002, column 2" in refusal(tmp_path, "data.csv", data)


def test_a_quoted_cell_across_blocks_is_read_as_one_cell(tmp_path):
    """A quoted cell of many lines across the boundary of two blocks is read as the
    cell's inside (its "=" line is no cell), and the plain rows after it are counted."""
    before = "Acme,12\n" * 30_000  # 240,000 characters: the cell crosses the 256 KiB mark
    inside = "a line of the note\n" * 1_500 + "=inside the note\n" + "more\n" * 1_000
    after = "Acme,12\n" * 100_000
    data = f'name,note\n{before}Acme,"{inside}end"\n{after}Evil,@SUM(1)\n'.encode()
    assert "row 130003, column 2" in refusal(tmp_path, "data.csv", data)
    clean = f'name,note\n{before}Acme,"{inside}end"\n{after}'.encode()
    assert checked(tmp_path, "clean.csv", clean).extension == ".csv"


def test_a_binary_file_named_txt_is_refused_even_past_its_first_kilobytes(tmp_path):
    data = b"plain words\n" * 20_000 + b"\x00\x01\x02"
    assert "binary content" in refusal(tmp_path, "notes.txt", data)


# --- active PDFs: accepted, flagged -------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "warning"),
    [
        (files.javascript_pdf, "The PDF runs JavaScript."),
        (files.attachment_pdf, "The PDF embeds other files."),
        (files.launch_pdf, "The PDF launches other programs."),
    ],
)
def test_an_active_pdf_is_accepted_with_a_warning(tmp_path, make, warning):
    result = checked(tmp_path, "statement.pdf", make())
    assert result.extension == ".pdf"
    assert warning in result.warnings


@pytest.mark.parametrize("shift", range(-12, 4))
def test_a_name_cut_by_a_window_edge_is_read_whole(tmp_path, shift):
    """The scan reads the file in overlapping windows: a name across a window's end is
    found once, and the start of a longer name is not taken for a risky one."""
    cut = pdf_scan.WINDOW - pdf_scan.OVERLAP + shift
    head = b"%PDF-1.7\n"
    filler = b"%" + b"x" * (cut - len(head) - 2) + b"\n"
    risky = checked(tmp_path, "a.pdf", head + filler + b"/JavaScript (x)\n%%EOF\n")
    assert risky.warnings == ("The PDF runs JavaScript.",)
    longer = checked(tmp_path, "b.pdf", head + filler + b"/JSONReport (x)\n" + filler + b"%%EOF")
    assert longer.warnings == ()


def test_a_hidden_name_in_a_stream_that_runs_past_the_window_is_found(tmp_path):
    hidden = zlib.compress(bytes(range(256)) * 8_000 + b"<< /S /J#61vaScript >>")
    data = (
        b"%PDF-1.7\n"
        + b"%" * (pdf_scan.WINDOW - 2_000)
        + b"\n3 0 obj << /Filter /FlateDecode >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert len(hidden) > pdf_scan.OVERLAP
    assert checked(tmp_path, "c.pdf", data).warnings == ("The PDF runs JavaScript.",)


# --- bounded memory ---------------------------------------------------------------------


def peak_of(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_100_mb_pdf_is_checked_in_bounded_memory(tmp_path):
    path = files.write_large_pdf(tmp_path / "large.pdf", 100)
    assert path.stat().st_size >= 100 * files.MIB
    result, peak = peak_of(lambda: check_document_file(path, "large.pdf"))
    assert peak < PEAK_BYTES, f"peak {peak / files.MIB:.1f} MiB"
    # The JavaScript sits in the last kilobyte: the whole file was scanned.
    assert "The PDF runs JavaScript." in result.warnings
    assert "The PDF was not fully checked (too much compressed content)." in result.warnings


@pytest.mark.parametrize(
    ("name", "megabytes"),
    # A CSV is read row by row, and tracemalloc slows every row's allocations down: 24 MiB
    # is already more than the bound, so it proves the file is not held whole.
    [("large.txt", 100), ("large.csv", 24)],
)
def test_a_large_text_file_is_checked_in_bounded_memory(tmp_path, name, megabytes):
    path = files.write_large_text(tmp_path / name, megabytes)
    assert path.stat().st_size > PEAK_BYTES
    result, peak = peak_of(lambda: check_document_file(path, name))
    assert peak < PEAK_BYTES, f"peak {peak / files.MIB:.1f} MiB"
    assert result.extension == "." + name.rsplit(".", 1)[1]
