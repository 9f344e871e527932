"""Generating real and hostile .xlsx files for tests (nothing binary is committed)."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook


def workbook_bytes(rows, title="suppliers", **cells):
    """A workbook made by openpyxl: ``rows`` appended, then ``cells`` ({"XFD9": value})."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(data, part, change):
    """The same archive with one part's text changed by ``change(text) -> text``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item.filename, content)
    return out.getvalue()


def with_member(data, name, content):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def members(data):
    """Every part of an archive: name -> bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(members, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def set_dimension(data, ref, part="xl/worksheets/sheet1.xml"):
    """Make the sheet's <dimension> claim ``ref`` whatever the cells are."""
    return rewrite(
        data, part, lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)
    )


def add_cell_xml(data, row_xml, part="xl/worksheets/sheet1.xml"):
    """Append a raw <row> to the sheet data (for cells no spreadsheet program writes)."""
    return rewrite(data, part, lambda xml: xml.replace("</sheetData>", row_xml + "</sheetData>"))
