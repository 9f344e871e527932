"""Reading FollowTheMoney entities (one JSON object a line) into an organization's supply
chain: chainproof's own export, and FtM from other tools (an OpenSanctions ``Company`` with
a ``dunsCode`` becomes a supplier with its DUNS).

Three steps, and a refused file stores nothing:

1. read every line: JSON, a known schema, the library's validation (``problems_of``);
   fragments of one entity (the same id on several lines) are merged as FtM tools do;
2. sort the entities (``ftm_schema`` says how): suppliers, worksites, their operators, parent
   companies and supply links; entities of other kinds (people, sanctions...) are skipped
   and counted;
3. write, in one transaction, through the suppliers' services (``supplier_save``,
   ``facility_save``, ``material_save``, ``product_save``, ``link_save``): the same
   validation, audit events and recomputation as a form. A record already stored is
   found and updated (suppliers by identifier, then name and country; worksites by OS ID,
   then name, country and operator; links by their ends, item and start date), so importing
   the same file twice changes nothing the second time.

Every problem names the line of the file and the entity's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from followthemoney.proxy import EntityProxy

from chainproof.audit.services import audit_record
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.records import (
    FACILITY,
    LINK,
    SUPPLIER,
    RecordSpec,
    SpecError,
    normalise_identifier,
    ref_key,
    supplier_key,
)
from chainproof.domain.records import material_key as material_name_key
from chainproof.interchange.ftm_reading import (
    FtmImportFailed,
    FtmImportReport,
    FtmProblem,
    _Read,
    _Sorted,
    read_entities,
    sort_entities,
)
from chainproof.interchange.ftm_schema import (
    OTHER_LABEL,
    PROPERTY_SCHEMES,
    item_of,
    os_id_of,
)
from chainproof.suppliers import services
from chainproof.suppliers.matching import facility_match
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)


class _Refused(Exception):
    def __init__(self, read: _Read, message: str) -> None:
        self.problem = FtmProblem(read.line, read.proxy.id or "", message)
        super().__init__(str(self.problem))


def _words(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{name.replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def ftm_import(*, organization: Any, actor: Any, data: bytes, file_name: str) -> FtmImportReport:
    """Import a FollowTheMoney file into the organization, all or nothing."""
    org_id = getattr(organization, "pk", organization)
    report = FtmImportReport(file_name, sha256_bytes(data))
    entities = read_entities(data, file_name)
    report.entities = len(entities)
    sorted_ = sort_entities(entities)
    report.skipped = sorted_.skipped
    try:
        with transaction.atomic():
            _Writer(org_id, actor, sorted_, report).write()
            audit_record(
                action="import.ftm",
                actor=actor,
                organization=org_id,
                object_type="import",
                object_repr=file_name[:300],
                after=report.as_dict(),
            )
    except _Refused as exc:
        raise FtmImportFailed(file_name, [exc.problem]) from None
    return report


class _Writer:
    def __init__(self, org_id: int, actor: Any, sorted_: _Sorted, report: FtmImportReport):
        self.org_id = org_id
        self.actor = actor
        self.sorted = sorted_
        self.report = report
        self.suppliers: dict[str, Supplier] = {}
        self.worksites: dict[str, Facility] = {}

    def write(self) -> None:
        for read in self.sorted.suppliers:
            self.suppliers[read.proxy.id or ""] = self._supplier(read)
        for subsidiary, (owner, read) in self.sorted.parent.items():
            self._parent(read, subsidiary, owner)
        for read in self.sorted.worksites:
            self.worksites[read.proxy.id or ""] = self._worksite(read)
        for read in self.sorted.links:
            self._link(read)

    def _count(self, kind: str, created: bool) -> None:
        (self.report.created if created else self.report.updated)[kind] += 1

    def _call(self, read: _Read, write: Any, **kwargs: Any) -> Any:
        try:
            return write(organization=self.org_id, actor=self.actor, **kwargs)
        except ValidationError as exc:
            raise _Refused(read, _words(exc)) from None

    # suppliers

    def _supplier(self, read: _Read) -> Supplier:
        proxy = read.proxy
        legal, native, aliases = _names(proxy)
        country = _country(read)
        identifiers = _identifiers(read)
        status = " ".join(proxy.get("status", quiet=True)).casefold()
        data = {
            "legal_name": legal,
            "native_name": native,
            "aliases": aliases,
            "country": country,
            "website": proxy.first("website", quiet=True) or "",
            "contact_email": proxy.first("email", quiet=True) or "",
            "tags": [
                k for k in proxy.get("keywords", quiet=True) if not k.startswith("chainproof:")
            ],
            "notes": "\n\n".join(proxy.get("notes", quiet=True)),
            "status": "inactive"
            if ("inactive" in status or "dissolved" in status)
            else "active"
            if status
            else "",
        }
        match = self._stored_supplier(identifiers, legal, country)
        if match is None:
            data["status"] = data["status"] or "active"
        else:  # fill what the file gives, erase nothing
            data = _given(data)
            known = {(i["scheme"], i["value"]) for i in identifiers}
            identifiers += [
                {"scheme": i.scheme, "value": i.value, "label": i.label}
                for i in match.identifiers.all()
                if (i.scheme, i.value) not in known
            ]
            stored_ids = {(i.scheme, i.value) for i in match.identifiers.all()}
            if _unchanged(match, SUPPLIER, data) and stored_ids == {
                (i["scheme"], i["value"]) for i in identifiers
            }:
                self.report.unchanged["suppliers"] += 1
                return match
        supplier: Supplier = self._call(
            read, services.supplier_save, data=data, supplier=match, identifiers=identifiers
        )
        self._count("suppliers", match is None)
        return supplier

    def _stored_supplier(
        self, identifiers: list[dict[str, str]], legal: str, country: str
    ) -> Supplier | None:
        for item in identifiers:
            owner = (
                SupplierIdentifier.objects.filter(
                    organization_id=self.org_id, scheme=item["scheme"], value=item["value"]
                )
                .select_related("supplier")
                .first()
            )
            if owner is not None:
                return owner.supplier
        norm, code = supplier_key(legal, country)
        return Supplier.objects.filter(
            organization_id=self.org_id, normalized_name=norm, country=code
        ).first()

    def _parent(self, read: _Read, subsidiary: str, owner: str) -> None:
        child, parent = self.suppliers[subsidiary], self.suppliers[owner]
        if child.parent_id == parent.pk:
            return
        self._call(read, services.supplier_save, data={"parent": parent}, supplier=child)

    # worksites

    def _worksite(self, read: _Read) -> Facility:
        proxy = read.proxy
        name, native, _ = _names(proxy)
        place = self.sorted.addresses.get(proxy.first("addressEntity", quiet=True) or "")
        operator_id = self.sorted.operator.get(proxy.id or "", ("", read))[0]
        supplier = None
        if operator_id:
            supplier = self.suppliers.get(operator_id)
            if supplier is None:
                raise _Refused(
                    read,
                    f"expected its operator {operator_id} among the file's suppliers, found none",
                )
        data: dict[str, Any] = {
            "name": name,
            "native_name": native,
            "kind": _kind(proxy.get("classification", quiet=True)),
            "supplier": supplier,
            "country": _country(read, place),
            "activities": _activities(proxy.get("sector", quiet=True)),
            "products_made": "\n".join(proxy.get("description", quiet=True)),
            "notes": "\n\n".join(proxy.get("notes", quiet=True)),
            "address": "\n".join(proxy.get("address", quiet=True)) if place is None else "",
            "city": "",
            "subdivision": "",
            "postal_code": "",
            "latitude": None,
            "longitude": None,
        }
        if place is not None:
            data.update(
                address=_street(place),
                city=place.first("city", quiet=True) or "",
                subdivision=place.first("region", quiet=True)
                or place.first("state", quiet=True)
                or "",
                postal_code=place.first("postalCode", quiet=True) or "",
                latitude=_coordinate(read, place.first("latitude", quiet=True)),
                longitude=_coordinate(read, place.first("longitude", quiet=True)),
            )
        os_id = os_id_of(proxy.get("sourceUrl", quiet=True))
        match = None
        if os_id:
            data["os_id"] = os_id
            match = Facility.objects.filter(organization_id=self.org_id, os_id=os_id).first()
        if match is None:
            match = facility_match(
                self.org_id, supplier.pk if supplier else None, name, data["country"]
            )
        if match is not None:  # fill what the file gives, erase nothing
            data = _given(data)
            if _unchanged(match, FACILITY, data):
                self.report.unchanged["worksites"] += 1
                return match
        else:
            data["kind"] = data["kind"] or Facility.Kind.FACTORY
        facility: Facility = self._call(read, services.facility_save, data=data, facility=match)
        self._count("worksites", match is None)
        return facility

    # links

    def _end(self, read: _Read, entity: str, side: str) -> dict[str, Any]:
        if side == "source" and entity in self.sorted.unknown:
            return {"source_unknown": True}
        if side == "target" and entity in self.sorted.importers:
            return {"target_importer": True}
        if entity in self.worksites:
            return {f"{side}_facility": self.worksites[entity]}
        if entity in self.suppliers:
            return {f"{side}_supplier": self.suppliers[entity]}
        words = "subject (who supplies)" if side == "source" else "object (who is supplied)"
        raise _Refused(
            read, f"expected its {words} {entity or '(none)'} among the file's entities, found none"
        )

    def _link(self, read: _Read) -> None:
        proxy = read.proxy
        summary = proxy.first("summary", quiet=True) or ""
        if not summary.strip():
            raise _Refused(
                read,
                "expected a summary that says what is supplied ('Material: cotton' or "
                "'Product SKU: name'), found none",
            )
        kind, sku, item_name = item_of(summary)
        data: dict[str, Any] = {
            "source_facility": None,
            "source_supplier": None,
            "source_unknown": False,
            "target_facility": None,
            "target_supplier": None,
            "target_importer": False,
            "product": None,
            "material": None,
            "valid_from": _date(read, proxy.first("startDate", quiet=True)),
            "valid_to": _date(read, proxy.first("endDate", quiet=True)),
            "evidence_refs": "\n".join(proxy.get("recordId", quiet=True)),
            "notes": "\n\n".join(proxy.get("description", quiet=True)),
        }
        data.update(self._end(read, proxy.first("subject", quiet=True) or "", "source"))
        data.update(self._end(read, proxy.first("object", quiet=True) or "", "target"))
        if kind == "product" and sku:
            data["product"] = self._product(read, sku, item_name)
        else:
            data["material"] = self._material(read, item_name)
        match = SupplyLink.objects.filter(
            organization_id=self.org_id,
            **{k: v for k, v in data.items() if k not in ("valid_to", "evidence_refs", "notes")},
        ).first()
        if match is not None and _unchanged(match, LINK, data):
            self.report.unchanged["links"] += 1
            return
        self._call(read, services.link_save, data=data, link=match)
        self._count("links", match is None)

    def _product(self, read: _Read, sku: str, name: str) -> Product:
        for product in Product.objects.filter(organization_id=self.org_id, sku__iexact=sku):
            if ref_key(product.sku) == ref_key(sku):
                return product
        self._count("products", True)
        return self._call(read, services.product_save, data={"sku": sku, "name": name})  # type: ignore[no-any-return]

    def _material(self, read: _Read, name: str) -> Material:
        stored = Material.objects.filter(
            organization_id=self.org_id, normalized_name=material_name_key(name)
        ).first()
        if stored is not None:
            return stored
        self._count("materials", True)
        return self._call(read, services.material_save, data={"name": name})  # type: ignore[no-any-return]


# --- values -------------------------------------------------------------------------------


def _street(place: EntityProxy) -> str:
    """The street lines; the full address only when it has no parts (chainproof writes the
    full address from the parts, so reading both would say the city twice)."""
    street = place.first("street", quiet=True)
    if street:
        return str(street)
    parts = ("city", "region", "state", "postalCode")
    if any(place.first(p, quiet=True) for p in parts):
        return ""
    return str(place.first("full", quiet=True) or "")


def _names(proxy: EntityProxy) -> tuple[str, str, list[str]]:
    """(name, native name, aliases): the first name; the first other name written with
    letters beyond ASCII (a local script, or Vietnamese with its marks); the other names
    and aliases."""
    names = list(proxy.get("name", quiet=True))
    first = names[0] if names else ""
    native = next((n for n in names[1:] if not n.isascii()), "")
    aliases = [n for n in [*names[1:], *proxy.get("alias", quiet=True)] if n not in (first, native)]
    return first, native, list(dict.fromkeys(aliases))


def _country(read: _Read, place: EntityProxy | None = None) -> str:
    proxy = read.proxy
    for prop in ("country", "mainCountry", "jurisdiction"):
        if prop in proxy.schema.properties and proxy.first(prop, quiet=True):
            return str(proxy.first(prop, quiet=True)).upper()
    if place is not None and place.first("country", quiet=True):
        return str(place.first("country", quiet=True)).upper()
    raise _Refused(read, "expected a country (country, mainCountry or jurisdiction), found none")


def _identifiers(read: _Read) -> list[dict[str, str]]:
    found: dict[tuple[str, str], dict[str, str]] = {}
    for prop, scheme in PROPERTY_SCHEMES.items():
        if prop not in read.proxy.schema.properties:
            continue
        for value in read.proxy.get(prop, quiet=True):
            item = _identifier(read, prop, scheme, value)
            found.setdefault((item["scheme"], item["value"]), item)
    return list(found.values())


def _identifier(read: _Read, prop: str, scheme: str, value: str) -> dict[str, str]:
    if scheme == "other":  # a registration number may be a Chinese USCC
        try:
            return {"scheme": "uscc", "value": normalise_identifier("uscc", value), "label": ""}
        except SpecError:
            return {"scheme": "other", "value": value.strip()[:64], "label": OTHER_LABEL}
    try:
        return {"scheme": scheme, "value": normalise_identifier(scheme, value), "label": ""}
    except SpecError as exc:
        raise _Refused(read, f"expected {exc.expected} in {prop}, found {exc.found!r}") from None


def _kind(values: list[str]) -> str:
    """The worksite kind its classification names ('' when it has none)."""
    by_word = {label.casefold(): code for code, label in Facility.Kind.choices}
    for value in values:
        text = value.strip().casefold()
        if text in by_word:
            return by_word[text]
        if text.replace(" ", "_") in Facility.Kind.values:
            return text.replace(" ", "_")
    return Facility.Kind.OTHER if values else ""


def _unchanged(stored: Any, spec: RecordSpec, data: dict[str, Any]) -> bool:
    """Whether writing ``data`` would leave the stored record as it is (then nothing is
    written and no audit event says it was updated)."""
    try:
        values = spec.normalise(data)
    except SpecError:
        return False  # the service says what is wrong
    for name, value in values.items():
        if name == "text_warning":
            continue
        old = getattr(stored, name)
        if old != value and not (old in (None, "") and value in (None, "")):
            return False
    return True


def _given(data: dict[str, Any]) -> dict[str, Any]:
    """The values a file gives (what it leaves empty is not a change)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _activities(values: Iterable[str]) -> list[str]:
    """The sectors that are chainproof activities (others are left out)."""
    return [v.strip().lower() for v in values if v.strip().lower() in Facility.ACTIVITIES]


def _coordinate(read: _Read, value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise _Refused(read, f"expected a coordinate as a number, found {value!r}") from None


def _date(read: _Read, value: str | None) -> date | None:
    """An FtM date (it may be a year or a month: the first day of it)."""
    if not value:
        return None
    text = str(value)[:10]
    padded = {4: text + "-01-01", 7: text + "-01"}.get(len(text), text)
    try:
        return date.fromisoformat(padded)
    except ValueError:
        raise _Refused(read, f"expected a date as YYYY-MM-DD, found {value!r}") from None
