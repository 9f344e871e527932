"""A product's chain as its map walks it (suppliers.selectors.product_chain): upstream
from the worksites that deliver it, into them only what its bill of materials says goes
into the product, further upstream everything; an input whose origin is unknown is a gap."""

from __future__ import annotations

import pytest

from chainproof.domain.nodes import IMPORTER, NodeKey
from chainproof.suppliers.models import Facility, Material, Product
from chainproof.suppliers.selectors import product_chain
from tests.supply import import_rows

pytestmark = pytest.mark.django_db


def test_into_the_first_tier_only_the_bill_of_materials_is_followed(alice, refdata):
    import_rows(alice, "materials", {"name": "Knit fabric"}, {"name": "Foam"}, {"name": "Yarn"})
    import_rows(alice, "products", {"sku": "TEE-1", "name": "T-shirt", "inputs": "Knit fabric"})
    sites = {
        "T": "Sewing unit",
        "A": "Knitting mill",
        "Y": "Spinning mill",
        "B": "Foam plant",
        "C": "Chemicals plant",
    }
    import_rows(
        alice,
        "facilities",
        *(
            {"ref": ref, "name": name, "kind": "factory", "country": "VN"}
            for ref, name in sites.items()
        ),
    )
    link = {"valid_from": "2025-01-01"}
    import_rows(
        alice,
        "links",
        {**link, "from_facility": "T", "to_importer": "yes", "product_sku": "TEE-1"},
        {**link, "from_facility": "A", "to_facility": "T", "material": "Knit fabric"},
        {**link, "from_facility": "Y", "to_facility": "A", "material": "Yarn"},  # deeper: any
        {**link, "from_facility": "B", "to_facility": "T", "material": "Foam"},  # not an input
        {**link, "from_facility": "C", "to_facility": "B", "material": "Foam"},
        {**link, "from_unknown": "yes", "to_facility": "T", "material": "Foam"},
        {**link, "from_unknown": "yes", "to_facility": "B", "material": "Foam"},
    )
    org = alice.organization
    site = {
        ref: NodeKey.facility(pk)
        for ref, pk in Facility.objects.filter(organization=org).values_list("ref", "pk")
    }
    foam = NodeKey.material(Material.objects.get(organization=org, name="Foam").pk)

    chain = product_chain(Product.objects.get(organization=org, sku="TEE-1"))

    assert chain.depth == {site["T"]: 1, site["A"]: 2, site["Y"]: 3}
    assert sorted((e.source, e.target) for e in chain.edges) == sorted(
        [(site["T"], IMPORTER), (site["A"], site["T"]), (site["Y"], site["A"])]
    )
    # The unknown origin of foam into the sewing unit is a gap of the map; into the foam
    # plant, which the map does not reach, it is not.
    assert chain.gaps == [(site["T"], foam)]
    assert not chain.truncated
