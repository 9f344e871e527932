"""Reading a FollowTheMoney file: each line checked (JSON, a known schema, the library's
validation), fragments of one entity merged, and the entities sorted into what chainproof
stores (``ftm_import`` writes them). Every problem names the line and the entity's id."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from chainproof.interchange.ftm_schema import (
    IMPORTER,
    OPERATOR_ROLE,
    SUPPLY_ROLE,
    UNKNOWN_ORIGIN,
    WORKSITE,
    problems_of,
)

MAX_LINE_BYTES = 1_000_000
MAX_ENTITIES = 200_000
MAX_PROBLEMS = 20
_SUPPLY_ROLES = {SUPPLY_ROLE, "supplies", "supply", "supplier of"}


@dataclass(frozen=True)
class FtmProblem:
    line: int
    entity_id: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", entity {self.entity_id}" if self.entity_id else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "entity": self.entity_id, "problem": self.message}


class FtmImportFailed(Exception):
    """The file was refused and nothing was stored."""

    def __init__(self, file_name: str, problems: list[FtmProblem]) -> None:
        self.file_name = file_name
        self.problems = problems[:MAX_PROBLEMS]
        self.total = len(problems)
        more = f" (and {self.total - 3} more)" if self.total > 3 else ""
        super().__init__(f"{file_name}: " + "; ".join(map(str, self.problems[:3])) + more)


@dataclass
class FtmImportReport:
    file_name: str
    sha256: str
    entities: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # schema -> entities left out

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "sha256": self.sha256,
            "entities": self.entities,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": dict(self.skipped),
        }


@dataclass
class _Read:
    line: int
    proxy: EntityProxy


# --- 1. reading ---------------------------------------------------------------------------


def read_entities(data: bytes, file_name: str) -> list[_Read]:
    """The file's entities, fragments merged; FtmImportFailed naming every bad line."""
    problems: list[FtmProblem] = []
    found: dict[str, _Read] = {}
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            problems.append(
                FtmProblem(
                    number,
                    "",
                    f"expected a line of at most {MAX_LINE_BYTES} bytes, found {len(raw)}",
                )
            )
            continue
        read = _read_line(number, raw, problems)
        if read is None:
            continue
        earlier = found.get(read.proxy.id or "")
        if earlier is None:
            if len(found) >= MAX_ENTITIES:
                problems.append(
                    FtmProblem(number, "", f"expected at most {MAX_ENTITIES} entities, found more")
                )
                break
            found[read.proxy.id or ""] = read
            continue
        try:
            earlier.proxy = earlier.proxy.merge(read.proxy)
        except InvalidData as exc:
            problems.append(
                FtmProblem(
                    number,
                    read.proxy.id or "",
                    f"expected a fragment of line {earlier.line}'s entity with a compatible "
                    f"schema, found {exc}",
                )
            )
    if not problems and not found:
        problems.append(FtmProblem(1, "", "expected at least one entity, found an empty file"))
    if problems:
        raise FtmImportFailed(file_name, problems)
    return list(found.values())


def _read_line(number: int, raw: bytes, problems: list[FtmProblem]) -> _Read | None:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(FtmProblem(number, "", "expected UTF-8 text, found other bytes"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(
            FtmProblem(
                number,
                "",
                f"expected one JSON object, found text that is not JSON ({exc.msg}, column "
                f"{exc.colno})",
            )
        )
        return None
    if not isinstance(data, dict):
        problems.append(
            FtmProblem(number, "", f"expected a JSON object, found a {type(data).__name__}")
        )
        return None
    entity = str(data.get("id") or "")
    errors = problems_of(data)
    if errors:
        problems.extend(FtmProblem(number, entity, e) for e in errors)
        return None
    try:
        return _Read(number, model.get_proxy(data, cleaned=False))
    except InvalidData as exc:
        problems.append(FtmProblem(number, entity, f"expected a valid entity, found {exc}"))
        return None


# --- 2. sorting ---------------------------------------------------------------------------


@dataclass
class _Sorted:
    suppliers: list[_Read] = field(default_factory=list)
    worksites: list[_Read] = field(default_factory=list)
    importers: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)
    operator: dict[str, tuple[str, _Read]] = field(default_factory=dict)  # worksite -> supplier
    parent: dict[str, tuple[str, _Read]] = field(default_factory=dict)  # subsidiary -> parent
    links: list[_Read] = field(default_factory=list)
    addresses: dict[str, EntityProxy] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)


def _role(proxy: EntityProxy) -> str:
    return " ".join(proxy.get("role", quiet=True)).strip().casefold()


def sort_entities(entities: list[_Read]) -> _Sorted:
    out = _Sorted()
    controlled: dict[str, tuple[str, _Read]] = {}
    for read in entities:
        proxy = read.proxy
        if proxy.schema.is_a("Control") and _role(proxy) == OPERATOR_ROLE:
            for worksite in proxy.get("controlled", quiet=True):
                controlled.setdefault(worksite, (proxy.first("controller", quiet=True) or "", read))
    for read in entities:
        proxy, schema = read.proxy, read.proxy.schema
        keywords = set(proxy.get("keywords", quiet=True))
        if schema.is_a("Address"):
            out.addresses[proxy.id or ""] = proxy
        elif schema.is_a("Organization") or schema.name == "LegalEntity":
            if IMPORTER in keywords:
                out.importers.add(proxy.id or "")
            elif UNKNOWN_ORIGIN in keywords:
                out.unknown.add(proxy.id or "")
            elif WORKSITE in keywords or proxy.id in controlled:
                out.worksites.append(read)
            else:
                out.suppliers.append(read)
        elif schema.is_a("Control") and _role(proxy) == OPERATOR_ROLE:
            pass  # read above
        elif schema.is_a("Ownership"):
            asset = proxy.first("asset", quiet=True) or ""
            if asset in out.parent:  # a supplier has one parent: the first named
                out.skipped[schema.name] += 1
            else:
                out.parent[asset] = (proxy.first("owner", quiet=True) or "", read)
        elif schema.is_a("UnknownLink") and _role(proxy) in _SUPPLY_ROLES:
            out.links.append(read)
        else:
            out.skipped[schema.name] += 1
    out.operator = controlled
    supplier_ids = {r.proxy.id for r in out.suppliers}
    # An ownership is a parent company only between two suppliers (not a person's shares).
    for asset, (owner, read) in list(out.parent.items()):
        if asset not in supplier_ids or owner not in supplier_ids:
            out.parent.pop(asset)
            out.skipped[read.proxy.schema.name] += 1
    return out


# --- 3. writing ---------------------------------------------------------------------------
