"""Questionnaire versions: the bundled versions loaded into the database (a shipped
version never changes), and the definition and workbook layouts of a stored one."""

from __future__ import annotations

import copy
import hashlib
import json
from functools import lru_cache
from typing import Any

from django.db import transaction

from chainproof.audit.services import audit_record
from chainproof.domain.questionnaire.cell_map import (
    LayoutMap,
    bundled_layout_documents,
    default_layout,
    parse_layout,
)
from chainproof.domain.questionnaire.definition import (
    DATA_DIR,
    Questionnaire,
    definition_from_snapshot,
    snapshot,
)
from chainproof.domain.questionnaire.translations import (
    bundled_translations,
    translate,
    with_aliases,
)
from chainproof.questionnaires.models import QuestionnaireVersion


@lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[str, dict[str, Any], Questionnaire, list[Any], dict[str, Any]], ...]:
    """Every bundled version read from its files: (file name, snapshot, definition, extra
    layouts, translations). The files ship with the code and never change while a process
    runs, so they are read once per process (reading them took about a second, on every
    page and API call that lists the versions)."""
    bundled = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        snap = snapshot(path)
        definition = definition_from_snapshot(snap)
        extra = [
            parse_layout(doc, definition).as_document()
            for doc in bundled_layout_documents()
            if (doc.get("questionnaire"), str(doc.get("version")))
            == (definition.id, definition.version)
        ]
        bundled.append((path.name, snap, definition, extra, bundled_translations(definition)))
    return tuple(bundled)


def versions_sync() -> list[QuestionnaireVersion]:
    """Make every bundled questionnaire version available (a shipped version never changes:
    a different file under the same version is refused)."""
    found = []
    for file_name, snap, definition, extra, translations in _bundled():
        existing = QuestionnaireVersion.objects.filter(key=definition.key).first()
        if existing is not None:
            if existing.sha256 != snap["sha256"]:
                raise RuntimeError(
                    f"{file_name}: {definition.key} is already stored with different content; "
                    "publish changes as a new version"
                )
            if existing.translations != translations:
                # A translation says the version's meaning in another language; it may be
                # added or corrected later (the English definition never changes).
                with transaction.atomic():
                    digests = _digests(existing.translations)
                    existing.translations = copy.deepcopy(translations)
                    existing.translations_sha256 = _digest(translations)
                    existing.save(update_fields=["translations", "translations_sha256"])
                    audit_record(
                        action="questionnaire.translations_updated",
                        obj=existing,
                        before={"translations": digests},
                        after={"translations": _digests(translations)},
                    )
            if existing.layouts != extra:
                with transaction.atomic():
                    before = [d["name"] for d in existing.layouts]
                    existing.layouts = copy.deepcopy(extra)
                    existing.save(update_fields=["layouts"])
                    audit_record(
                        action="questionnaire.layouts_updated",
                        obj=existing,
                        before={"layouts": before},
                        after={"layouts": [d["name"] for d in extra]},
                    )
            found.append(existing)
            continue
        with transaction.atomic():
            version = QuestionnaireVersion.objects.create(
                key=definition.key,
                questionnaire_id=definition.id,
                version=definition.version,
                title=definition.title,
                document=copy.deepcopy(snap["document"]),
                layout=default_layout(definition).as_document(),
                layouts=copy.deepcopy(extra),
                translations=copy.deepcopy(translations),
                translations_sha256=_digest(translations),
                sha256=snap["sha256"],
            )
            audit_record(
                action="questionnaire.version_loaded",
                obj=version,
                after={"key": version.key, "sha256": version.sha256},
            )
        found.append(version)
    return found


def _digest(translations: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(translations or {}, sort_keys=True).encode()).hexdigest()


def _digests(translations: dict[str, Any]) -> dict[str, str]:
    """Each language's translation by the SHA-256 of its text (for the audit trail)."""
    return {
        language: hashlib.sha256(
            json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        for language, document in sorted((translations or {}).items())
    }


@lru_cache(maxsize=64)
def _definition(
    sha256: str, key: str, language: str, translations_digest: str
) -> tuple[Questionnaire, LayoutMap]:
    version = QuestionnaireVersion.objects.get(key=key)
    questionnaire = definition_from_snapshot({"document": version.document, "sha256": sha256})
    layout = parse_layout(version.layout, questionnaire)
    translations = version.translations or {}
    questionnaire = with_aliases(questionnaire, translations)
    if language in translations:
        questionnaire = translate(questionnaire, translations[language])
    return questionnaire, layout


def definition(
    version: QuestionnaireVersion, language: str = "en"
) -> tuple[Questionnaire, LayoutMap]:
    """The definition and workbook layout of a stored version, its texts in `language`
    (English when the version has no translation into it). Whatever the language, a
    choice's label in any of the version's languages reads as that choice."""
    return _definition(version.sha256, version.key, language, version.translations_sha256)


def languages_of(version: QuestionnaireVersion) -> list[str]:
    """English and every language the version is translated into."""
    return ["en", *sorted(version.translations or {})]


def layouts_of(version: QuestionnaireVersion) -> list[LayoutMap]:
    """chainproof's own layout first, then every other layout registered for the version."""
    questionnaire, own = definition(version)
    return [own, *(parse_layout(doc, questionnaire) for doc in version.layouts or [])]
