"""The methodology as a form: every number a field with its words, checked, then written
as the YAML that is stored (through the one write path, ``methodology_save``)."""

from __future__ import annotations

from typing import Any

from django import forms

from chainproof.domain.risk.labels import PART_LABELS, SIGNAL_LABELS, factor_label
from chainproof.domain.risk.methodology import (
    FACTOR_KEYS,
    OPTIONAL_FACTORS,
    PRICED_AS,
    TIP_CODES,
    Methodology,
    methodology_document,
    methodology_yaml,
)

TIER_WORDS = {"T1": "Tier 1", "T2": "Tier 2", "T2WL": "Tier 2 Watch List", "T3": "Tier 3"}


def _kinds(factor: str) -> dict[str, str]:
    if factor in FACTOR_KEYS:
        return FACTOR_KEYS[factor]
    if factor in OPTIONAL_FACTORS:
        return OPTIONAL_FACTORS[factor][0]
    return FACTOR_KEYS[PRICED_AS[factor]]


def _points(label: str, initial: float) -> forms.FloatField:
    return forms.FloatField(label=label, min_value=0, max_value=100, initial=initial)


def _share(label: str, initial: float) -> forms.FloatField:
    return forms.FloatField(label=label, min_value=0, max_value=1, initial=initial)


class MethodologyForm(forms.Form):
    """Built from the methodology it adjusts: the same factors, its numbers as initial."""

    name = forms.CharField(max_length=100)
    version = forms.CharField(
        max_length=40, help_text="A new version label, e.g. 4.1: every version is kept."
    )
    level_medium = forms.FloatField(label="Medium from", min_value=0, max_value=100)
    level_high = forms.FloatField(label="High from", min_value=0, max_value=100)
    level_critical = forms.FloatField(label="Critical from", min_value=0, max_value=100)
    decay_per_tier = forms.FloatField(
        label="Share of an input's score carried one tier down (0 to 1)",
        min_value=0,
        max_value=1,
    )
    max_depth = forms.IntegerField(
        label="Tiers followed upstream at most", min_value=1, max_value=50
    )

    def __init__(self, *args: Any, base: Methodology, version: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.base = base
        levels = dict(base.levels)
        self.fields["name"].initial = base.name
        self.fields["version"].initial = version
        for level in ("medium", "high", "critical"):
            self.fields[f"level_{level}"].initial = _plain(levels[level])
        self.fields["decay_per_tier"].initial = _plain(base.decay_per_tier)
        self.fields["max_depth"].initial = base.max_depth
        self.factor_groups: list[tuple[str, list[str]]] = []
        tiers = []
        for code in TIP_CODES:
            key = f"tip__{code}"
            self.fields[key] = _points(f"{TIER_WORDS[code]}: points", _plain(base.tip_points[code]))
            tiers.append(key)
        for factor in [*FACTOR_KEYS, *OPTIONAL_FACTORS, *PRICED_AS]:
            names = tiers if factor == "tip_tier" else []
            for part, kind in _kinds(factor).items():
                key = f"factor__{factor}__{part}"
                make = _share if kind == "share" else _points
                self.fields[key] = make(
                    PART_LABELS.get(part, part).capitalize(), _plain(base.factors[factor][part])
                )
                names.append(key)
            self.factor_groups.append((factor_label(factor), names))
        signals = []
        for code, points in base.signals.items():
            key = f"signal__{code}"
            self.fields[key] = _points(
                SIGNAL_LABELS.get(code, code.replace("_", " ")), _plain(points)
            )
            signals.append(key)
        self.signal_fields = signals

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(heading, fields) for the template, factor by factor."""
        return [(title, [self[name] for name in names]) for title, names in self.factor_groups]

    def signals(self) -> list[forms.BoundField]:
        return [self[name] for name in self.signal_fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bounds = [data.get(f"level_{level}") for level in ("medium", "high", "critical")]
        if None not in bounds and not 0 < bounds[0] < bounds[1] < bounds[2]:  # type: ignore[operator]
            raise forms.ValidationError(
                "The levels must go up: medium must start above 0, high above medium and "
                f"critical above high (found medium {bounds[0]:g}, high {bounds[1]:g}, "
                f"critical {bounds[2]:g})."
            )
        return data

    def yaml_text(self) -> str:
        """The YAML that saving stores (call once the form is valid)."""
        data = self.cleaned_data
        document = methodology_document(self.base)
        document["name"] = data["name"].strip()
        document["version"] = data["version"].strip()
        document["levels"] = {
            "low": 0,
            **{lv: _plain(data[f"level_{lv}"]) for lv in ("medium", "high", "critical")},
        }
        document["propagation"] = {
            "decay_per_tier": _plain(data["decay_per_tier"]),
            "max_depth": data["max_depth"],
        }
        for name, value in data.items():
            if name.startswith("tip__"):
                document["factors"]["tip_tier"]["points"][name.removeprefix("tip__")] = _plain(
                    value
                )
            elif name.startswith("factor__"):
                _, factor, part = name.split("__")
                document["factors"][factor][part] = _plain(value)
            elif name.startswith("signal__"):
                document["signals"][name.removeprefix("signal__")] = _plain(value)
        return methodology_yaml(document, based_on=self.base.label)


def _plain(number: float) -> int | float:
    return int(number) if float(number).is_integer() else float(number)
