"""A risk methodology is data: factors with their points, level bounds, propagation.

It is read from YAML text and checked strictly: an unknown factor, a missing number or
a level bound out of order is refused with the path of the problem, so a mistyped
methodology can never score silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from chainproof.domain.hashing import sha256_bytes

LEVELS = ("low", "medium", "high", "critical")
TIP_CODES = ("T1", "T2", "T2WL", "T3")

# Each factor and the numbers it needs; fractions (0..1) are marked with "share".
FACTOR_KEYS: dict[str, dict[str, str]] = {
    "tip_tier": {"unranked": "points"},
    "xinjiang": {"points": "points"},
    "dol_goods": {
        "forced_labor": "points",
        "forced_child_labor": "points",
        "child_labor": "points",
    },
    "high_scrutiny_sector": {"points": "points"},
    "wro_country_goods": {"points": "points"},
    "wro_entity": {"points": "points"},
    "entity_list_confirmed": {"points": "points"},
    "entity_list_possible": {"points": "points"},
    "dprk_host_country": {"points": "points"},
    "dprk_workers_present": {"points": "points"},
    "dprk_workers_unknown": {"points": "points", "in_host_country": "points"},
    "migrant_workers": {"share": "share", "points": "points"},
    "site_unknown": {"points": "points"},
    "unknown_upstream": {"points": "points", "high_risk_good": "points"},
}


# Factors a methodology may leave out, with what they are then: each added after
# methodologies were first written, defaulting to how those scored.
ENTRY_STATUS = "entity_list_entry_status"
NOT_ASKED = "dprk_workers_not_asked"
OPTIONAL_FACTORS: dict[str, tuple[dict[str, str], dict[str, float]]] = {
    # The share of its points a list hit keeps when the entry is inactive (Inactive,
    # Revoked) or partially modified; before version 3 such entries were not screened, so
    # a methodology without this factor counts them fully.
    ENTRY_STATUS: ({"inactive": "share", "modified": "share"}, {"inactive": 1.0, "modified": 1.0}),
}
# Factors that, when left out, price as another factor does: until version 4 a new
# worksite's North Korean workers defaulted to "unknown", so a methodology without a price
# for "not yet asked" prices it as "unknown" (it scores as it did).
PRICED_AS: dict[str, str] = {NOT_ASKED: "dprk_workers_unknown"}


class MethodologyError(ValueError):
    """The methodology text is not valid; the message names where."""


@dataclass(frozen=True)
class Methodology:
    name: str
    version: str
    description: str
    levels: tuple[tuple[str, float], ...]
    decay_per_tier: float
    max_depth: int
    factors: dict[str, dict[str, float]]
    tip_points: dict[str, float]
    signals: dict[str, float]
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    def level_of(self, score: float) -> str:
        level = self.levels[0][0]
        for name, bound in self.levels:
            if score >= bound:
                level = name
        return level

    def points(self, factor: str, key: str = "points") -> float:
        return self.factors[factor][key]


def _number(value: Any, where: str, *, share: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MethodologyError(f"{where}: expected a number, found {value!r}")
    number = float(value)
    if share and not 0 <= number <= 1:
        raise MethodologyError(f"{where}: expected a fraction from 0 to 1, found {value!r}")
    if not share and not 0 <= number <= 100:
        raise MethodologyError(f"{where}: expected points from 0 to 100, found {value!r}")
    return number


def parse_methodology(text: str) -> Methodology:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MethodologyError(f"not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise MethodologyError("expected a mapping with name, version, levels, factors")
    for key in ("name", "version", "levels", "propagation", "factors"):
        if key not in document:
            raise MethodologyError(f"{key}: missing")
    name, version = str(document["name"]).strip(), str(document["version"]).strip()
    if not name or not version:
        raise MethodologyError("name and version must not be empty")

    levels_doc = document["levels"]
    if not isinstance(levels_doc, dict) or set(levels_doc) != set(LEVELS):
        raise MethodologyError(f"levels: expected exactly {', '.join(LEVELS)}")
    levels = tuple((level, _number(levels_doc[level], f"levels.{level}")) for level in LEVELS)
    bounds = [bound for _, bound in levels]
    if bounds[0] != 0 or bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
        raise MethodologyError(
            "levels: bounds must start at 0 and increase: low < medium < high < critical"
        )

    propagation = document["propagation"]
    if not isinstance(propagation, dict):
        raise MethodologyError("propagation: expected decay_per_tier and max_depth")
    decay = _number(propagation.get("decay_per_tier"), "propagation.decay_per_tier", share=True)
    depth = propagation.get("max_depth")
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 50:
        raise MethodologyError(f"propagation.max_depth: expected 1 to 50, found {depth!r}")

    factors_doc = document["factors"]
    if not isinstance(factors_doc, dict):
        raise MethodologyError("factors: expected a mapping")
    known = set(FACTOR_KEYS) | set(OPTIONAL_FACTORS) | set(PRICED_AS)
    unknown = sorted(set(factors_doc) - known)
    if unknown:
        raise MethodologyError(
            f"factors: unknown factor(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}"
        )
    factors: dict[str, dict[str, float]] = {}
    for factor, keys in FACTOR_KEYS.items():
        body = factors_doc.get(factor)
        if not isinstance(body, dict):
            raise MethodologyError(f"factors.{factor}: missing")
        factors[factor] = {
            key: _number(body.get(key), f"factors.{factor}.{key}", share=kind == "share")
            for key, kind in keys.items()
        }
    for factor, (keys, defaults) in OPTIONAL_FACTORS.items():
        body = factors_doc.get(factor)
        if body is None:
            factors[factor] = dict(defaults)
            continue
        if not isinstance(body, dict):
            raise MethodologyError(f"factors.{factor}: expected {', '.join(keys)}")
        factors[factor] = {
            key: _number(body.get(key), f"factors.{factor}.{key}", share=kind == "share")
            for key, kind in keys.items()
        }
    for factor, like in PRICED_AS.items():
        body = factors_doc.get(factor)
        if body is None:
            factors[factor] = dict(factors[like])
            continue
        if not isinstance(body, dict):
            raise MethodologyError(f"factors.{factor}: expected {', '.join(FACTOR_KEYS[like])}")
        factors[factor] = {
            key: _number(body.get(key), f"factors.{factor}.{key}", share=kind == "share")
            for key, kind in FACTOR_KEYS[like].items()
        }
    tip_doc = factors_doc["tip_tier"].get("points")
    if not isinstance(tip_doc, dict) or set(tip_doc) != set(TIP_CODES):
        raise MethodologyError(f"factors.tip_tier.points: expected {', '.join(TIP_CODES)}")
    tip_points = {
        code: _number(tip_doc[code], f"factors.tip_tier.points.{code}") for code in TIP_CODES
    }

    signals_doc = document.get("signals") or {}
    if not isinstance(signals_doc, dict):
        raise MethodologyError("signals: expected a mapping of signal code to points")
    signals = {
        str(code): _number(points, f"signals.{code}") for code, points in signals_doc.items()
    }
    return Methodology(
        name=name,
        version=version,
        description=" ".join(str(document.get("description", "")).split()),
        levels=levels,
        decay_per_tier=decay,
        max_depth=depth,
        factors=factors,
        tip_points=tip_points,
        signals=signals,
        sha256=sha256_bytes(text.encode("utf-8")),
    )


def methodology_document(m: Methodology) -> dict[str, Any]:
    """A parsed methodology as the mapping its YAML holds (every factor, every number)."""
    factors: dict[str, Any] = {}
    for factor, keys in FACTOR_KEYS.items():
        body: dict[str, Any] = {key: _plain(m.factors[factor][key]) for key in keys}
        if factor == "tip_tier":
            body = {"points": {c: _plain(m.tip_points[c]) for c in TIP_CODES}, **body}
        factors[factor] = body
    for factor in [*OPTIONAL_FACTORS, *PRICED_AS]:
        factors[factor] = {key: _plain(value) for key, value in m.factors[factor].items()}
    return {
        "name": m.name,
        "version": m.version,
        "description": m.description,
        "levels": {name: _plain(bound) for name, bound in m.levels},
        "propagation": {"decay_per_tier": _plain(m.decay_per_tier), "max_depth": m.max_depth},
        "factors": factors,
        "signals": {code: _plain(points) for code, points in m.signals.items()},
    }


def methodology_yaml(document: dict[str, Any], *, based_on: str = "") -> str:
    """The YAML text stored for a methodology edited in a form: the numbers in the
    order people read them, with a note of what it was based on."""
    header = "# Edited in chainproof's methodology form" + (
        f",\n# based on {based_on}.\n" if based_on else ".\n"
    )
    header += (
        "# Each number is a judgement; the reasoning behind the default numbers\n"
        "# is in the methodology files bundled with chainproof.\n"
    )
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=76)
    return header + body


def _plain(number: float) -> int | float:
    """80.0 -> 80, 0.85 -> 0.85: numbers written as people write them."""
    return int(number) if float(number).is_integer() else float(number)
