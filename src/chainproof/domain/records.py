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
- facilities: ref, then OS ID (Open Supply Hub), then normalised name + country +
  operating supplier;
- materials: normalised name; products: SKU (case-insensitive);
- links: source, target, item carried and valid-from date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chainproof.domain.names import normalize_name
from chainproof.domain.os_id import normalise_os_id, os_id_problem
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
    # A check on the cleaned value beyond its pattern: None when it passes, else why not.
    check: Callable[[str], str | None] | None = None

    def normalise(self, value: str) -> str:
        """The stored form of a value (spaces and hyphens dropped from coded schemes,
        upper case); raises SpecError naming the scheme. A value a spreadsheet turned
        into a number and back (scientific notation, 15 digits kept, leading zeros
        dropped) is refused with the reason, never stored."""
        raw = str(value).strip()
        text = spreadsheet_number_text(raw)
        damage = spreadsheet_damage(text)
        if damage:
            raise SpecError(self.code, f"{self.description} ({damage})", raw)
        if self.pattern is None:
            if len(text) > self.max_length:
                raise SpecError(self.code, self.description, raw)
            return text
        cleaned = text.replace(" ", "").replace("-", "").upper()
        if self.code == "duns" and cleaned.isdigit() and len(cleaned) < 9:
            raise SpecError(self.code, f"{self.description} ({_short_duns(cleaned)})", raw)
        if not re.fullmatch(self.pattern, cleaned):
            raise SpecError(self.code, self.description, raw)
        problem = self.check(cleaned) if self.check else None
        if problem:
            raise SpecError(self.code, f"{self.description} ({problem})", raw)
        return cleaned


# --- identifiers a spreadsheet changed ----------------------------------------------------
# Excel and LibreOffice turn a long run of digits typed into a cell into a number: they
# keep 15 significant digits (the rest become zeros), drop leading zeros, and may write
# the number back in scientific notation ("9.14401016189888E+017") or with ".0".

_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?[eE][+-]\d+|[+-]?\d+[.,]\d*[eE]\d+")
_POINT_ZERO = re.compile(r"(\d+)[.,]0+")
SPREADSHEET_DIGITS = 15


def spreadsheet_number_text(text: str) -> str:
    """'12345678.0' (a number cell written back as text) without its '.0', when that is
    safe: the digits before it are at most 15 significant digits, which a spreadsheet
    keeps exactly. Anything else is returned unchanged (and a longer value is refused by
    :func:`spreadsheet_damage`)."""
    match = _POINT_ZERO.fullmatch(text)
    if match and len(match.group(1).lstrip("0")) <= SPREADSHEET_DIGITS:
        return match.group(1)
    return text


def spreadsheet_damage(text: str) -> str | None:
    """Why an identifier is a number a spreadsheet changed, or None.

    Refused: scientific notation; a value ending in '.0' whose digits are too many for a
    spreadsheet to keep; a run of more than 15 significant digits that is exactly what a
    spreadsheet makes of a number it rounded to 15 digits (the last digits zero, or the
    binary rounding of them, e.g. 914401016189888000 or 914401016189886976). A real
    identifier of 16 digits ending in 0 has the same shape as a damaged one and is refused
    too: the message says how to type it as text.
    """
    if _SCIENTIFIC.fullmatch(text):
        return (
            f"{text} is a number a spreadsheet wrote in scientific notation, which lost "
            "digits: format the column as text and type the identifier again"
        )
    match = _POINT_ZERO.fullmatch(text)
    digits = match.group(1) if match else text
    if digits.isascii() and digits.isdigit() and _rounded_by_spreadsheet(digits):
        zeros = len(digits) - len(digits.rstrip("0"))
        became = f"became {'0' * zeros}" if zeros else "were changed by rounding"
        return (
            f"{text} has {len(digits)} digits, and a spreadsheet keeps only "
            f"{SPREADSHEET_DIGITS} digits of a number: the last digits {became}; format "
            "the column as text and type it again"
        )
    return None


def _rounded_by_spreadsheet(digits: str) -> bool:
    significant = digits.lstrip("0")
    if len(significant) <= SPREADSHEET_DIGITS:
        return False
    number = int(significant)
    # The number a spreadsheet stores for these digits (15 significant digits), as an
    # integer the way a reader turns the stored float back into digits.
    stored = int(float(f"{number:.{SPREADSHEET_DIGITS - 1}e}"))
    return stored == number or significant[SPREADSHEET_DIGITS:].strip("0") == ""


def _short_duns(digits: str) -> str:
    missing = 9 - len(digits)
    dropped = "a leading zero" if missing == 1 else f"{missing} leading zeros"
    return (
        f"DUNS {digits} has {len(digits)} digit{'s' if len(digits) != 1 else ''}: a spreadsheet "
        f"probably dropped {dropped}; format the column as text and type the number again"
    )


# The check character of a China Unified Social Credit Code (GB 32100-2015, section 4.2):
# the 17 characters before it, each valued by its place in this alphabet (digits and
# upper-case letters without I, O, S, V, Z), weighted by 3**i mod 31.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_check(code: str) -> str | None:
    expected = uscc_check_character(code[:17])
    if code[17] == expected:
        return None
    return (
        f"the last character of {code} is its check character (GB 32100-2015) and should "
        f"be {expected}: a character is mistyped"
    )


DUNS = IdentifierScheme("duns", "DUNS", "a 9-digit DUNS number", r"\d{9}")
LEI = IdentifierScheme("lei", "LEI", "a 20-character LEI", r"[A-Z0-9]{18}\d{2}")
USCC = IdentifierScheme(
    "uscc",
    "USCC (China)",
    "an 18-character China Unified Social Credit Code",
    r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}",
    check=_uscc_check,
)
TAX_ID = IdentifierScheme("tax_id", "Tax id", "a national tax id of at most 64 characters")
OTHER = IdentifierScheme("other", "Other", "an identifier of at most 64 characters")
SCHEMES: dict[str, IdentifierScheme] = {s.code: s for s in (DUNS, LEI, USCC, TAX_ID, OTHER)}
# The schemes with a column of their own in files and a field of their own in forms.
COLUMN_SCHEMES = ("duns", "lei", "uscc", "tax_id")


def number_cell_note(scheme: str, text: str) -> str | None:
    """What to tell a person when an identifier cell of a spreadsheet held a number rather
    than text (the reader knows; the text alone cannot say): a leading zero may be lost
    even where the value still looks valid (tax ids, postal codes). None for a value that
    cannot have lost anything (it starts with a letter)."""
    if not text[:1].isdigit():
        return None
    label = SCHEMES[scheme].label if scheme in SCHEMES else scheme.replace("_", " ")
    return (
        f"the {label} cell held the number {text}, and a spreadsheet drops leading zeros "
        "of numbers: format the column as text and check the value"
    )


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


def _dprk_workers(value: Any) -> Any:
    """'Not yet asked', 'not-asked' and 'not_asked' are the same answer."""
    value = _lower(value)
    if isinstance(value, str):
        value = "_".join(value.replace("-", " ").split())
    return {"not_yet_asked": "not_asked"}.get(value, value)


def _os_id(value: Any) -> Any:
    """An Open Supply Hub ID in its stored form; SpecError when it is not one."""
    if value is None or not isinstance(value, str):
        return "" if value is None else value
    cleaned = normalise_os_id(visible_text(value))
    problem = os_id_problem(cleaned) if cleaned else None
    if problem:
        raise SpecError("os_id", problem, value)
    return cleaned


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
                char
                for item in items
                if isinstance(item, str) and not (item.isascii() and item.isprintable())
                for char in visible(item).removed
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
DPRK_WORKERS = ("none", "present", "unknown", "not_asked")
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
        "os_id",
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
        "dprk_workers": _dprk_workers,
        "os_id": _os_id,
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
