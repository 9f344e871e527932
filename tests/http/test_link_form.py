"""The new-link form over HTTP (CSRF enforced): where the goods come from and where they
go, each one control (a worksite, a supplier whose worksite is unknown, or unknown / us),
written through the same service as every other way in."""

from __future__ import annotations

import re

from chainproof.suppliers.models import Facility, Material, Supplier, SupplyLink
from tests.supply import load_demo


def test_from_and_to_are_one_control_each_and_save_a_link(csrf_client, alice, refdata):
    load_demo(alice.organization)
    csrf_client.sign_in(alice)
    page = csrf_client.get("/suppliers/links/new/").content.decode()
    selects = re.findall(r'<select name="(\w+)"', page)
    assert "source" in selects
    assert "target" in selects
    for gone in ("source_facility", "source_supplier", "target_facility", "target_supplier"):
        assert f'name="{gone}"' not in page
    assert '<optgroup label="Worksites">' in page
    assert "Origin unknown" in page
    assert "Us (the importer)" in page

    site = Facility.objects.filter(organization=alice.organization).first()
    buyer = Supplier.objects.filter(organization=alice.organization).exclude(pk=site.supplier_id)[0]
    material = Material.objects.filter(organization=alice.organization).first()
    before = SupplyLink.objects.count()
    saved = csrf_client.submit(
        "/suppliers/links/new/",
        {"source": f"f:{site.pk}", "target": f"s:{buyer.pk}", "material": str(material.pk)},
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    link = SupplyLink.objects.latest("pk")
    assert SupplyLink.objects.count() == before + 1
    assert (link.source_facility_id, link.source_supplier_id, link.source_unknown) == (
        site.pk,
        None,
        False,
    )
    assert (link.target_supplier_id, link.target_facility_id, link.target_importer) == (
        buyer.pk,
        None,
        False,
    )

    unknown = csrf_client.submit(
        "/suppliers/links/new/",
        {"source": "unknown", "target": "importer", "material": str(material.pk)},
    )
    assert unknown.status_code == 302
    link = SupplyLink.objects.latest("pk")
    assert link.source_unknown
    assert link.target_importer
    assert link.source_facility_id is None


def test_a_missing_or_foreign_end_is_refused_on_its_control(csrf_client, alice, bob, refdata):
    load_demo(alice.organization)
    load_demo(bob.organization)
    csrf_client.sign_in(alice)
    material = Material.objects.filter(organization=alice.organization).first()
    before = SupplyLink.objects.count()
    missing = csrf_client.submit("/suppliers/links/new/", {"material": str(material.pk)})
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    theirs = Facility.objects.filter(organization=bob.organization).first()
    foreign = csrf_client.submit(
        "/suppliers/links/new/",
        {"source": f"f:{theirs.pk}", "target": "importer", "material": str(material.pk)},
    )
    assert "is not among yours" in foreign.content.decode()
    assert SupplyLink.objects.count() == before


def test_a_link_from_a_worksite_page_preselects_it(csrf_client, alice, refdata):
    load_demo(alice.organization)
    csrf_client.sign_in(alice)
    site = Facility.objects.filter(organization=alice.organization).first()
    page = csrf_client.get(f"/suppliers/links/new/?target_facility={site.pk}").content.decode()
    target = re.search(r'<select name="target".*?</select>', page, re.S).group(0)
    assert f'<option value="f:{site.pk}" selected>' in target
