"""A questionnaire's texts in other languages: titles, questions, help texts, the document
expected, choices and table columns, one file per language beside the definition
(``data/translations/<id>-<version>/<language>.yaml``).

The English definition is the version's meaning; a translation only changes what a person
reads. Choice values never change, so an answer is stored the same whatever the language,
and a label in any language reads as its choice (``with_aliases``).

A file, by question id::

    language: zh-hans
    title: ...
    summary: ...
    answers: {"yes": 是, "no": 否, unknown: 不清楚}    # yes / no / unknown questions
    sections: {declaration: 声明, ...}
    questions:
      company_name: 贵公司的法定名称                    # the text alone, or:
      scope: {text: ..., help: ..., expects: ..., choices: {company: ..., goods: ...}}
      worksites: {text: ..., columns: {name: 工作场所名称, country: {label: ..., choices: ...}}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from chainproof.domain.questionnaire.definition import (
    DATA_DIR,
    YES_NO_UNKNOWN,
    Choice,
    Column,
    DefinitionError,
    Question,
    Questionnaire,
    Section,
)

TRANSLATIONS_DIR = DATA_DIR / "translations"
FIXED_CHOICE_TYPES = ("yes_no", "yes_no_unknown")


def translations_dir(questionnaire: Questionnaire) -> Path:
    return TRANSLATIONS_DIR / f"{questionnaire.id}-{questionnaire.version}"


def bundled_translations(questionnaire: Questionnaire) -> dict[str, dict[str, Any]]:
    """{language: document} for every translation shipped with this version, checked."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(translations_dir(questionnaire).glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or document.get("language") != path.stem:
            raise DefinitionError(f"{path.name}: expected a mapping with language: {path.stem}")
        problems = translation_problems(questionnaire, document)
        if problems:
            raise DefinitionError(f"{path.name}: " + "; ".join(problems[:10]))
        found[path.stem] = document
    return found


def _entry(doc: Any) -> dict[str, Any]:
    return {"text": doc} if isinstance(doc, str) else dict(doc or {})


def _needed(questionnaire: Questionnaire) -> dict[str, str]:
    """Every text a translation must give: its key -> the English."""
    needed = {"title": questionnaire.title}
    if questionnaire.summary:
        needed["summary"] = questionnaire.summary
    for value, label in YES_NO_UNKNOWN:
        needed[f"answers.{value}"] = label
    for section in questionnaire.sections:
        needed[f"sections.{section.id}"] = section.title
        for q in section.questions:
            base = f"questions.{q.id}"
            needed[f"{base}.text"] = q.text
            if q.help:
                needed[f"{base}.help"] = q.help
            if q.expects:
                needed[f"{base}.expects"] = q.expects
            if q.type not in FIXED_CHOICE_TYPES:
                for c in q.choices:
                    needed[f"{base}.choices.{c.value}"] = c.label
            for col in q.columns:
                needed[f"{base}.columns.{col.id}.label"] = col.label
                if col.type not in FIXED_CHOICE_TYPES:
                    for c in col.choices:
                        needed[f"{base}.columns.{col.id}.choices.{c.value}"] = c.label
    return needed


def _flatten(document: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key in ("title", "summary"):
        if key in document:
            flat[key] = document[key]
    for value, text in (document.get("answers") or {}).items():
        flat[f"answers.{value}"] = text
    for section, text in (document.get("sections") or {}).items():
        flat[f"sections.{section}"] = text
    for qid, doc in (document.get("questions") or {}).items():
        entry = _entry(doc)
        base = f"questions.{qid}"
        for key in ("text", "help", "expects"):
            if key in entry:
                flat[f"{base}.{key}"] = entry[key]
        for value, text in (entry.get("choices") or {}).items():
            flat[f"{base}.choices.{value}"] = text
        columns: dict[str, Any] = entry.get("columns") or {}
        for cid, col in columns.items():
            col_entry: dict[str, Any] = {"label": col} if isinstance(col, str) else dict(col or {})
            if "label" in col_entry:
                flat[f"{base}.columns.{cid}.label"] = col_entry["label"]
            for value, text in (col_entry.get("choices") or {}).items():
                flat[f"{base}.columns.{cid}.choices.{value}"] = text
        unknown = set(entry) - {"text", "help", "expects", "choices", "columns"}
        for key in unknown:
            flat[f"{base}.{key}"] = entry[key]
    return flat


def translation_problems(questionnaire: Questionnaire, document: Mapping[str, Any]) -> list[str]:
    """What a translation lacks, what it names that the definition has not, and texts that
    are not text; [] when it translates every text of the version."""
    needed = _needed(questionnaire)
    flat = _flatten(document)
    problems = [f"{key}: missing (English: {needed[key]!r})" for key in needed if key not in flat]
    problems += [f"{key}: not in {questionnaire.key}" for key in flat if key not in needed]
    problems += [
        f"{key}: expected text, found {value!r}"
        for key, value in flat.items()
        if key in needed and (not isinstance(value, str) or not value.strip())
    ]
    return problems


def _label(choice: Choice, text: str | None) -> Choice:
    return replace(choice, label=text, aliases=(choice.label, *choice.aliases)) if text else choice


def translate(questionnaire: Questionnaire, document: Mapping[str, Any]) -> Questionnaire:
    """The questionnaire as a person reading this language sees it (values unchanged; the
    English labels kept as aliases). A text the translation lacks stays in English."""
    flat = _flatten(document)

    def text(key: str, default: str) -> str:
        value = flat.get(key)
        return value if isinstance(value, str) and value.strip() else default

    def choices(base: str, kind: str, items: tuple[Choice, ...]) -> tuple[Choice, ...]:
        if kind in FIXED_CHOICE_TYPES:
            return tuple(_label(c, flat.get(f"answers.{c.value}")) for c in items)
        return tuple(_label(c, flat.get(f"{base}.choices.{c.value}")) for c in items)

    def column(base: str, col: Column) -> Column:
        key = f"{base}.columns.{col.id}"
        return replace(
            col,
            label=text(f"{key}.label", col.label),
            choices=choices(key, col.type, col.choices),
        )

    def question(q: Question) -> Question:
        base = f"questions.{q.id}"
        return replace(
            q,
            text=text(f"{base}.text", q.text),
            help=text(f"{base}.help", q.help),
            expects=text(f"{base}.expects", q.expects),
            choices=choices(base, q.type, q.choices),
            columns=tuple(column(base, c) for c in q.columns),
        )

    return replace(
        questionnaire,
        title=text("title", questionnaire.title),
        summary=text("summary", questionnaire.summary),
        sections=tuple(
            Section(
                s.id, text(f"sections.{s.id}", s.title), tuple(question(q) for q in s.questions)
            )
            for s in questionnaire.sections
        ),
        questions={},
    )


def with_aliases(
    questionnaire: Questionnaire, translations: Mapping[str, Mapping[str, Any]]
) -> Questionnaire:
    """The questionnaire (in its own language) reading a choice's label in every language
    of `translations`: a workbook filled in Chinese reads as one filled in English."""
    if not translations:
        return questionnaire
    labels: dict[tuple[str, str, str], list[str]] = {}
    for document in translations.values():
        for section in translate(questionnaire, document).sections:
            for q in section.questions:
                for c in q.choices:
                    labels.setdefault((q.id, "", c.value), []).append(c.label)
                for col in q.columns:
                    for c in col.choices:
                        labels.setdefault((q.id, col.id, c.value), []).append(c.label)

    def extend(key: tuple[str, str, str], choice: Choice) -> Choice:
        more = [t for t in labels.get(key, []) if t != choice.label and t not in choice.aliases]
        return replace(choice, aliases=(*choice.aliases, *dict.fromkeys(more)))

    def question(q: Question) -> Question:
        return replace(
            q,
            choices=tuple(extend((q.id, "", c.value), c) for c in q.choices),
            columns=tuple(
                replace(col, choices=tuple(extend((q.id, col.id, c.value), c) for c in col.choices))
                for col in q.columns
            ),
        )

    return replace(
        questionnaire,
        sections=tuple(
            replace(s, questions=tuple(question(q) for q in s.questions))
            for s in questionnaire.sections
        ),
        questions={},
    )
