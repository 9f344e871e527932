"""The statement as a document, independent of its output format.

The statements app builds one `StatementDocument` from a draft; the PDF (HTML through
WeasyPrint) and the DOCX writer (`fileformats/docx_writer.py`) each draw the same document,
so both outputs always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """A table of figures: a caption, column headings and rows of text cells."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One section of a statement: its heading, what the law asks (with the citation), the text."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    citation: str = ""
    # What the section must cover, in words (shown in drafts, left out of the final).
    guidance: str = ""


@dataclass(frozen=True)
class StatementDocument:
    """A whole statement: title, the facts about it (period, approval, version) and its sections."""

    title: str
    subtitle: str = ""
    # (label, value) pairs, e.g. ("Reporting period", "1 January 2026 to 31 December 2026").
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()
    footer: str = ""
    draft: bool = True  # a draft is marked as such on every page
    extra: dict[str, str] = field(default_factory=dict)
