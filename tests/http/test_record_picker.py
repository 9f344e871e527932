"""Choosing one supplier, worksite or product in a form when the organization has too
many for a menu (suppliers/picking.py), over HTTP with CSRF enforced.

A short list stays a plain menu of every record. A long one lists the chosen record and
the first few, and its search (``/suppliers/lookup/<kind>/``) finds the organization's own
records by name, reference, code or native-script name; a record found there, not among
those listed, is saved like any other; the page costs the same number of queries whatever
the number of records."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from chainproof.bulk import insert_values
from chainproof.diligence.models import Audit
from chainproof.domain.names import normalize_name
from chainproof.suppliers import picking, services
from chainproof.suppliers.models import Facility, Product, Supplier, SupplyLink
from tests.supply import load_demo

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FIXED = ["VN", "factory", "not_asked", NOW, NOW, "", "", ""]  # a filler worksite's other columns


@pytest.fixture
def short_limits(monkeypatch):
    """A "long" list from 8 records on, 3 of them listed, 4 found by a search."""
    monkeypatch.setattr(picking, "LIST_ALL_UP_TO", 8)
    monkeypatch.setattr(picking, "FIRST_LISTED", 3)
    monkeypatch.setattr(picking, "FOUND_LISTED", 4)


def _fillers(org, count: int, prefix: str = "Aaron Filler") -> None:
    """Suppliers whose names sort first, each with one worksite."""
    columns = ["organization_id", "ref", "legal_name", "normalized_name", "country"]
    columns += ["created_at", "updated_at"]
    names = [f"{prefix} {i:03d}" for i in range(count)]
    insert_values(
        Supplier,
        columns,
        (
            [org.pk, f"{prefix[0]}{i:03d}", n, normalize_name(n), "VN", NOW, NOW]
            for i, n in enumerate(names)
        ),
    )
    fcols = ["organization_id", "ref", "name", "normalized_name", "country", "kind"]
    fcols += ["dprk_workers", "created_at", "updated_at", "city", "native_name", "address"]
    insert_values(
        Facility,
        fcols,
        (
            [org.pk, f"W{prefix[0]}{i:03d}", f"{n} plant", normalize_name(f"{n} plant"), *FIXED]
            for i, n in enumerate(names)
        ),
    )


def _zephyr(member) -> Supplier:
    """A supplier whose name sorts last, with a DUNS number and a Chinese name."""
    with transaction.atomic():
        return services.supplier_save(
            organization=member.organization,
            actor=member.user,
            data={
                "legal_name": "Zephyr Knitting Co., Ltd.",
                "native_name": "西风针织有限公司",
                "ref": "ZK-77",
                "country": "CN",
                "status": "active",
            },
            identifiers=[{"scheme": "duns", "value": "812345678"}],
        )


def _options(page: str, select_id: str) -> list[tuple[str, str]]:
    block = re.search(rf'<select name="\w+" id="{select_id}".*?</select>', page, re.S)
    assert block, f"no select #{select_id}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block.group(0))


def _lookup(client, kind: str, q: str):
    response = client.get(f"/suppliers/lookup/{kind}/", {"q": q})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_a_short_list_is_a_menu_of_every_record(csrf_client, alice, refdata):
    load_demo(alice.organization)
    csrf_client.sign_in(alice)
    page = csrf_client.get("/suppliers/facilities/new/").content.decode()
    options = _options(page, "id_supplier")
    names = {s.legal_name for s in Supplier.objects.filter(organization=alice.organization)}
    assert len(names) >= 3
    assert {label.rsplit(" (", 1)[0] for value, label in options if value} == names
    assert options[0] == ("", "not known")
    assert "data-lookup" not in page


def test_a_long_list_lists_a_few_and_searches_the_rest(csrf_client, alice, refdata, short_limits):
    _fillers(alice.organization, 12)
    zephyr = _zephyr(alice)
    csrf_client.sign_in(alice)
    page = csrf_client.get("/suppliers/facilities/new/").content.decode()
    assert 'data-lookup="/suppliers/lookup/supplier/"' in page
    options = _options(page, "id_supplier")
    assert [label for _, label in options] == [
        "not known",
        "Aaron Filler 000 (VN)",
        "Aaron Filler 001 (VN)",
        "Aaron Filler 002 (VN)",
    ]
    assert "with scripts on, type to search them all" in page

    # Found by its words, the start of its reference, its DUNS, its Chinese name.
    for q in ("zephyr knit", "ZK-7", "812345678", "西风针织"):
        found = _lookup(csrf_client, "supplier", q)
        assert found["results"] == [
            {"value": str(zephyr.pk), "label": "Zephyr Knitting Co., Ltd. (CN)", "group": ""}
        ], q
        assert found["more"] is False
    # A search matching more than are listed says so; no match is an empty list.
    many = _lookup(csrf_client, "supplier", "filler")
    assert len(many["results"]) == 4
    assert many["more"] is True
    assert [r["label"] for r in many["results"]] == [f"Aaron Filler 00{i} (VN)" for i in range(4)]
    assert _lookup(csrf_client, "supplier", "nothing like it") == {"results": [], "more": False}

    # Chosen from the search (it is not among the listed), the worksite is saved with it.
    saved = csrf_client.submit(
        "/suppliers/facilities/new/",
        {
            "name": "Zephyr dye house",
            "kind": "factory",
            "country": "CN",
            "supplier": str(zephyr.pk),
            "dprk_workers": "not_asked",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    site = Facility.objects.get(organization=alice.organization, name="Zephyr dye house")
    assert site.supplier_id == zephyr.pk

    # Its edit page shows it chosen, first after the empty choice, then the listed ones.
    edit = csrf_client.get(f"/suppliers/facilities/{site.pk}/edit/").content.decode()
    options = _options(edit, "id_supplier")
    assert options[1] == (str(zephyr.pk), "Zephyr Knitting Co., Ltd. (CN)")
    assert re.search(rf'<option value="{zephyr.pk}" selected>', edit)
    assert len(options) == 5


def test_the_search_finds_only_the_members_own_records(
    csrf_client, alice, bob, victor, refdata, short_limits
):
    _fillers(alice.organization, 12)
    zephyr = _zephyr(alice)
    _fillers(bob.organization, 12, prefix="Borealis Vendor")
    csrf_client.sign_in(bob)
    for kind in ("supplier", "facility", "source", "target", "supplier-to-ask"):
        for q in ("zephyr", "aaron filler", "812345678", "ZK-77", ""):
            found = _lookup(csrf_client, kind, q)
            assert not any(
                "Zephyr" in r["label"] or "Aaron" in r["label"] for r in found["results"]
            ), (kind, q)
    assert _lookup(csrf_client, "supplier", "borealis")["results"]

    # A viewer may search (the names are on the lists the viewer reads).
    csrf_client.sign_in(victor)
    assert _lookup(csrf_client, "supplier", "zephyr")["results"][0]["value"] == str(zephyr.pk)

    # Not a kind of record: 404; not a GET: 405; signed out: to the sign-in page.
    assert csrf_client.get("/suppliers/lookup/shipment/", {"q": "x"}).status_code == 404
    page = csrf_client.get("/suppliers/facilities/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    posted = csrf_client.post(
        "/suppliers/lookup/supplier/", {"q": "x", "csrfmiddlewaretoken": token.group(1)}
    )
    assert posted.status_code == 405
    csrf_client.logout()
    signed_out = csrf_client.get("/suppliers/lookup/supplier/", {"q": "zephyr"})
    assert signed_out.status_code == 302
    assert "/accounts/login/" in signed_out["Location"]


def test_a_supplier_contact_cannot_search_the_organizations_records(csrf_client, alice, refdata):
    from chainproof.accounts.models import User
    from chainproof.accounts.services import membership_create

    zephyr = _zephyr(alice)
    with transaction.atomic():
        user = User.objects.create_user("sam-contact", password="x" * 24)
        membership_create(
            organization=alice.organization, user=user, role="supplier", supplier=zephyr
        )
    csrf_client.force_login(user)
    response = csrf_client.get("/suppliers/lookup/supplier/", {"q": "zephyr"})
    assert response.status_code == 403
    assert b"Zephyr" not in response.content


def test_a_link_end_is_searched_among_worksites_and_suppliers(
    csrf_client, alice, refdata, short_limits
):
    _fillers(alice.organization, 12)
    zephyr = _zephyr(alice)
    with transaction.atomic():
        site = services.facility_save(
            organization=alice.organization,
            actor=alice.user,
            data={"name": "Zephyr spinning mill", "kind": "factory", "country": "CN"},
        )
        product = Product.objects.create(
            organization=alice.organization, sku="ZK-TEE", name="Zephyr tee"
        )
    csrf_client.sign_in(alice)
    page = csrf_client.get("/suppliers/links/new/").content.decode()
    source = _options(page, "id_source")
    assert source[0] == ("", "Choose where the goods come from")
    assert source[-1] == ("unknown", "Origin unknown")  # always offered
    assert len(source) == 1 + 3 + 3 + 1  # the first worksites and suppliers listed
    target = _options(page, "id_target")
    assert target[-1] == ("importer", "Us (the importer)")

    found = _lookup(csrf_client, "source", "zephyr")
    assert found["results"] == [
        {"value": f"f:{site.pk}", "label": "Zephyr spinning mill (CN)", "group": "Worksites"},
        {
            "value": f"s:{zephyr.pk}",
            "label": "Zephyr Knitting Co., Ltd. (CN)",
            "group": "Suppliers (worksite unknown)",
        },
    ]
    assert _lookup(csrf_client, "target", "zephyr")["results"][1]["group"] == "Suppliers"
    assert _lookup(csrf_client, "product", "ZK-T")["results"] == [
        {"value": str(product.pk), "label": "ZK-TEE Zephyr tee", "group": ""}
    ]

    saved = csrf_client.submit(
        "/suppliers/links/new/",
        {"source": f"f:{site.pk}", "target": f"s:{zephyr.pk}", "product": str(product.pk)},
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    link = SupplyLink.objects.latest("pk")
    assert (link.source_facility_id, link.target_supplier_id, link.product_id) == (
        site.pk,
        zephyr.pk,
        product.pk,
    )
    # Made-up ends are refused on their control, and nothing is written.
    before = SupplyLink.objects.count()
    for bad in ("f:999999", "x:1", "importer", "12"):
        refused = csrf_client.submit(
            "/suppliers/links/new/", {"source": bad, "target": "importer", "product": product.pk}
        )
        assert refused.status_code == 200, bad
        assert "is not among yours" in refused.content.decode(), bad
    assert SupplyLink.objects.count() == before


def test_the_diligence_forms_search_too_and_record_what_was_found(
    csrf_client, alice, refdata, short_limits
):
    _fillers(alice.organization, 12)
    zephyr = _zephyr(alice)
    csrf_client.sign_in(alice)
    for url, select_id in (
        ("/diligence/audits/", "a-supplier"),
        ("/diligence/requests/", "r-supplier"),
        ("/cases/allegation/", "al-site"),
    ):
        page = csrf_client.get(url).content.decode()
        assert "data-lookup=" in page, url
        assert len(_options(page, select_id)) == 4, url  # the empty choice and three listed

    # The request page says which suppliers have no contact to email.
    asked = _lookup(csrf_client, "supplier-to-ask", "zephyr")["results"][0]["label"]
    assert asked == "Zephyr Knitting Co., Ltd. (CN) — no contact email"

    recorded = csrf_client.submit(
        "/diligence/audits/",
        {
            "supplier": str(zephyr.pk),
            "kind": "third_party",
            "announced": "on",
            "audit_date": "2026-11-02",
            "auditor": "Verité",
        },
    )
    assert recorded.status_code == 302, recorded.content.decode()[:2000]
    assert Audit.objects.get(organization=alice.organization).supplier_id == zephyr.pk

    # A request refused for another reason draws the page again with the supplier chosen.
    refused = csrf_client.submit(
        "/diligence/requests/",
        {"supplier": str(zephyr.pk), "category": "", "record_type": "other", "title": ""},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert re.search(rf'<option value="{zephyr.pk}" selected>Zephyr Knitting', body)


def test_a_long_menu_costs_the_same_queries_whatever_the_number_of_records(
    csrf_client, alice, short_limits
):
    _fillers(alice.organization, 10)
    csrf_client.sign_in(alice)
    pages = ("/suppliers/facilities/new/", "/suppliers/links/new/", "/diligence/audits/")
    counts = {}
    for size in ("few", "many"):
        if size == "many":
            _fillers(alice.organization, 40, prefix="Bertram Filler")
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                response = csrf_client.get(url)
            assert response.status_code == 200
            assert "data-lookup=" in response.content.decode()
            counts[size, url] = len(queries)
    for url in pages:
        assert counts["few", url] == counts["many", url], url


def _mills(org, supplier: Supplier, count: int = 10) -> None:
    """``count`` worksites of ``supplier``: "Zephyr Mill 00" and on."""
    fcols = ["organization_id", "supplier_id", "ref", "name", "normalized_name", "country"]
    fcols += ["kind", "dprk_workers", "created_at", "updated_at", "city", "native_name", "address"]
    insert_values(
        Facility,
        fcols,
        (
            [org.pk, supplier.pk, f"ZW{i:02d}", name, normalize_name(name), *FIXED]
            for i, name in ((i, f"Zephyr Mill {i:02d}") for i in range(count))
        ),
    )


def test_an_audits_finding_names_a_worksite_of_the_supplier_audited_at_any_size(
    csrf_client, alice, bob, refdata, short_limits
):
    from chainproof.diligence.models import Finding
    from chainproof.diligence.services import audit_create

    _fillers(alice.organization, 12)
    zephyr = _zephyr(alice)
    _mills(alice.organization, zephyr)
    filler = Supplier.objects.get(organization=alice.organization, legal_name="Aaron Filler 000")
    other = Facility.objects.get(organization=alice.organization, name="Aaron Filler 000 plant")
    Facility.objects.filter(pk=other.pk).update(supplier=filler)  # the filler's one worksite
    with transaction.atomic():
        audits = {
            s.pk: audit_create(
                organization=alice.organization,
                actor=alice.user,
                supplier=s,
                kind="third_party",
                announced=True,
                audit_date="2026-11-02",
                auditor="Verité",
            )
            for s in (zephyr, filler)
        }
    csrf_client.sign_in(alice)

    # Ten worksites of Zephyr, more than a menu lists: three of them, and a search kept
    # to Zephyr's worksites.
    url = f"/diligence/audits/{audits[zephyr.pk].pk}/"
    page = csrf_client.get(url).content.decode()
    assert f'data-lookup="/suppliers/lookup/facility/?supplier={zephyr.pk}"' in page
    options = _options(page, "f-site")
    assert options[0] == ("", "the supplier as a whole")
    assert len(options) == 4
    assert all(label.startswith("Zephyr Mill") for _, label in options[1:]), options
    found = csrf_client.get("/suppliers/lookup/facility/", {"q": "mill 09", "supplier": zephyr.pk})
    assert [r["label"] for r in found.json()["results"]] == [
        "Zephyr Mill 09 (VN, Zephyr Knitting Co., Ltd.)"
    ]
    plants = csrf_client.get("/suppliers/lookup/facility/", {"q": "plant", "supplier": zephyr.pk})
    assert plants.json()["results"] == []  # the fillers' plants are other suppliers'
    assert _lookup(csrf_client, "facility", "plant")["results"]  # unscoped: found
    # Another organization's supplier, a scope on another kind, or not a number: 404.
    stranger = Supplier.objects.filter(organization=bob.organization)
    _fillers(bob.organization, 1, prefix="Borealis Vendor")
    for params in (
        {"q": "mill", "supplier": stranger.get().pk},
        {"q": "mill", "supplier": "zephyr"},
    ):
        assert csrf_client.get("/suppliers/lookup/facility/", params).status_code == 404
    assert (
        csrf_client.get("/suppliers/lookup/supplier/", {"supplier": zephyr.pk}).status_code == 404
    )

    # The worksite found by the search (not among those listed) is recorded; another
    # supplier's worksite is refused with the reason, and nothing is written.
    mill = Facility.objects.get(organization=alice.organization, name="Zephyr Mill 09")
    finding = {"action": "finding", "description": "Passports held", "severity": "high"}
    refused = csrf_client.submit(url, {**finding, "facility": str(other.pk)})
    assert refused.status_code == 400
    assert "Expected a worksite of Zephyr Knitting Co., Ltd. or one the audit covered" in (
        refused.content.decode()
    )
    assert not Finding.objects.filter(audit=audits[zephyr.pk]).exists()
    recorded = csrf_client.submit(url, {**finding, "facility": str(mill.pk)})
    assert recorded.status_code == 302, recorded.content.decode()[:2000]
    assert Finding.objects.get(audit=audits[zephyr.pk]).facility_id == mill.pk

    # A supplier with one worksite: a plain menu of it.
    page = csrf_client.get(f"/diligence/audits/{audits[filler.pk].pk}/").content.decode()
    assert "data-lookup" not in page
    assert _options(page, "f-site") == [
        ("", "the supplier as a whole"),
        (str(other.pk), "Aaron Filler 000 plant (VN, Aaron Filler 000)"),
    ]
