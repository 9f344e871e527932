"""What every publisher's parser shares: the size bound, text decoding, HTML tables read
with the standard library's ``html.parser``, dates as agencies write them, and countries
in the publishers' spellings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser

from chainproof.domain.countries import CountryError, resolve_country
from chainproof.domain.tabular import TableFileError
from chainproof.fileformats.csv import decode_text
from chainproof.reference.sources import SourceFormatError

MAX_SOURCE_BYTES = 40 * 1024 * 1024  # a page or file larger than this is refused unread
MAX_SOURCE_ROWS = 200_000  # rows of one table or file

# Publishers' spellings that the countries resolver does not know (or would not guess).
# An empty code: a pseudo-country with no ISO code (CBP's "Fishing Vessels").
PUBLISHER_COUNTRIES = {
    "turkey (turkiye)": "TR",
    "turkiye": "TR",
    "west bank and the gaza strip": "PS",
    "west bank and gaza": "PS",
    "micronesia": "FM",
    "st. vincent and the grenadines": "VC",
    "st vincent and the grenadines": "VC",
    "st. lucia": "LC",
    "st. kitts and nevis": "KN",
    "brunei": "BN",
    "china (prc)": "CN",
    "people's republic of china": "CN",
    "prc": "CN",
    "fishing vessels": "",
    "fishing vessel": "",
}


def one_file(
    files: Mapping[str, bytes], source: str, names: tuple[str, ...], expected: str
) -> tuple[str, bytes]:
    """The one file a single-file publisher sends: the one named like ``names`` (any
    case), else the only one given; refused when none, or too large."""
    if not files:
        raise SourceFormatError(source, expected, "no file")
    chosen = None
    for name in files:
        if name.lower() in names or name.lower().endswith(names):
            chosen = name
            break
    if chosen is None:
        if len(files) != 1:
            raise SourceFormatError(source, expected, f"files named {', '.join(sorted(files))}")
        chosen = next(iter(files))
    check_size(source, chosen, files[chosen])
    return chosen, files[chosen]


def check_size(source: str, name: str, data: bytes) -> None:
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceFormatError(
            source,
            f"a file of at most {MAX_SOURCE_BYTES // (1024 * 1024)} MB",
            f"{name} of {len(data) / (1024 * 1024):.1f} MB",
        )
    if not data.strip():
        raise SourceFormatError(source, "a page or file with content", f"{name} empty")


def text_of(source: str, name: str, data: bytes) -> str:
    """The bytes as text, in whichever common encoding they are (UTF-8, UTF-16, Windows-1252,
    GB18030); a binary file is refused."""
    try:
        text, _, _ = decode_text(data, name)
    except TableFileError as exc:
        raise SourceFormatError(source, "text", f"{name}: {exc}") from None
    return text


def count_rows(source: str, count: int) -> None:
    if count > MAX_SOURCE_ROWS:
        raise SourceFormatError(
            source, f"at most {MAX_SOURCE_ROWS:,} rows", f"more than {MAX_SOURCE_ROWS:,}"
        )


def clean(text: str) -> str:
    """Spaces as one space (no-break spaces too), trimmed."""
    return " ".join(text.replace("\u00a0", " ").split())


def folded(text: str) -> str:
    return clean(text).casefold()


# --- countries ---------------------------------------------------------------------------


def country_code(name: str, *, allow_none: bool = False) -> str | None:
    """The ISO alpha-2 code of a country as a publisher spells it; "" for a pseudo-country
    with no code; None when the name is no country known (the caller reports it)."""
    text = clean(name)
    key = text.casefold().replace("\u00fc", "u").replace("\u2019", "'")
    if key in PUBLISHER_COUNTRIES:
        return PUBLISHER_COUNTRIES[key]
    for candidate in (text, re.sub(r"\s*\([^)]*\)\s*$", "", text)):
        if not candidate:
            continue
        try:
            return resolve_country(candidate, None)
        except CountryError:
            continue
    return "" if allow_none else None


# --- dates -------------------------------------------------------------------------------

_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y-%m-%d",
    "%d %B %Y",
)


def parse_date(text: str) -> date | None:
    value = clean(text).replace("Sept.", "Sep.").replace("Sept ", "Sep ")
    value = re.sub(r"(\d)(st|nd|rd|th),", r"\1,", value)
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    return None


# --- HTML tables ---------------------------------------------------------------------------


@dataclass
class HtmlTable:
    """One ``<table>``: its rows of cell texts (header cells included), the text of the
    headings and paragraphs read since the previous table (what introduces it), and its
    caption."""

    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0  # how many leading rows were all <th> or in <thead>
    before: list[str] = field(default_factory=list)
    caption: str = ""


class _TableReader(HTMLParser):
    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "section", "br"})
    SKIPPED = frozenset({"script", "style", "noscript", "template"})

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.tables: list[HtmlTable] = []
        self.texts: list[str] = []  # blocks of text outside tables since the last table
        self.title = ""
        self._in_title = False
        self._current: list[str] = []  # text of the block being read outside tables
        self._stack: list[HtmlTable] = []
        self._row: list[str] | None = None
        self._row_all_th = True
        self._in_thead = False
        self._cell: list[str] | None = None
        self._in_caption = False
        self._skip = 0

    def _flush(self) -> None:
        text = clean("".join(self._current))
        if text:
            self.texts.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
        if tag == "table":
            self._flush()
            table = HtmlTable(before=self.texts[-12:])
            self.texts = []
            self._stack.append(table)
            return
        if not self._stack:
            if tag in self.BLOCKS:
                self._flush()
            return
        if tag == "thead":
            self._in_thead = True
        elif tag == "caption":
            self._in_caption = True
            self._cell = []
        elif tag == "tr":
            self._row, self._row_all_th = [], True
        elif tag in ("td", "th"):
            if tag == "td":
                self._row_all_th = False
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "title":
            self._in_title = False
        if not self._stack:
            if tag in self.BLOCKS:
                self._flush()
            return
        table = self._stack[-1]
        if tag == "table":
            self._stack.pop()
            self.tables.append(table)
            return
        if tag == "thead":
            self._in_thead = False
        elif tag == "caption" and self._cell is not None:
            table.caption = clean("".join(self._cell))
            self._in_caption, self._cell = False, None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(clean("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._cell is not None:  # a cell left open
                self._row.append(clean("".join(self._cell)))
                self._cell = None
            if any(self._row):
                if (self._in_thead or self._row_all_th) and len(table.rows) == table.header_rows:
                    table.header_rows += 1
                table.rows.append(self._row)
                count_rows(self.source, len(table.rows))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
        if self._stack:
            if self._cell is not None:
                self._cell.append(data)
        else:
            self._current.append(data)


@dataclass
class HtmlPage:
    title: str
    tables: list[HtmlTable]
    text_after: list[str]  # blocks after the last table


def read_html(source: str, name: str, data: bytes) -> HtmlPage:
    check_size(source, name, data)
    text = text_of(source, name, data)
    if not re.search(r"<\s*(html|body|table|div|p)\b", text[:200_000], re.IGNORECASE):
        raise SourceFormatError(source, "an HTML page", f"{name} is not HTML ({text[:40]!r}...)")
    reader = _TableReader(source)
    try:
        reader.feed(text)
        reader.close()
    except SourceFormatError:
        raise
    except Exception as exc:  # html.parser is lenient; anything it raises is a broken page
        raise SourceFormatError(source, "an HTML page", f"{name} unreadable: {exc}") from None
    reader._flush()
    return HtmlPage(clean(reader.title), reader.tables, reader.texts)


def header_index(
    header: list[str], wanted: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, int], list[str]]:
    """The position of each wanted column (by any of its header spellings, case and spaces
    ignored) and the wanted columns not found."""
    positions: dict[str, int] = {}
    folded_header = [re.sub(r"[^a-z0-9/]+", " ", h.casefold()).strip() for h in header]
    for key, spellings in wanted.items():
        for spelling in spellings:
            target = re.sub(r"[^a-z0-9/]+", " ", spelling.casefold()).strip()
            if target in folded_header:
                positions[key] = folded_header.index(target)
                break
    missing = [wanted[k][0] for k in wanted if k not in positions]
    return positions, missing


def describe_header(header: list[str]) -> str:
    return "columns " + ", ".join(repr(h) for h in header) if header else "no header row"
