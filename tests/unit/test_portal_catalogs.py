"""The portal's translation catalogs: every string the portal, its emails and its workbook
mark for translation has a translation in all six languages; placeholders survive; and
the committed .mo files are exactly what the .po files compile to (no GNU gettext needed
at run time or in CI)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from chainproof.common.pofiles import Message, PoError, compile_mo, parse_po, po_files

SRC = Path(__file__).resolve().parents[2] / "src" / "chainproof"
APP = SRC / "questionnaires"
LOCALE = APP / "locale"
LANGUAGES = {"zh_Hans", "vi", "es", "ko", "tr", "bn"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")
TAG = re.compile(r"</?\w+")

# Where the supplier's words are: the portal's templates and emails, and the modules that
# speak to the supplier (web/base.html's shell words are listed in languages.SHELL_WORDS).
TEMPLATES = [
    *sorted((APP / "templates/questionnaires").glob("portal_*.html")),
    *sorted((APP / "templates/questionnaires").glob("_*.html")),
    *sorted((APP / "templates/questionnaires/email").glob("*.txt")),
]
MODULES = [
    APP / name
    for name in (
        "portal.py",
        "portal_evidence.py",
        "portal_problems.py",
        "portal_reuse.py",
        "reuse.py",
        "contacts.py",
        "answering.py",
        "languages.py",
        "models.py",
        "workbook_words.py",
    )
]
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext"}


def _catalogs() -> dict[str, dict[str, Message]]:
    found = {}
    for po in po_files(LOCALE):
        messages = parse_po(po.read_text(encoding="utf-8"))
        found[po.parts[-3]] = {m.key: m for m in messages if m.msgid}
    return found


def _block_msgid(body: str) -> str:
    """A blocktranslate body as xgettext writes it: {{ name }} -> %(name)s."""
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body)


def marked_in_templates(text: str) -> set[str]:
    found = set(re.findall(r'\{%\s*translate\s+"((?:[^"\\]|\\.)*)"', text))
    for body in re.findall(
        r"\{%\s*blocktranslate[^%]*%\}(.*?)\{%\s*endblocktranslate\s*%\}", text, re.S
    ):
        singular, _, plural = body.partition("{% plural %}")
        key = _block_msgid(singular)
        found.add(f"{key}\0{_block_msgid(plural)}" if plural else key)
    return found


def marked_in_python(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in GETTEXT or not node.args:
            continue
        texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
        if node.func.id == "ngettext" and len(texts) == 2:
            found.add(f"{texts[0]}\0{texts[1]}")
        elif texts and isinstance(texts[0], str):
            found.add(texts[0])
    return found


def test_the_extractor_finds_marked_strings():
    assert marked_in_templates(
        '{% translate "Save draft" %} {% blocktranslate with a=b %}Due {{ a }}'
        "{% endblocktranslate %} {% blocktranslate count n=x %}{{ n }} row{% plural %}"
        "{{ n }} rows{% endblocktranslate %}"
    ) == {"Save draft", "Due %(a)s", "%(n)s row\0%(n)s rows"}
    assert marked_in_python('_("One"); ngettext("a %(n)s", "b %(n)s", n); other("x")') == {
        "One",
        "a %(n)s\0b %(n)s",
    }


def test_every_portal_string_is_translated_in_all_six_languages():
    marked: set[str] = set()
    for path in TEMPLATES:
        marked |= marked_in_templates(path.read_text(encoding="utf-8"))
    for path in MODULES:
        marked |= marked_in_python(path.read_text(encoding="utf-8"))
    assert len(marked) > 150
    catalogs = _catalogs()
    assert set(catalogs) == LANGUAGES
    for language, messages in catalogs.items():
        missing = sorted(m for m in marked if m not in messages)
        assert missing == [], (language, missing[:5])
        untranslated = [k for k, m in messages.items() if not m.translated or m.fuzzy]
        assert untranslated == [], (language, untranslated[:5])
    keys = {language: set(messages) for language, messages in catalogs.items()}
    assert len({frozenset(k) for k in keys.values()}) == 1  # the same messages everywhere


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_translations_keep_placeholders_and_markup(language):
    messages = _catalogs()[language]
    assert messages
    for message in messages.values():
        sources = [message.msgid, message.msgid_plural or message.msgid]
        for index, text in enumerate(message.msgstr):
            source = sources[min(index, 1)]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                message.msgid,
                text,
            )
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(source)), text
            assert text.strip(), message.msgid


def test_the_committed_mo_files_are_the_compiled_po_files():
    compiled = 0
    for po in po_files(LOCALE):
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} is missing: python -m chainproof.common.pofiles {LOCALE}"
        expected = compile_mo(parse_po(po.read_text(encoding="utf-8")))
        assert mo.read_bytes() == expected, (
            f"{mo} is stale: run python -m chainproof.common.pofiles {LOCALE}"
        )
        compiled += 1
    assert compiled == 6


def test_the_mo_writer_is_read_by_python_gettext(tmp_path):
    import gettext

    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Save"\nmsgstr "保存"\n\n'
        'msgctxt "verb"\nmsgid "Open"\nmsgstr "打开"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "猜"\n\n'
        'msgid "Line\\n\\"two\\""\nmsgstr ""\n"第二\\n"\n"行"\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s fila"\n'
        'msgstr[1] "%(n)s filas"\n'
    )
    path = tmp_path / "x.mo"
    path.write_bytes(compile_mo(parse_po(po)))
    catalog = gettext.GNUTranslations(path.open("rb"))
    assert catalog.gettext("Save") == "保存"
    assert catalog.pgettext("verb", "Open") == "打开"
    assert catalog.gettext("Guess") == "Guess"  # fuzzy: not compiled
    assert catalog.gettext('Line\n"two"') == "第二\n行"
    assert catalog.ngettext("%(n)s row", "%(n)s rows", 2) == "%(n)s filas"


def test_a_broken_po_file_names_its_line():
    with pytest.raises(PoError, match="line 2"):
        parse_po('msgid "a"\nmsgstr b\n')
    with pytest.raises(PoError, match="line 1"):
        parse_po('"orphan"\n')
