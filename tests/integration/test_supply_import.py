import io

import pytest
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.common.exports import export_response
from chainproof.suppliers import exporting
from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.models import (
    Facility,
    Product,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)
from tests.supply import csv_bytes, load_demo

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Supplier.objects.count(),
        Facility.objects.count(),
        Product.objects.count(),
        SupplyLink.objects.count(),
        SupplierIdentifier.objects.count(),
        AuditEvent.objects.count(),
    )


def _import(org, entity, data, name="f.csv", **kw):
    return run_import(
        organization=org.organization,
        actor=org.user,
        entity=entity,
        data=data,
        file_name=name,
        **kw,
    )


@pytest.fixture
def acme(alice, refdata):
    return alice


def test_suppliers_import_creates_updates_and_is_idempotent(acme):
    data = csv_bytes(
        "suppliers",
        {
            "ref": "V1",
            "legal_name": "Acme Textiles Co., Ltd.",
            "country": "CN",
            "native_name": "艾克美纺织有限公司",
            "duns": "123456789",
            "aliases": "Acme | ACME Tex",
        },
        {"legal_name": "Borneo Rubber Sdn Bhd", "country": "my"},
    )
    first = _import(acme, "suppliers", data)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    acme_tex = Supplier.objects.get(ref="V1")
    assert acme_tex.aliases == ["Acme", "ACME Tex"]
    assert acme_tex.identifiers.get().value == "123456789"
    assert Supplier.objects.get(legal_name__startswith="Borneo").country == "MY"
    events = AuditEvent.objects.filter(action="supplier.created", organization=acme.organization)
    assert events.count() == 2

    before = _counts()
    second = _import(acme, "suppliers", data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert _counts()[:5] == before[:5]

    changed = csv_bytes(
        "suppliers",
        {
            "legal_name": "ACME TEXTILES CO LTD",
            "country": "CN",
            "duns": "123456789",
            "website": "acme.example",
        },
        {"legal_name": "borneo rubber sdn. bhd.", "country": "MY", "tags": "rubber"},
    )
    third = _import(acme, "suppliers", changed)
    assert (third.created, third.updated) == (0, 2)
    acme_tex.refresh_from_db()
    assert acme_tex.website == "acme.example"
    assert acme_tex.ref == "V1"  # matched by DUNS; a missing ref does not erase it


def test_dry_run_reports_and_changes_nothing(acme):
    before = _counts()
    report = _import(
        acme,
        "suppliers",
        csv_bytes("suppliers", {"legal_name": "New Co", "country": "VN"}),
        dry_run=True,
    )
    assert report.created == 1
    assert report.changes[0]["action"] == "create"
    assert _counts() == before


@pytest.mark.parametrize(
    ("entity", "rows", "where"),
    [
        ("suppliers", [{"legal_name": "X", "country": "ZZ"}], "row 3, column country"),
        ("suppliers", [{"legal_name": "", "country": "CN"}], "row 3, column legal_name"),
        (
            "suppliers",
            [
                {"ref": "A", "legal_name": "X", "country": "CN"},
                {"ref": "a", "legal_name": "Y", "country": "CN"},
            ],
            "row 4, column ref",
        ),
        ("suppliers", [{"legal_name": "X", "country": "CN", "duns": "12"}], "column duns"),
        (
            "suppliers",
            [{"legal_name": "X", "country": "CN", "parent": "Nobody"}],
            "row 3, column parent",
        ),
        (
            "facilities",
            [{"name": "Plant", "country": "CN", "supplier": "Ghost Co"}],
            "row 3, column supplier",
        ),
        (
            "facilities",
            [{"name": "Plant", "country": "CN", "total_workers": "10", "migrant_workers": "20"}],
            "row 3, column migrant_workers",
        ),
        (
            "facilities",
            [{"name": "Plant", "country": "CN", "activities": "knitting"}],
            "row 3, column activities",
        ),
        (
            "products",
            [{"sku": "P1", "name": "Shirt", "hts_code": "61091"}],
            "row 3, column hts_code",
        ),
        (
            "products",
            [{"sku": "P1", "name": "Shirt", "inputs": "Unobtainium"}],
            "row 3, column inputs",
        ),
        (
            "links",
            [{"from_facility": "Nowhere", "to_importer": "yes", "product_sku": "P9"}],
            "row 3, column from_facility",
        ),
    ],
)
def test_every_bad_row_rejects_the_whole_file(acme, entity, rows, where):
    """A good row first, then the bad ones: nothing at all is stored."""
    good = {
        "suppliers": {"legal_name": "Fine Co", "country": "CN"},
        "facilities": {"name": "Fine Plant", "country": "CN"},
        "products": {"sku": "FINE", "name": "Fine"},
        "links": {"from_unknown": "yes", "to_importer": "yes", "product_sku": "FINE"},
    }[entity]
    before = _counts()
    with pytest.raises(ImportFailed) as info:
        _import(acme, entity, csv_bytes(entity, good, *rows))  # the good row is row 2
    text = "; ".join(str(e) for e in info.value.errors)
    assert where in text, text
    assert _counts() == before


def test_xlsx_round_trip_export_then_import_changes_nothing(acme):
    load_demo(acme.organization)
    org_id = acme.organization.pk
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        response = export_response(
            "xlsx", entity, exporting.headers(entity), exporting.ROWS[entity](org_id)
        )
        body = response.getvalue()
        sheet = load_workbook(io.BytesIO(body)).active
        assert [c.value for c in sheet[1]] == exporting.headers(entity)
        report = _import(acme, entity, body, name=f"{entity}.xlsx")
        assert (report.created, report.updated) == (0, 0), (entity, report.changes[:3])


def test_an_xlsx_whose_dimension_claims_two_rows_imports_all_three(acme):
    from tests.xlsx_files import set_dimension, workbook_bytes

    rows = [
        ["legal_name", "country"],
        ["Acme Textiles", "CN"],
        ["Borneo Rubber", "MY"],
        ["Lotus Garment", "VN"],
    ]
    data = set_dimension(workbook_bytes(rows), "A1:B2")
    report = _import(acme, "suppliers", data, name="suppliers.xlsx")
    assert (report.rows, report.created) == (3, 3)
    names = Supplier.objects.filter(organization=acme.organization).values_list(
        "legal_name", flat=True
    )
    assert sorted(names) == ["Acme Textiles", "Borneo Rubber", "Lotus Garment"]


def test_an_xlsx_with_a_value_at_the_last_cell_of_excel_is_refused(acme):
    from tests.xlsx_files import workbook_bytes

    data = workbook_bytes([["legal_name", "country"], ["Acme", "CN"]], XFD1048576="x")
    before = _counts()
    with pytest.raises(ImportFailed) as caught:
        _import(acme, "suppliers", data, name="suppliers.xlsx")
    assert "at most 500,000 rows and 200 columns" in str(caught.value)
    assert "XFD1048576" in str(caught.value)
    assert _counts() == before


def test_demo_chain_tiers_xinjiang_and_unknown_upstream(acme):
    reports = load_demo(acme.organization)
    assert reports[-1].tiers["cycle_count"] == 0
    org = acme.organization
    assert Supplier.objects.filter(organization=org).count() >= 40
    assert Supplier.objects.filter(organization=org).values("country").distinct().count() >= 12
    tier = {s.ref: s.tier for s in Supplier.objects.filter(organization=org)}
    assert tier["S-BD-01"] == 1
    assert tier["S-BD-02"] == 2
    assert tier["S-IN-02"] == 4
    assert tier["S-CN-04"] == 5  # polysilicon, via the trader and the wafer plant
    assert tier["S-GR-01"] is None  # a holding company ships nothing
    shihezi = Facility.objects.get(organization=org, ref="F-CN-05")
    assert shihezi.in_xinjiang
    assert "Shihezi" in shihezi.xinjiang_reason
    assert not Facility.objects.get(organization=org, ref="F-CN-03").in_xinjiang  # Xinjiang Rd
    assert SupplyLink.objects.filter(organization=org, source_unknown=True).count() == 2


def test_cycle_in_links_is_reported_not_followed_forever(acme):
    _import(
        acme,
        "facilities",
        csv_bytes(
            "facilities", *[{"ref": r, "name": f"Plant {r}", "country": "CN"} for r in "ABC"]
        ),
    )
    _import(acme, "materials", csv_bytes("materials", {"name": "Steel"}))
    _import(acme, "products", csv_bytes("products", {"sku": "P1", "name": "Pan"}))
    report = _import(
        acme,
        "links",
        csv_bytes(
            "links",
            {"from_facility": "A", "to_importer": "yes", "product_sku": "P1"},
            {"from_facility": "B", "to_facility": "A", "material": "Steel"},
            {"from_facility": "C", "to_facility": "B", "material": "Steel"},
            {"from_facility": "B", "to_facility": "C", "material": "Steel"},
        ),
    )
    assert report.tiers["cycle_count"] == 1
    facility_ids = {f.ref: f"f:{f.pk}" for f in Facility.objects.all()}
    assert sorted(report.tiers["cycles"][0]) == sorted([facility_ids["B"], facility_ids["C"]])
    assert {f.ref: f.tier for f in Facility.objects.all()} == {"A": 1, "B": 2, "C": 3}


def test_links_import_rejects_a_link_to_itself_and_duplicates(acme):
    _import(acme, "facilities", csv_bytes("facilities", {"ref": "A", "name": "A", "country": "CN"}))
    _import(acme, "materials", csv_bytes("materials", {"name": "Steel"}))
    with pytest.raises(ImportFailed) as info:
        _import(
            acme,
            "links",
            csv_bytes(
                "links",
                {"from_facility": "A", "to_facility": "A", "material": "Steel"},
            ),
        )
    assert "a target other than the source" in str(info.value)
    _import(acme, "facilities", csv_bytes("facilities", {"ref": "B", "name": "B", "country": "CN"}))
    with pytest.raises(ImportFailed, match="one row per link"):
        _import(
            acme,
            "links",
            csv_bytes(
                "links",
                {"from_facility": "A", "to_facility": "B", "material": "Steel"},
                {"from_facility": "a", "to_facility": "b", "material": "steel"},
            ),
        )


def test_identifier_owned_by_another_supplier_is_an_error(acme):
    _import(
        acme,
        "suppliers",
        csv_bytes(
            "suppliers",
            {"ref": "V1", "legal_name": "One", "country": "CN", "duns": "111111111"},
            {"ref": "V2", "legal_name": "Two", "country": "CN"},
        ),
    )
    # The review sees the shared DUNS first: a person must say whether the row is V1.
    with pytest.raises(ImportFailed, match="same DUNS 111111111; its ref is V1"):
        _import(
            acme,
            "suppliers",
            csv_bytes(
                "suppliers",
                {"ref": "V2", "legal_name": "Two", "country": "CN", "duns": "111111111"},
            ),
        )


def test_import_is_scoped_to_the_organization(acme, bob, refdata):
    _import(
        acme,
        "suppliers",
        csv_bytes("suppliers", {"ref": "V1", "legal_name": "Shared Name", "country": "CN"}),
    )
    report = _import(
        bob,
        "suppliers",
        csv_bytes("suppliers", {"ref": "V1", "legal_name": "Shared Name", "country": "CN"}),
    )
    assert report.created == 1
    assert Supplier.objects.filter(ref="V1").count() == 2


def test_bulk_audit_events_of_an_import_keep_the_chain_verifiable(acme):
    from chainproof.audit.selectors import verify_organization_chain

    load_demo(acme.organization)
    events = AuditEvent.objects.filter(organization=acme.organization, action="facility.created")
    assert events.count() == Facility.objects.filter(organization=acme.organization).count()
    result = verify_organization_chain(acme.organization.pk)
    assert result.ok, result.first_break
    assert result.checked > 140


def test_csv_round_trip_with_formula_like_text_changes_nothing(acme):
    """The CSV export escapes text starting with = + - @ with an apostrophe; the import
    takes exactly that apostrophe off, so an unchanged file updates nothing."""
    load_demo(acme.organization)
    hostile = {
        "=HYPERLINK(1)": "'Quoted on purpose",
        "-Minus Trading": "+Plus Holdings",
        "@At Metals": "=cmd|' /C calc'!A0",
    }
    for legal_name, alias in hostile.items():
        _import(
            acme,
            "suppliers",
            csv_bytes("suppliers", {"legal_name": legal_name, "country": "CN", "aliases": alias}),
        )
    stored = Supplier.objects.get(legal_name="@At Metals")
    assert stored.aliases == ["=cmd", "' /C calc'!A0"]  # split at the bar
    org_id = acme.organization.pk
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        response = export_response(
            "csv", entity, exporting.headers(entity), exporting.ROWS[entity](org_id)
        )
        body = response.getvalue()
        if entity == "suppliers":
            assert b"'=HYPERLINK(1)" in body  # escaped in the file
            assert b"'-Minus Trading" in body
        report = _import(acme, entity, body, name=f"{entity}.csv")
        assert report.rows > 0
        assert (report.created, report.updated) == (0, 0), (entity, report.changes[:3])
    assert Supplier.objects.get(legal_name="=HYPERLINK(1)").aliases == ["'Quoted on purpose"]


def test_country_names_in_an_import_are_stored_as_codes(acme):
    given = ["China", "P.R.C.", "Viet Nam", "Korea, Republic of", "Türkiye", "CHN", "BGD", "中国"]
    rows = [{"legal_name": f"Supplier {n}", "country": value} for n, value in enumerate(given)]
    report = _import(acme, "suppliers", csv_bytes("suppliers", *rows))
    assert report.created == len(given)
    stored = [Supplier.objects.get(legal_name=f"Supplier {n}").country for n in range(len(given))]
    assert stored == ["CN", "CN", "VN", "KR", "TR", "CN", "BD", "CN"]


def test_an_ambiguous_country_in_an_import_is_reported_with_row_column_and_candidates(acme):
    before = _counts()
    data = csv_bytes(
        "facilities",
        {"name": "Fine Plant", "country": "Viet Nam"},
        {"name": "Seoul Plant", "country": "Korea"},
        {"name": "Typo Plant", "country": "Chna"},
    )
    with pytest.raises(ImportFailed) as info:
        _import(acme, "facilities", data)
    first, second = info.value.errors
    assert (first.row, first.column, first.found) == (3, "country", "Korea")
    assert "South Korea (KR) or North Korea (KP)" in first.expected
    assert "write the one you mean" in first.expected
    assert (second.row, second.column, second.found) == (4, "country", "Chna")
    assert "did you mean China (CN)?" in second.expected
    assert _counts() == before
