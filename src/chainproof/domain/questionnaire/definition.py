"""Questionnaire definitions: sections, questions, answer types, conditions and what each
answer means for risk, read from a versioned YAML file and checked before use.

A definition is data. Responses keep the (id, version) they answered, so a new version is
a new file and never changes how an old response reads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_UNKNOWN = (*YES_NO, ("unknown", "Unknown"))

SCALAR_TYPES = frozenset(
    {
        "yes_no",
        "yes_no_unknown",
        "choice",
        "multi_choice",
        "number",
        "percentage",
        "date",
        "text",
        "email",
        "country",
        "countries",
        "document",
    }
)
COLUMN_TYPES = frozenset({"text", "number", "choice", "country", "date", "yes_no_unknown"})
CHOICE_TYPES = frozenset({"yes_no", "yes_no_unknown", "choice", "multi_choice"})
ILO_INDICATORS = range(1, 12)  # the eleven ILO forced-labour indicators
EVIDENCE_CATEGORIES = range(1, 14)  # the thirteen DHS evidence categories (DOMAIN.md)


class DefinitionError(ValueError):
    """The questionnaire file is not a usable definition; the message says where."""


@dataclass(frozen=True)
class Outcome:
    """What choosing an answer means: a risk-engine signal, a red flag for the roll-up,
    and the ILO indicators it evidences."""

    signal: str = ""
    flag: str = ""
    ilo: tuple[int, ...] = ()

    @property
    def is_red_flag(self) -> bool:
        return bool(self.signal or self.flag)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    outcome: Outcome = Outcome()
    # The label in the definition's other languages: an answer written in any of them
    # (a workbook's drop-down) reads as this choice.
    aliases: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Condition:
    """Shown only when another question's answer is one of `values`."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    type: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int = 2000


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    number: str  # "3.2", for people
    text: str
    type: str
    required: bool = False
    help: str = ""
    choices: tuple[Choice, ...] = ()
    show_if: Condition | None = None
    evidence: tuple[int, ...] = ()
    expects: str = ""
    prefill: str = ""
    must_be: str = ""
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int = 2000
    columns: tuple[Column, ...] = ()
    min_rows: int = 0
    max_rows: int = 200

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    summary: str
    sections: tuple[Section, ...]
    sha256: str = ""
    questions: dict[str, Question] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.questions:
            for section in self.sections:
                for question in section.questions:
                    self.questions[question.id] = question

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def ordered(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


def _text(value: Any, where: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool) or value == "":
        raise DefinitionError(f"{where}: expected text, found {value!r}")
    return str(value)


def _ints(value: Any, allowed: range, where: str) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [] if value is None else [value]
    out = []
    for item in items:
        if not isinstance(item, int) or isinstance(item, bool) or item not in allowed:
            raise DefinitionError(
                f"{where}: expected numbers {allowed.start}-{allowed.stop - 1}, found {item!r}"
            )
        out.append(item)
    return tuple(out)


def _outcome(doc: Any, where: str) -> Outcome:
    if doc is None:
        return Outcome()
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: expected a mapping, found {doc!r}")
    unknown = set(doc) - {"signal", "flag", "ilo", "value", "label"}
    if unknown:
        raise DefinitionError(f"{where}: unknown keys {sorted(unknown)}")
    return Outcome(
        signal=_text(doc.get("signal"), f"{where}.signal", required=False),
        flag=_text(doc.get("flag"), f"{where}.flag", required=False),
        ilo=_ints(doc.get("ilo"), ILO_INDICATORS, f"{where}.ilo"),
    )


def _choices(kind: str, doc: dict[str, Any], where: str) -> tuple[Choice, ...]:
    answers = doc.get("answers") or {}
    if not isinstance(answers, dict):
        raise DefinitionError(f"{where}.answers: expected a mapping of answer to outcome")
    if kind in ("yes_no", "yes_no_unknown"):
        if "choices" in doc:
            raise DefinitionError(f"{where}: {kind} questions have fixed choices")
        fixed = YES_NO if kind == "yes_no" else YES_NO_UNKNOWN
        choices = tuple(
            Choice(v, label, _outcome(answers.get(v), f"{where}.answers.{v}")) for v, label in fixed
        )
    else:
        raw = doc.get("choices")
        if not isinstance(raw, list) or not raw:
            raise DefinitionError(f"{where}: a {kind} question needs a list of choices")
        choices = tuple(
            Choice(
                _text(c.get("value") if isinstance(c, dict) else None, f"{where}.choices[{i}]"),
                _text(c.get("label"), f"{where}.choices[{i}].label"),
                _outcome(c, f"{where}.choices[{i}]"),
            )
            for i, c in enumerate(raw)
        )
    values = [c.value for c in choices]
    if len(set(values)) != len(values):
        raise DefinitionError(f"{where}: choice values repeat")
    if len({c.label.casefold() for c in choices}) != len(choices):
        raise DefinitionError(f"{where}: choice labels repeat")
    extra = set(answers) - set(values)
    if extra:
        raise DefinitionError(f"{where}.answers: {sorted(extra)} are not choices")
    return choices


def _bounds(doc: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("min", "max"):
        if doc.get(key) is not None:
            if not isinstance(doc[key], int | float) or isinstance(doc[key], bool):
                raise DefinitionError(f"{where}.{key}: expected a number, found {doc[key]!r}")
            out[key] = float(doc[key])
    if "max_length" in doc:
        if not isinstance(doc["max_length"], int) or not 1 <= doc["max_length"] <= 20_000:
            raise DefinitionError(f"{where}.max_length: expected 1-20000")
        out["max_length"] = doc["max_length"]
    out["integer"] = bool(doc.get("integer", False))
    return out


def _column(doc: Any, where: str) -> Column:
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: expected a mapping")
    kind = _text(doc.get("type"), f"{where}.type")
    if kind not in COLUMN_TYPES:
        raise DefinitionError(f"{where}.type: expected one of {sorted(COLUMN_TYPES)}")
    return Column(
        id=_text(doc.get("id"), f"{where}.id"),
        label=_text(doc.get("label"), f"{where}.label"),
        type=kind,
        required=bool(doc.get("required", False)),
        choices=_choices(kind, doc, where) if kind in CHOICE_TYPES else (),
        **_bounds(doc, where),
    )


def _question(doc: Any, section: str, number: str, where: str) -> Question:
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: expected a mapping")
    kind = _text(doc.get("type"), f"{where}.type")
    if kind not in SCALAR_TYPES and kind != "table":
        raise DefinitionError(
            f"{where}.type: expected one of {sorted(SCALAR_TYPES | {'table'})}, found {kind!r}"
        )
    show_if = None
    if doc.get("show_if") is not None:
        cond = doc["show_if"]
        if not isinstance(cond, dict) or not isinstance(cond.get("in"), list):
            raise DefinitionError(f"{where}.show_if: expected {{question: id, in: [answers]}}")
        show_if = Condition(
            _text(cond.get("question"), f"{where}.show_if.question"),
            tuple(str(v) for v in cond["in"]),
        )
    columns: tuple[Column, ...] = ()
    if kind == "table":
        raw = doc.get("columns")
        if not isinstance(raw, list) or not raw:
            raise DefinitionError(f"{where}: a table question needs columns")
        columns = tuple(_column(c, f"{where}.columns[{i}]") for i, c in enumerate(raw))
        if len({c.id for c in columns}) != len(columns):
            raise DefinitionError(f"{where}: column ids repeat")
    choices = _choices(kind, doc, where) if kind in CHOICE_TYPES else ()
    must_be = str(doc.get("must_be", ""))
    if must_be and must_be not in {c.value for c in choices}:
        raise DefinitionError(f"{where}.must_be: {must_be!r} is not a choice")
    return Question(
        id=_text(doc.get("id"), f"{where}.id"),
        section=section,
        number=number,
        text=_text(doc.get("text"), f"{where}.text"),
        type=kind,
        required=bool(doc.get("required", False)),
        help=_text(doc.get("help"), f"{where}.help", required=False),
        choices=choices,
        show_if=show_if,
        evidence=_ints(doc.get("evidence"), EVIDENCE_CATEGORIES, f"{where}.evidence"),
        expects=_text(doc.get("expects"), f"{where}.expects", required=False),
        prefill=_text(doc.get("prefill"), f"{where}.prefill", required=False),
        must_be=must_be,
        columns=columns,
        min_rows=int(doc.get("min_rows", 0)),
        max_rows=int(doc.get("max_rows", 200 if kind == "table" else 250)),
        **_bounds(doc, where),
    )


def parse_definition(document: Any, *, sha256: str = "") -> Questionnaire:
    """A checked definition from a parsed YAML document."""
    if not isinstance(document, dict):
        raise DefinitionError("expected a mapping with id, version, title and sections")
    sections = []
    seen: dict[str, Question] = {}
    raw_sections = document.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise DefinitionError("sections: expected a list")
    for s_index, s_doc in enumerate(raw_sections, start=1):
        where = f"sections[{s_index - 1}]"
        if not isinstance(s_doc, dict) or not isinstance(s_doc.get("questions"), list):
            raise DefinitionError(f"{where}: expected id, title and a list of questions")
        section_id = _text(s_doc.get("id"), f"{where}.id")
        questions = []
        for q_index, q_doc in enumerate(s_doc["questions"], start=1):
            question = _question(
                q_doc, section_id, f"{s_index}.{q_index}", f"{where}.questions[{q_index - 1}]"
            )
            if question.id in seen:
                raise DefinitionError(f"question {question.id!r} is defined twice")
            if question.show_if is not None:
                source = seen.get(question.show_if.question)
                if source is None:
                    raise DefinitionError(
                        f"question {question.id!r}: show_if refers to "
                        f"{question.show_if.question!r}, which is not an earlier question"
                    )
                unknown = set(question.show_if.values) - {c.value for c in source.choices}
                if unknown:
                    raise DefinitionError(
                        f"question {question.id!r}: show_if values {sorted(unknown)} are not "
                        f"answers of {source.id!r}"
                    )
            seen[question.id] = question
            questions.append(question)
        sections.append(
            Section(section_id, _text(s_doc.get("title"), f"{where}.title"), tuple(questions))
        )
    return Questionnaire(
        id=_text(document.get("id"), "id"),
        version=_text(document.get("version"), "version"),
        title=_text(document.get("title"), "title"),
        summary=_text(document.get("summary"), "summary", required=False),
        sections=tuple(sections),
        sha256=sha256,
    )


def load_definition(path: Path) -> Questionnaire:
    raw = path.read_bytes()
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: not valid YAML ({exc})") from None
    return parse_definition(document, sha256=hashlib.sha256(raw).hexdigest())


def bundled_definitions() -> list[Questionnaire]:
    """Every questionnaire version shipped with chainproof."""
    return [load_definition(p) for p in sorted(DATA_DIR.glob("*.yaml"))]


def definition_from_snapshot(snapshot: dict[str, Any]) -> Questionnaire:
    """A definition stored with its responses (so old versions keep reading)."""
    return parse_definition(snapshot["document"], sha256=snapshot.get("sha256", ""))


def snapshot(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    document = yaml.safe_load(raw)
    json.dumps(document)  # must be storable as JSON
    return {"document": document, "sha256": hashlib.sha256(raw).hexdigest()}
