"""Reading a CSV file into a header and records: UTF-8 only (a BOM is allowed), the
standard comma dialect, strict quoting; a binary file or another encoding is refused
with the line and byte that gave it away.

chainproof's CSV exports put an apostrophe before a text that would run as a formula
(``cells.csv_cell``); reading takes exactly that apostrophe off again, so an exported
file re-imports unchanged. Any other apostrophe is data and stays."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from chainproof.domain.tabular import WIDTH_MARK, Record, RowError, Sheet, TableFileError
from chainproof.fileformats.cells import FORMULA_START


def unescaped(cell: str) -> str:
    """A cell without the apostrophe a CSV export put before = + - @ (tab, return)."""
    if cell.startswith("'") and cell[1:2] and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def decode_csv(data: bytes, source: str) -> str:
    """Decode a CSV file as UTF-8 (a BOM is allowed), refusing anything else."""
    if not data.strip():
        raise TableFileError(source, [RowError(0, "", "a file with a header row", "an empty file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableFileError(
            source,
            [
                RowError(
                    line,
                    "",
                    "UTF-8 text",
                    f"byte 0x{data[exc.start]:02x} at offset {exc.start} (save the file as UTF-8)",
                )
            ],
        ) from None


def read_csv(data: bytes, source: str) -> Sheet:
    content = decode_csv(data, source)
    if "\x00" in content:
        raise TableFileError(source, [RowError(0, "", "CSV text", "binary data (NUL bytes)")])
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise TableFileError(source, [RowError(1, "", "a CSV header row", str(exc))]) from None

    def records() -> Iterator[Record]:
        try:
            for index, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    yield index, {WIDTH_MARK: str(len(cells))}
                    continue
                yield index, dict(zip(header, map(unescaped, cells), strict=True))
        except csv.Error as exc:
            raise TableFileError(
                source, [RowError(reader.line_num, "", "well-formed CSV", str(exc))]
            ) from None

    return Sheet(name="", header=header, records=records())
