"""Reading a CSV file as people really save them: the encoding and the separator are found
from the bytes, and what was guessed is said in words.

- Encoding: UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text",
  which has a byte-order mark and tabs between the columns), otherwise GB18030 (Chinese
  Windows) or Windows-1252 (Western European Windows), told apart by the characters the
  bytes make (``guess_legacy_encoding``). A binary file is refused.
- Separator: comma, semicolon (European Excel), tab or pipe, chosen by how many of the
  first lines split into the same number of columns (title rows above the header do not
  mislead it, as they do ``csv.Sniffer``).

chainproof's CSV exports put an apostrophe before a text that would run as a formula
(``cells.csv_cell``); reading takes exactly that apostrophe off again, so an exported
file re-imports unchanged. Any other apostrophe is data and stays."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from chainproof.domain.tabular import WIDTH_MARK, Record, RowError, Sheet, TableFileError
from chainproof.fileformats.cells import FORMULA_START

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
SNIFF_LINES = 50
SNIFF_BYTES = 256 * 1024
# Of the characters GB18030 makes from two bytes, this share at least must be common
# Chinese characters or punctuation (the GB2312 area) for the file to be taken as Chinese.
GB_COMMON_SHARE = 0.8


def unescaped(cell: str) -> str:
    """A cell without the apostrophe a CSV export put before = + - @ (tab, return)."""
    if cell.startswith("'") and cell[1:2] and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


@dataclass
class CsvText:
    """A CSV file decoded: its text, the encoding and separator used, what was guessed."""

    text: str
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)


def _refuse(source: str, row: int, expected: str, found: str) -> TableFileError:
    return TableFileError(source, [RowError(row, "", expected, found)])


def guess_legacy_encoding(data: bytes) -> str | None:
    """ "GB18030" or "Windows-1252" for bytes that are not UTF-8, or None when neither
    decodes them.

    Chinese text in GB18030 is made of byte pairs that almost all fall in the GB2312 area
    (both bytes 0xA1-0xFE); Western text in Windows-1252 has single accented letters
    between plain ones (Société: 0xE9 then "t"), which GB18030 can only read as rare
    characters. So: GB18030 when it decodes and most of its characters are common ones."""
    gb = _decodes(data, "gb18030")
    western = _decodes(data, "cp1252")
    if gb and western:
        common = rare = 0
        sample = data[:SNIFF_BYTES]
        index = 0
        while index < len(sample):
            byte = sample[index]
            if byte < 0x80:
                index += 1
                continue
            trail = sample[index + 1] if index + 1 < len(sample) else 0
            if 0x30 <= trail <= 0x39:  # a four-byte GB18030 sequence
                rare += 1
                index += 4
                continue
            if 0xA1 <= byte <= 0xF7 and 0xA1 <= trail <= 0xFE:
                common += 1
            else:
                rare += 1
            index += 2
        return (
            "GB18030"
            if common and common >= GB_COMMON_SHARE * (common + rare)
            else ("Windows-1252")
        )
    if gb:
        return "GB18030"
    if western:
        return "Windows-1252"
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_mark(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" for text saved as UTF-16 without a byte-order mark (a NUL
    after, or before, every ASCII character), else None."""
    sample = head[: len(head) // 2 * 2][:512]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """(text, encoding as a person says it, notes); a file no encoding reads, or a
    binary one, is refused naming the byte and where it is."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _refuse(source, 0, "a file with a header row", "an empty file")
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data, "utf-8-sig", "UTF-8", source), "UTF-8 with BOM"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        text, encoding = _strict(data, "utf-16", "UTF-16", source), "UTF-16"
    elif (utf16 := _utf16_without_mark(data)) is not None:
        text, encoding = _strict(data, utf16, "UTF-16", source), "UTF-16"
        notes.append("read as UTF-16 (guessed: no byte-order mark, a NUL byte by each letter)")
    else:
        if b"\x00" in data:
            raise _binary(source, data.index(b"\x00"), data)
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            guess = guess_legacy_encoding(data)
            if guess is None:
                line = data[: exc.start].count(b"\n") + 1
                raise _refuse(
                    source,
                    line,
                    "text in UTF-8, UTF-16, Windows-1252 or GB18030",
                    f"byte 0x{data[exc.start]:02x} at offset {exc.start} that none of them "
                    "reads (save the file as UTF-8)",
                ) from None
            text, encoding = data.decode("gb18030" if guess == "GB18030" else "cp1252"), guess
            why = "Chinese characters" if guess == "GB18030" else "Western European letters"
            notes.append(f"read as {guess} (guessed: not UTF-8; the bytes make {why})")
    if "\x00" in text:
        raise _binary(source, text.index("\x00"), None)
    return text, encoding, notes


def _strict(data: bytes, codec: str, name: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _refuse(
            source,
            0,
            f"{name} text (its byte-order mark says so)",
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} that is not {name}",
        ) from None


def _binary(source: str, at: int, data: bytes | None) -> TableFileError:
    line = data[:at].count(b"\n") + 1 if data is not None else 0
    return _refuse(source, line, "CSV text", "binary data (NUL bytes)")


def sniff_delimiter(text: str) -> str:
    """The separator that splits the most of the first lines into the same number (two or
    more) of columns; ties go to the wider split, then to the comma. A file of one column
    is read with commas."""
    head = text[:SNIFF_BYTES]
    best: tuple[int, int, int] = (0, 0, 0)
    chosen = ","
    for order, delimiter in enumerate(DELIMITERS):
        widths: Counter[int] = Counter()
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
        try:
            for number, cells in enumerate(reader):
                if number >= SNIFF_LINES:
                    break
                if len(cells) > 1:
                    widths[len(cells)] += 1
        except csv.Error:
            pass
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count, width, -order)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def decode_utf8(data: bytes, source: str) -> str:
    """The file as UTF-8 (a BOM is allowed), refusing anything else."""
    if not data.strip():
        raise _refuse(source, 0, "a file with a header row", "an empty file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            source,
            line,
            "UTF-8 text",
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} (save the file as UTF-8)",
        ) from None


def decode_csv(data: bytes, source: str, *, sniff: bool = True) -> CsvText:
    """The file decoded, with its separator found; without ``sniff``, UTF-8 and commas
    only (reference data, whose format is fixed)."""
    if not sniff:
        text = decode_utf8(data, source)
        if "\x00" in text:
            raise _binary(source, text.index("\x00"), None)
        return CsvText(text, "UTF-8", ",")
    text, encoding, notes = decode_text(data, source)
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        notes.append(f"columns separated by {DELIMITER_NAMES[delimiter]}")
    return CsvText(text, encoding, delimiter, notes)


def csv_rows(decoded: CsvText, source: str) -> Iterator[list[str]]:
    """Every record of the file (a blank line is an empty list), apostrophes of chainproof's
    exports taken off; malformed quoting is refused with its line."""
    reader = csv.reader(
        io.StringIO(decoded.text, newline=""), delimiter=decoded.delimiter, strict=True
    )
    try:
        for cells in reader:
            yield [unescaped(c) if c[:1] == "'" else c for c in cells]
    except csv.Error as exc:
        raise _refuse(source, reader.line_num, "well-formed CSV", str(exc)) from None


def read_csv(data: bytes, source: str, *, sniff: bool = False) -> Sheet:
    """A header (the first non-empty row) and the records below it, read lazily. With
    ``sniff`` the encoding and separator are found (as ``read_table`` does); without it
    the file must be UTF-8 with commas, as reference data files are."""
    decoded = decode_csv(data, source, sniff=sniff)
    rows = enumerate(csv_rows(decoded, source), start=1)
    header: list[str] = []
    for _, cells in rows:
        if any(cell.strip() for cell in cells):
            header = [h.strip() for h in cells]
            break
    if not header:
        raise _refuse(source, 1, "a CSV header row", "no row with a value")

    def records() -> Iterator[Record]:
        for index, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                yield index, {WIDTH_MARK: str(len(cells))}
                continue
            yield index, dict(zip(header, cells, strict=True))

    return Sheet(name="", header=header, records=records())
