"""What chainproof's FollowTheMoney files say, in one place for the export and the import.

The mapping (``docs/interchange.md`` has it as a table):

- a supplier is a ``Company``; its parent company an ``Ownership`` (owner = parent,
  asset = subsidiary; FtM deprecated the ``parent`` property for this);
- a worksite is a ``Company`` marked with the keyword ``chainproof:worksite``, its place an
  ``Address`` entity (``addressEntity``), its operating supplier a ``Control`` (controller =
  supplier, controlled = worksite, role ``operator``): FtM's edge for "directs the
  management without necessarily owning it", which is what operating a site is;
- a supply link is an ``UnknownLink`` (subject = the source, object = the buyer, role
  ``supplier``): FtM 4 has no trade or supply schema (``EconomicActivity`` is one customs
  declaration, ``ContractAward`` a public tender), and ``UnknownLink`` is the edge every FtM
  tool draws; what it carries is said in its ``summary`` (:func:`item_summary`);
- the importer itself is a ``Company`` with the keyword ``chainproof:importer``, an unknown
  origin a ``LegalEntity`` with ``chainproof:unknown-origin``.
"""

from __future__ import annotations

import re
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

WORKSITE = "chainproof:worksite"
IMPORTER = "chainproof:importer"
UNKNOWN_ORIGIN = "chainproof:unknown-origin"
MARKERS = (WORKSITE, IMPORTER, UNKNOWN_ORIGIN)
SUPPLY_ROLE = "supplier"
OPERATOR_ROLE = "operator"
PARENT_ROLE = "parent company"

# Supplier identifier scheme -> FtM property, and back (the import reads more).
SCHEME_PROPERTIES = {
    "duns": "dunsCode",
    "lei": "leiCode",
    "uscc": "uscCode",
    "tax_id": "taxNumber",
    "other": "registrationNumber",
}
PROPERTY_SCHEMES = {
    "dunsCode": "duns",
    "leiCode": "lei",
    "uscCode": "uscc",
    "taxNumber": "tax_id",
    "vatCode": "tax_id",
    "innCode": "tax_id",
    "registrationNumber": "other",
}
OTHER_LABEL = "Registration number"

OSH_URL = "https://opensupplyhub.org/facilities/"
_OSH_URL = re.compile(r"https?://(?:www\.)?opensupplyhub\.org/facilities/([A-Za-z0-9]+)/?")

_PRODUCT = re.compile(r"Product (?P<sku>[^:]+): (?P<name>.+)", re.S)
_MATERIAL = re.compile(r"Material: (?P<name>.+)", re.S)


def item_summary(*, sku: str | None = None, name: str) -> str:
    """What a link carries, as its ``summary``: 'Product SKU: name' or 'Material: name'."""
    return f"Product {sku}: {name}" if sku else f"Material: {name}"


def item_of(summary: str) -> tuple[str, str | None, str]:
    """('product', sku, name) or ('material', None, name) from a link's summary; any other
    text is the name of a material."""
    text = summary.strip()
    product = _PRODUCT.fullmatch(text)
    if product:
        return "product", product["sku"].strip(), product["name"].strip()
    material = _MATERIAL.fullmatch(text)
    return "material", None, (material["name"] if material else text).strip()


def os_id_of(urls: list[str]) -> str:
    for url in urls:
        match = _OSH_URL.fullmatch(url.strip())
        if match:
            return match[1].upper()
    return ""


def entity_id(prefix: str, kind: str, key: Any) -> str:
    """A readable, stable id: chainproof-<organization>-<kind>-<key>."""
    return f"{prefix}-{kind}-{key}"


def id_prefix(slug: str) -> str:
    cleaned = re.sub(r"[^0-9a-zA-Z.-]+", "-", slug).strip("-.")
    return f"chainproof-{cleaned or 'org'}"


def problems_of(data: dict[str, Any]) -> list[str]:
    """Why an entity (as its JSON dict) is not valid FollowTheMoney, each as "expected ...,
    found ..."; [] when it is valid.

    The library's own checks: the schema exists and is not abstract, every property is one
    of the schema's, every value passes its type's strict validation
    (``Schema.validate``), the required properties are present, the id is a valid id."""
    schema_name = data.get("schema")
    schema = model.get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        return [
            f"expected a schema of FollowTheMoney {_version()} (Company, Address, "
            f"UnknownLink...), found {schema_name!r}"
        ]
    if schema.abstract:
        return [f"expected a schema entities can have, found the abstract schema {schema.name}"]
    problems = []
    if not isinstance(data.get("id"), str) or not registry.entity.validate(data["id"]):
        problems.append(
            f"expected an entity id (letters, digits, dots and hyphens), found {data.get('id')!r}"
        )
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        return [*problems, "expected properties as an object of lists, found something else"]
    unknown = sorted(p for p in properties if p not in schema.properties)
    if unknown:
        problems.append(f"expected properties of {schema.name}, found {', '.join(unknown)}")
    shaped = {
        name: [str(v) for v in (values if isinstance(values, list) else [values])]
        for name, values in properties.items()
        if name in schema.properties
    }
    try:
        schema.validate({"properties": shaped})
    except InvalidData as exc:
        errors = (exc.errors or {}).get("properties", {}) if isinstance(exc.errors, dict) else {}
        problems.extend(
            f"expected valid values of {name}, found {message}"
            for name, message in sorted(errors.items())
        )
    missing = sorted(name for name in schema.required if not shaped.get(name))
    problems.extend(f"expected the required property {name}, found none" for name in missing)
    return problems


def checked(proxy: EntityProxy) -> dict[str, Any]:
    """The entity as its JSON dict, refused (ValueError) when the library finds it invalid."""
    data = proxy.to_dict()
    problems = problems_of(data)
    if problems:
        raise ValueError(f"{proxy.id} is not valid FollowTheMoney: {'; '.join(problems)}")
    return data


def _version() -> str:
    import followthemoney

    return str(getattr(followthemoney, "__version__", "4"))
