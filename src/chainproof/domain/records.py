"""What each record of the supply chain is, said once for every way in.

A form, an API call, an imported file and an accepted questionnaire all write the same
records; each kind has one :class:`RecordSpec` here with the model fields people write,
the identifier schemes and their patterns, the normalisers applied to incoming values,
and the key by which an incoming record finds a stored one. The services
(``chainproof.suppliers``) validate with it; the import layouts parse identifier cells
with the same schemes; a test checks that forms, API schemas and import columns cover
the same fields.

Matching (so that the same record given twice is one record):

- suppliers: ref, then any identifier (DUNS, LEI, USCC, tax id), then normalised legal
  name + country;
- facilities: ref, then normalised name + country + operating supplier;
- materials: normalised name; products: SKU (case-insensitive);
- links: source, target, item carried and valid-from date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chainproof.domain.names import normalize_name
from chainproof.domain.text import describe, visible, visible_text


class SpecError(ValueError):
    """An incoming value does not fit its field: which field, what was expected, found."""

    def __init__(self, field_name: str, expected: str, found: str) -> None:
        self.field = field_name
        self.expected = expected
        self.found = found
        super().__init__(f"Expected {expected}, found {found!r}.")


# --- identifiers -------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentifierScheme:
    """A kind of company identifier, with the shape a valid value has."""

    code: str
    label: str
    description: str  # what a valid value is, for error messages: "a 9-digit DUNS number"
    pattern: str | None = None  # None: free text up to max_length
    max_length: int = 64

    def normalise(self, value: str) -> str:
        """The stored form of a value (spaces and hyphens dropped from coded schemes,
        upper case); raises SpecError naming the scheme."""
        text = str(value).strip()
        if self.pattern is None:
            if len(text) > self.max_length:
                raise SpecError(self.code, self.description, text)
            return text
        cleaned = text.replace(" ", "").replace("-", "").upper()
        if not re.fullmatch(self.pattern, cleaned):
            raise SpecError(self.code, self.description, text)
        return cleaned


DUNS = IdentifierScheme("duns", "DUNS", "a 9-digit DUNS number", r"\d{9}")
LEI = IdentifierScheme("lei", "LEI", "a 20-character LEI", r"[A-Z0-9]{18}\d{2}")
USCC = IdentifierScheme(
    "uscc",
    "USCC (China)",
    "an 18-character China Unified Social Credit Code",
    r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}",
)
TAX_ID = IdentifierScheme("tax_id", "Tax id", "a national tax id of at most 64 characters")
OTHER = IdentifierScheme("other", "Other", "an identifier of at most 64 characters")
SCHEMES: dict[str, IdentifierScheme] = {s.code: s for s in (DUNS, LEI, USCC, TAX_ID, OTHER)}
# The schemes with a column of their own in files and a field of their own in forms.
COLUMN_SCHEMES = ("duns", "lei", "uscc", "tax_id")


def normalise_identifier(scheme: str, value: str) -> str:
    try:
        known = SCHEMES[scheme]
    except KeyError:
        raise SpecError("identifiers", "one of " + ", ".join(SCHEMES), scheme) from None
    return known.normalise(value)


# --- value normalisers -------------------------------------------------------------------


def _text(value: Any) -> Any:
    """One line of text as a reader sees it (invisible and control characters out)."""
    return "" if value is None else visible_text(value) if isinstance(value, str) else value


def _paragraphs(value: Any) -> Any:
    """Text of several lines: line breaks and tabs kept, other invisible characters out."""
    if not isinstance(value, str):
        return "" if value is None else value
    return visible_text(value, multiline=True).strip()


def _lower(value: Any) -> Any:
    return "" if value is None else visible_text(value).lower() if isinstance(value, str) else value


def _country(value: Any) -> Any:
    return (value or "").strip().upper() if isinstance(value, str) or value is None else value


def _names(value: Any) -> Any:
    """A list of names: stripped, empty ones dropped; text is split on | and new lines."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("\n", "|").split("|")
    return [text for text in (visible_text(str(v)) for v in value) if text]


Normaliser = Callable[[Any], Any]


@dataclass(frozen=True)
class RecordSpec:
    """One kind of record: the fields people write and how incoming values are read."""

    kind: str
    fields: tuple[str, ...]  # model fields written through forms, API and imports
    extras: tuple[str, ...] = ()  # what is written beside the fields (identifiers, inputs)
    references: Mapping[str, str] = field(default_factory=dict)  # field -> what it names
    normalisers: Mapping[str, Normaliser] = field(default_factory=dict)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Import columns named otherwise than the field they fill.
    columns: Mapping[str, str] = field(default_factory=dict)
    # Name fields whose invisible characters are reported on the record (``text_warning``).
    named: tuple[str, ...] = ()

    @property
    def written(self) -> frozenset[str]:
        """Everything a way in must let people write."""
        return frozenset(self.fields) | frozenset(self.extras)

    def field_of(self, name: str) -> str:
        """The field an input name fills: an import column, a form field, an API key
        (``parent_id`` fills ``parent``, a ``duns`` column the identifiers)."""
        if name in self.columns:
            return self.columns[name]
        if name.endswith("_id") and name[:-3] in self.references:
            return name[:-3]
        if "identifiers" in self.extras and name in SCHEMES:
            return "identifiers"
        return name

    def normalise(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The incoming values as they are stored; unknown choices raise SpecError. When a
        name field is given, ``text_warning`` says which invisible characters it held."""
        out = dict(data)
        if any(name in data for name in self.named):
            out["text_warning"] = self.hidden_characters(data)
        for name, normaliser in self.normalisers.items():
            if name in out:
                out[name] = normaliser(out[name])
        for name, allowed in self.choices.items():
            if name in out and out[name] not in allowed:
                shown = ", ".join(a or "(empty)" for a in allowed)
                raise SpecError(name, "one of " + shown, str(out[name]))
        return out

    def hidden_characters(self, data: Mapping[str, Any]) -> str:
        """'legal name: 3 x ZERO WIDTH SPACE; ...' for the name fields given ('' if none)."""
        notes = []
        for name in self.named:
            value = data.get(name)
            items = value if isinstance(value, list | tuple) else [value]
            removed = [
                char for item in items if isinstance(item, str) for char in visible(item).removed
            ]
            if removed:
                notes.append(f"{name.replace('_', ' ')}: {describe(removed)}")
        return (
            ("Invisible characters were removed from the " + "; ".join(notes))[:500]
            if notes
            else ""
        )

    def column_of(self, field_name: str) -> str:
        """The import column that fills a field (for errors a person can find)."""
        for column, filled in self.columns.items():
            if filled == field_name and column not in SCHEMES:
                return column
        return field_name


ACTIVITIES = (
    "mining",
    "farming",
    "fishing",
    "processing",
    "manufacturing",
    "assembly",
    "packaging",
    "transport",
)
FACILITY_KINDS = ("factory", "farm", "mine", "processing_plant", "vessel", "warehouse", "other")
DPRK_WORKERS = ("none", "present", "unknown")
SECTORS = (
    "cotton",
    "tomatoes",
    "polysilicon",
    "aluminum",
    "pvc",
    "steel",
    "batteries",
    "tires",
    "seafood",
)
SUPPLIER_STATUSES = ("active", "inactive")


def _texts(*names: str) -> dict[str, Normaliser]:
    return dict.fromkeys(names, _text)


SUPPLIER = RecordSpec(
    kind="supplier",
    fields=(
        "ref",
        "legal_name",
        "native_name",
        "aliases",
        "country",
        "website",
        "contact_email",
        "parent",
        "status",
        "owner",
        "tags",
        "notes",
    ),
    extras=("identifiers",),
    references={"parent": "supplier", "owner": "member"},
    normalisers={
        **_texts("ref", "legal_name", "native_name", "website", "contact_email"),
        "country": _country,
        "status": _lower,
        "aliases": _names,
        "tags": _names,
        "notes": _paragraphs,
    },
    choices={"status": SUPPLIER_STATUSES},
    columns={"other_id": "identifiers"},
    named=("legal_name", "native_name", "aliases"),
)

FACILITY = RecordSpec(
    kind="facility",
    fields=(
        "ref",
        "name",
        "native_name",
        "kind",
        "supplier",
        "address",
        "city",
        "subdivision",
        "postal_code",
        "country",
        "latitude",
        "longitude",
        "activities",
        "products_made",
        "total_workers",
        "migrant_workers",
        "dprk_workers",
        "dprk_worker_count",
        "figures_date",
        "notes",
    ),
    references={"supplier": "supplier"},
    normalisers={
        **_texts("ref", "name", "native_name", "city", "subdivision", "postal_code"),
        "address": _paragraphs,
        "products_made": _paragraphs,
        "notes": _paragraphs,
        "country": _country,
        "kind": _lower,
        "dprk_workers": _lower,
        "activities": lambda v: [a.lower() for a in _names(v)],
    },
    choices={"kind": FACILITY_KINDS, "dprk_workers": DPRK_WORKERS},
    named=("name", "native_name"),
)

MATERIAL = RecordSpec(
    kind="material",
    fields=("name", "description", "dol_goods", "high_scrutiny_sector"),
    normalisers={
        "name": _text,
        "description": _paragraphs,
        "dol_goods": _names,
        "high_scrutiny_sector": _lower,
    },
    choices={"high_scrutiny_sector": ("", *SECTORS)},
)

PRODUCT = RecordSpec(
    kind="product",
    fields=("sku", "name", "description", "hts_code"),
    extras=("inputs",),
    normalisers={"sku": _text, "name": _text, "description": _paragraphs, "hts_code": _text},
)

LINK = RecordSpec(
    kind="link",
    fields=(
        "source_facility",
        "source_supplier",
        "source_unknown",
        "target_facility",
        "target_supplier",
        "target_importer",
        "product",
        "material",
        "valid_from",
        "valid_to",
        "evidence_refs",
        "notes",
    ),
    references={
        "source_facility": "facility",
        "source_supplier": "supplier",
        "target_facility": "facility",
        "target_supplier": "supplier",
        "product": "product",
        "material": "material",
    },
    normalisers={"evidence_refs": _paragraphs, "notes": _paragraphs},
    columns={
        "from_facility": "source_facility",
        "from_supplier": "source_supplier",
        "from_unknown": "source_unknown",
        "to_facility": "target_facility",
        "to_supplier": "target_supplier",
        "to_importer": "target_importer",
        "product_sku": "product",
        "evidence": "evidence_refs",
    },
)

SPECS: dict[str, RecordSpec] = {
    "suppliers": SUPPLIER,
    "facilities": FACILITY,
    "materials": MATERIAL,
    "products": PRODUCT,
    "links": LINK,
}


# --- matching keys -----------------------------------------------------------------------


def ref_key(ref: str) -> str:
    """Refs and SKUs match whatever their case."""
    return (ref or "").strip().casefold()


def supplier_key(legal_name: str, country: str) -> tuple[str, str]:
    return normalize_name(legal_name or ""), _country(country)


def facility_key(name: str, country: str, supplier_id: int | None) -> tuple[str, str, int | None]:
    """A worksite without a ref is the same worksite when its normalised name, country
    and operating supplier are."""
    return normalize_name(name or ""), _country(country), supplier_id


def material_key(name: str) -> str:
    return normalize_name(name or "")
