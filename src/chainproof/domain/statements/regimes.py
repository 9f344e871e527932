"""The statement regimes (UK, Australia, Canada, California, the EU readiness report) as data.

Each law that asks for an annual statement asks for it in its own shape: which sections, what
each must cover, who approves it, who signs, when it is due. That shape lives in
``data/statement_regimes.yaml``; this module reads and checks it. A bad file is refused with
every problem named by regime and field ("regime 'uk_msa', section 'policies', field
'figures': unknown figure 'polices'"), so a wrong edit never reaches a statement.

Each section names the figures (``figures.FIGURES``) that pre-fill it; the statements app
computes them for an organization and a reporting period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from chainproof.domain.statements.figures import FIGURES

__all__ = [
    "KINDS",
    "REGIMES_FILE",
    "Approval",
    "Regime",
    "RegimeSection",
    "RegimesError",
    "load_regimes",
    "regime",
    "regimes_parse",
]

REGIMES_FILE = Path(__file__).parent.parent / "data" / "statement_regimes.yaml"

Kind = Literal["statement", "readiness"]
KINDS: tuple[Kind, ...] = ("statement", "readiness")

_REGIME_FIELDS = (
    "code",
    "title",
    "short_title",
    "law",
    "citation",
    "source_url",
    "effective_from",
    "applies_to",
    "period_label",
    "due",
    "approval",
    "signature",
    "sections",
    "notes",
    "kind",
)
_APPROVAL_FIELDS = ("required", "who", "citation")
_SECTION_FIELDS = ("key", "heading", "citation", "must_cover", "figures")


class RegimesError(ValueError):
    """A regimes file that cannot be used; ``errors`` lists every problem, each naming the
    regime and the field."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Approval:
    """Who must approve the statement before it is published, under which provision.
    ``required`` False: the law names no approver (``who`` may still say who should)."""

    required: bool
    who: str
    citation: str


@dataclass(frozen=True)
class RegimeSection:
    """One section of a statement: what the law asks it to cover, in plain words, and the
    figures that pre-fill it (keys of ``figures.FIGURES``)."""

    key: str
    heading: str
    citation: str
    must_cover: tuple[str, ...]
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Regime:
    """One law's statement (or, ``kind`` "readiness", a report on readiness for a law not
    yet applying): what it is, whom it binds, when it is due, who approves and signs it,
    and its sections in order."""

    code: str
    title: str
    short_title: str
    law: str
    citation: str
    source_url: str
    effective_from: date
    applies_to: str
    period_label: str
    due: str
    approval: Approval
    signature: str
    sections: tuple[RegimeSection, ...]
    notes: str
    kind: Kind

    def section(self, key: str) -> RegimeSection:
        """The section with ``key``; a clear ValueError when this regime has none."""
        for item in self.sections:
            if item.key == key:
                return item
        keys = ", ".join(s.key for s in self.sections)
        raise ValueError(f"the regime {self.code!r} has no section {key!r}; its sections: {keys}")


# --- checking one value --------------------------------------------------------------------


def _text(value: Any, where: str, errors: list[str], *, empty_ok: bool = False) -> str:
    if value is None and empty_ok:
        return ""
    if not isinstance(value, str) or (not value.strip() and not empty_ok):
        errors.append(f"{where}: expected text, found {value!r}")
        return ""
    return " ".join(value.split())


def _date(value: Any, where: str, errors: list[str]) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(f"{where}: expected a date (YYYY-MM-DD), found {value!r}")
    return date.min


def _texts(value: Any, where: str, errors: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        errors.append(f"{where}: expected a list of one or more sentences, found {value!r}")
        return ()
    return tuple(_text(item, where, errors) for item in value)


def _fields(
    body: Any, expected: Sequence[str], where: str, errors: list[str]
) -> Mapping[str, Any] | None:
    """``body`` as a mapping with exactly the ``expected`` fields, or None (errors added)."""
    if not isinstance(body, dict):
        errors.append(f"{where}: expected a mapping of {', '.join(expected)}, found {body!r}")
        return None
    start = len(errors)
    for name in body:
        if name not in expected:
            errors.append(f"{where}, field {name!r}: unknown field; expected {', '.join(expected)}")
    for name in expected:
        if name not in body:
            errors.append(f"{where}, field {name!r}: missing")
    return body if len(errors) == start else None


# --- one regime ----------------------------------------------------------------------------


def _approval(body: Any, where: str, errors: list[str]) -> Approval:
    fields = _fields(body, _APPROVAL_FIELDS, where, errors)
    if fields is None:
        return Approval(False, "", "")
    required = fields["required"]
    if not isinstance(required, bool):
        errors.append(f"{where}, field 'required': expected true or false, found {required!r}")
        required = False
    who = _text(fields["who"], f"{where}, field 'who'", errors, empty_ok=not required)
    citation = _text(
        fields["citation"], f"{where}, field 'citation'", errors, empty_ok=not required
    )
    return Approval(required=required, who=who, citation=citation)


def _section(body: Any, where: str, errors: list[str]) -> RegimeSection:
    fields = _fields(body, _SECTION_FIELDS, where, errors)
    if fields is None:
        return RegimeSection("", "", "", (), ())
    key = _text(fields["key"], f"{where}, field 'key'", errors)
    at = where
    if key:
        at = f"{where.rsplit(', section', 1)[0]}, section {key!r}"
    figures_raw = fields["figures"]
    figures: tuple[str, ...] = ()
    if not isinstance(figures_raw, list):
        errors.append(
            f"{at}, field 'figures': expected a list of figure keys, found {figures_raw!r}"
        )
    else:
        for item in figures_raw:
            if item not in FIGURES:
                errors.append(
                    f"{at}, field 'figures': unknown figure {item!r}; "
                    f"expected one of {', '.join(FIGURES)}"
                )
        if len(set(figures_raw)) != len(figures_raw):
            errors.append(f"{at}, field 'figures': a figure is listed twice in {figures_raw!r}")
        figures = tuple(str(item) for item in figures_raw)
    return RegimeSection(
        key=key,
        heading=_text(fields["heading"], f"{at}, field 'heading'", errors),
        citation=_text(fields["citation"], f"{at}, field 'citation'", errors),
        must_cover=_texts(fields["must_cover"], f"{at}, field 'must_cover'", errors),
        figures=figures,
    )


def _regime(body: Any, position: int, errors: list[str]) -> Regime | None:
    name = f"regime {position}"
    if isinstance(body, dict) and isinstance(body.get("code"), str) and body["code"].strip():
        name = f"regime {body['code'].strip()!r}"
    fields = _fields(body, _REGIME_FIELDS, name, errors)
    if fields is None:
        return None

    def text(field: str, *, empty_ok: bool = False) -> str:
        return _text(fields[field], f"{name}, field {field!r}", errors, empty_ok=empty_ok)

    kind = fields["kind"]
    if kind not in KINDS:
        errors.append(f"{name}, field 'kind': expected one of {', '.join(KINDS)}, found {kind!r}")
        kind = "statement"
    source_url = text("source_url")
    if source_url and not source_url.startswith("https://"):
        errors.append(
            f"{name}, field 'source_url': expected an https:// address, found {source_url!r}"
        )
    sections_raw = fields["sections"]
    sections: list[RegimeSection] = []
    if not isinstance(sections_raw, list) or not sections_raw:
        errors.append(
            f"{name}, field 'sections': expected a list of sections, found {sections_raw!r}"
        )
    else:
        for index, item in enumerate(sections_raw, start=1):
            sections.append(_section(item, f"{name}, section {index}", errors))
        keys = [s.key for s in sections if s.key]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            errors.append(f"{name}, field 'sections': the section key {key!r} is used twice")
    return Regime(
        code=text("code"),
        title=text("title"),
        short_title=text("short_title"),
        law=text("law"),
        citation=text("citation"),
        source_url=source_url,
        effective_from=_date(fields["effective_from"], f"{name}, field 'effective_from'", errors),
        applies_to=text("applies_to"),
        period_label=text("period_label"),
        due=text("due"),
        approval=_approval(fields["approval"], f"{name}, field 'approval'", errors),
        signature=text("signature", empty_ok=True),
        sections=tuple(sections),
        notes=text("notes", empty_ok=True),
        kind=cast(Kind, kind),
    )


# --- the file ------------------------------------------------------------------------------


def regimes_parse(text: str) -> dict[str, Regime]:
    """The regimes in YAML ``text``, by code, in the file's order. Every regime, section and
    field is checked; a bad file raises RegimesError listing each problem by regime and
    field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegimesError([f"the regimes file is not valid YAML: {exc}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("regimes"), list):
        raise RegimesError(["the regimes file: expected a mapping with a list under 'regimes'"])
    if not isinstance(data.get("source"), dict):
        raise RegimesError(
            ["the regimes file: expected a 'source' mapping (addresses and the date checked)"]
        )
    errors: list[str] = []
    found: dict[str, Regime] = {}
    for position, body in enumerate(data["regimes"], start=1):
        item = _regime(body, position, errors)
        if item is None or not item.code:
            continue
        if item.code in found:
            errors.append(f"regime {item.code!r}, field 'code': used by two regimes")
            continue
        found[item.code] = item
    if errors:
        raise RegimesError(errors)
    return found


@lru_cache(maxsize=1)
def _default() -> Mapping[str, Regime]:
    return regimes_parse(REGIMES_FILE.read_text(encoding="utf-8"))


def load_regimes() -> dict[str, Regime]:
    """chainproof's regimes by code (read and checked once, then cached; a copy each call,
    so a caller cannot change another's)."""
    return dict(_default())


def regime(code: str) -> Regime:
    """The regime with ``code``; a ValueError naming the known codes when there is none."""
    regimes = _default()
    try:
        return regimes[code]
    except KeyError:
        known = ", ".join(regimes)
        raise ValueError(f"no statement regime {code!r}; the regimes are: {known}") from None
