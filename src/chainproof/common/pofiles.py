"""Translation catalogs without GNU gettext: a .po file read into its messages, and the
compiled .mo file Django loads, written the way ``msgfmt`` writes it (no hash table).

The .mo files are committed beside their .po (a clean install has no ``msgfmt``); a test
compiles every .po again and compares, so a .po changed without its .mo fails CI. To
compile after editing a .po::

    python -m chainproof.common.pofiles src/chainproof/questionnaires/locale
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = 0x950412DE


class PoError(ValueError):
    """The .po file cannot be read; the message names the line."""


@dataclass
class Message:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def key(self) -> str:
        key = self.msgid if not self.msgid_plural else f"{self.msgid}\0{self.msgid_plural}"
        return key if self.msgctxt is None else f"{self.msgctxt}\x04{key}"


def _string(text: str, number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise PoError(f"line {number}: expected a quoted string, found {text!r}")
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        raise PoError(f"line {number}: not a valid string {text!r}") from None
    if not isinstance(value, str):
        raise PoError(f"line {number}: expected a string")
    return value


def parse_po(text: str) -> list[Message]:
    """Every message of a .po file (the header is the message with msgid ""); obsolete
    entries (``#~``) are left out."""
    messages: list[Message] = []
    current: Message | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal current
        if current is not None:
            messages.append(current)
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is not None and current.msgstr:
                finish()
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise PoError(f"line {number}: a string outside any message")
            name, index = target
            value = _string(line, number)
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        if keyword == "msgctxt":
            finish()
            current = Message("", msgctxt=_string(rest, number), flags=flags, line=number)
            flags = set()
            target = ("msgctxt", 0)
        elif keyword == "msgid":
            if current is None or current.msgstr or current.msgid:
                finish()
                current = Message("", flags=flags, line=number)
                flags = set()
            current.msgid = _string(rest, number)
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            if current is None:
                raise PoError(f"line {number}: msgid_plural without msgid")
            current.msgid_plural = _string(rest, number)
            target = ("msgid_plural", 0)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            if current is None:
                raise PoError(f"line {number}: msgstr without msgid")
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            if index != len(current.msgstr):
                raise PoError(f"line {number}: expected msgstr[{len(current.msgstr)}]")
            current.msgstr.append(_string(rest, number))
            target = ("msgstr", index)
        else:
            raise PoError(f"line {number}: unexpected {line[:40]!r}")
    finish()
    return messages


def compile_mo(messages: list[Message]) -> bytes:
    """The .mo file of the translated, not fuzzy messages (the header included)."""
    table = {
        m.key: "\0".join(m.msgstr)
        for m in messages
        if m.translated and (m.msgid == "" or not m.fuzzy)
    }
    keys = sorted(table, key=lambda k: k.encode("utf-8"))
    ids = [k.encode("utf-8") for k in keys]
    strs = [table[k].encode("utf-8") for k in keys]
    count = len(keys)
    ids_start = 7 * 4
    strs_start = ids_start + count * 8
    data_start = strs_start + count * 8
    offsets: list[int] = []
    data = b""
    for blob in ids:
        offsets += [len(blob), data_start + len(data)]
        data += blob + b"\0"
    for blob in strs:
        offsets += [len(blob), data_start + len(data)]
        data += blob + b"\0"
    header = struct.pack("<7I", MAGIC, 0, count, ids_start, strs_start, 0, data_start)
    return header + struct.pack(f"<{len(offsets)}I", *offsets) + data


def po_files(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_dir(locale_dir: Path) -> list[Path]:
    """Write the .mo beside every .po under `locale_dir`; the .mo files written."""
    written = []
    for po in po_files(locale_dir):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_mo(parse_po(po.read_text(encoding="utf-8"))))
        written.append(mo)
    return written


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    for directory in sys.argv[1:]:
        for path in compile_dir(Path(directory)):
            sys.stdout.write(f"{path}\n")
