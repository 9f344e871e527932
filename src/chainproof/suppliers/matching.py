"""How an incoming record finds the stored one it means (chainproof.domain.records keys).

The importer and questionnaire acceptance both find worksites here, so a worksite named
"Shihezi Cotton Mill Co., Ltd." in a questionnaire is the "SHIHEZI COTTON MILL CO LTD"
imported earlier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from chainproof.domain.duplicate_names import duplicate_key
from chainproof.domain.names import normalize_name
from chainproof.domain.records import facility_key, ref_key
from chainproof.suppliers.models import Facility, Supplier


class NameIndex:
    """Look records up by ref or by normalised name, reporting ambiguity (the
    references of a file: a link's facility, a supplier's parent)."""

    def __init__(self) -> None:
        self.by_ref: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = defaultdict(list)
        self._names: list[tuple[str, Any]] = []
        self._by_key: dict[str, list[Any]] | None = None  # built on the first miss
        # What find gave for each text since the last add (a file names the same record
        # on many rows: a link file each facility on several).
        self._found: dict[str, tuple[Any, str]] = {}

    def add(self, ref: str, name: str, value: Any) -> None:
        if ref:
            self.by_ref[ref_key(ref)] = value
        self.by_name[normalize_name(name)].append(value)
        self._names.append((name, value))
        self._by_key = None
        self._found.clear()

    def find(self, text: str) -> tuple[Any, str]:
        """(value, problem): value None with a problem when not found or ambiguous. A name
        is also found written another way: legal forms spelled out or abbreviated
        ("A.Ş." / "Anonim Şirketi", "Ltd" / "Limited"), Turkish dotted and dotless i, case."""
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._find(text)
        return found

    def _find(self, text: str) -> tuple[Any, str]:
        hit = self.by_ref.get(ref_key(text))
        if hit is not None:
            return hit, ""
        candidates = self.by_name.get(normalize_name(text), [])
        if not candidates:
            candidates = self._keyed().get(duplicate_key(text), [])
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            return None, "ambiguous: several records have this name; use the ref"
        return None, "not found"

    def _keyed(self) -> dict[str, list[Any]]:
        if self._by_key is None:
            self._by_key = defaultdict(list)
            for name, value in self._names:
                key = duplicate_key(name)
                if key and value not in self._by_key[key]:
                    self._by_key[key].append(value)
        return self._by_key


def supplier_index(org_id: int) -> NameIndex:
    index = NameIndex()
    for pk, ref, name in Supplier.objects.filter(organization_id=org_id).values_list(
        "pk", "ref", "legal_name"
    ):
        index.add(ref, name, pk)
    return index


def facility_index(org_id: int) -> NameIndex:
    index = NameIndex()
    for pk, ref, name in Facility.objects.filter(organization_id=org_id).values_list(
        "pk", "ref", "name"
    ):
        index.add(ref, name, pk)
    return index


class FacilityMatcher:
    """Stored worksites by ref and by (normalised name, country, operating supplier)."""

    def __init__(self, facilities: Iterable[Facility]) -> None:
        self.by_ref: dict[str, Facility] = {}
        self.by_os_id: dict[str, Facility] = {}
        self.by_key: dict[tuple[str, str, int | None], Facility] = {}
        for facility in facilities:
            if facility.ref:
                self.by_ref[ref_key(facility.ref)] = facility
            if facility.os_id:
                self.by_os_id[facility.os_id] = facility
            # facility_key of the stored name: derive_facility stored normalize_name(name).
            self.by_key[(facility.normalized_name, facility.country, facility.supplier_id)] = (
                facility
            )

    def find(
        self,
        *,
        ref: str = "",
        name: str,
        country: str,
        supplier_id: int | None,
        os_id: str = "",
    ) -> Facility | None:
        """By ref when one is given (a new ref is a new worksite), else by OS ID (Open
        Supply Hub), else by name + country + supplier."""
        if ref:
            return self.by_ref.get(ref_key(ref))
        if os_id and os_id in self.by_os_id:
            return self.by_os_id[os_id]
        return self.by_key.get(facility_key(name, country, supplier_id))


def facility_match(
    org_id: int, supplier_id: int | None, name: str, country: str, ref: str = ""
) -> Facility | None:
    """The stored worksite an incoming one (a questionnaire row) is, or None."""
    facilities = Facility.objects.filter(organization_id=org_id)
    if not ref:
        facilities = (
            facilities.filter(supplier__isnull=True)
            if supplier_id is None
            else facilities.filter(supplier_id=supplier_id)
        )
    return FacilityMatcher(facilities).find(
        ref=ref, name=name, country=country, supplier_id=supplier_id
    )
