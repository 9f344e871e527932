"""A questionnaire version's translations are stored with it: loaded by the version sync,
corrected later with an audit event (the English definition never changes), and read
back by language."""

import pytest

from chainproof.audit.models import AuditEvent
from chainproof.questionnaires.models import QuestionnaireVersion
from chainproof.questionnaires.versions import definition, languages_of, versions_sync

pytestmark = pytest.mark.django_db


def test_translations_are_stored_with_the_version_and_corrections_are_audited():
    [version] = [v for v in versions_sync() if v.key == "chainproof-strt@1.0"]
    assert languages_of(version) == ["en", "bn", "es", "ko", "tr", "vi", "zh-hans"]
    assert len(version.translations_sha256) == 64
    chinese, _ = definition(version, "zh-hans")
    assert chinese.sections[0].title == "声明"
    assert definition(version)[0].sections[0].title == "Declaration"

    # An older translation in the database (as before a correction shipped).
    stored = version.translations
    stored["zh-hans"] = {**stored["zh-hans"], "sections": {**stored["zh-hans"]["sections"]}}
    stored["zh-hans"]["sections"]["declaration"] = "旧的标题"
    QuestionnaireVersion.objects.filter(pk=version.pk).update(
        translations=stored, translations_sha256="0" * 64
    )
    old = QuestionnaireVersion.objects.get(pk=version.pk)
    assert definition(old, "zh-hans")[0].sections[0].title == "旧的标题"

    versions_sync()
    fixed = QuestionnaireVersion.objects.get(pk=version.pk)
    assert definition(fixed, "zh-hans")[0].sections[0].title == "声明"
    event = AuditEvent.objects.filter(action="questionnaire.translations_updated").latest("pk")
    assert event.before["translations"]["zh-hans"] != event.after["translations"]["zh-hans"]
    assert event.before["translations"]["vi"] == event.after["translations"]["vi"]
    assert fixed.sha256 == version.sha256  # the version itself is unchanged
