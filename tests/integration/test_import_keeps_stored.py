"""An import changes only what the file says: a list with fewer columns, or with empty
cells, never erases a stored value; a row a person kept apart from a stored record never
updates it; a code a spreadsheet turned into a number never replaces the stored code; a
row whose ref differs from the record an identifier names is asked about, not applied."""

import pytest

from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.importing.pending import batch_import, row_decide
from chainproof.suppliers.models import Facility, ImportBatch, Supplier, SupplierIdentifier

pytestmark = pytest.mark.django_db


def _import(org, entity, text, name="f.csv", **kw):
    return run_import(
        organization=org.organization,
        actor=org.user,
        entity=entity,
        data=text.encode("utf-8"),
        file_name=name,
        **kw,
    )


@pytest.fixture
def acme(alice, refdata):
    return alice


def _stored_supplier(acme):
    _import(
        acme,
        "suppliers",
        "ref,legal_name,country,native_name,contact_email,tags,aliases,duns,tax_id\n"
        "S-CN-06,Ningbo Star Textiles Co Ltd,CN,宁波星纺织有限公司,sales@star.example,"
        "cotton,Star Tex,123456789,91330200MA2AFKQ07X\n",
    )
    return Supplier.objects.get(ref="S-CN-06")


def test_a_list_with_fewer_columns_changes_only_what_it_gives(acme):
    _stored_supplier(acme)
    report = _import(
        acme,
        "suppliers",
        "Vendor code,Supplier name,Country\nS-CN-06,Ningbo Star Textiles Co Ltd,China\n",
        mapping="Vendor code=ref;Supplier name=legal_name;Country=country",
    )
    assert (report.updated, report.unchanged) == (0, 1)
    kept = Supplier.objects.get(ref="S-CN-06")
    assert kept.native_name == "宁波星纺织有限公司"
    assert kept.contact_email == "sales@star.example"
    assert kept.tags == ["cotton"]
    assert kept.aliases == ["Star Tex"]
    values = set(SupplierIdentifier.objects.filter(supplier=kept).values_list("value", flat=True))
    assert values == {"123456789", "91330200MA2AFKQ07X"}  # both identifiers kept


def test_empty_cells_never_erase_and_given_values_still_change(acme):
    _stored_supplier(acme)
    report = _import(
        acme,
        "suppliers",
        "ref,legal_name,country,native_name,contact_email,website\n"
        "S-CN-06,Ningbo Star Textiles Co Ltd,CN,,buyers@star.example,\n",
    )
    assert report.updated == 1
    kept = Supplier.objects.get(ref="S-CN-06")
    assert kept.native_name == "宁波星纺织有限公司"  # empty cell: kept
    assert kept.contact_email == "buyers@star.example"  # given: changed


def test_a_worksite_row_with_only_a_name_keeps_its_address_workers_and_supplier(acme):
    _stored_supplier(acme)
    _import(
        acme,
        "facilities",
        "ref,name,supplier,country,address,city,postal_code,total_workers,dprk_workers\n"
        'F-VN-04,Song Hong Sewing,S-CN-06,VN,"12 Tran Phu",Nam Dinh,07100,1001-5000,none\n',
    )
    before = Facility.objects.get(ref="F-VN-04")
    report = _import(acme, "facilities", "ref,name,country\nF-VN-04,Song Hong Sewing,VN\n")
    assert report.unchanged == 1
    after = Facility.objects.get(ref="F-VN-04")
    for field in (
        "address",
        "city",
        "postal_code",
        "total_workers",
        "total_workers_max",
        "dprk_workers",
        "supplier_id",
    ):
        assert getattr(after, field) == getattr(before, field), field
    assert (after.total_workers, after.total_workers_max) == (1001, 5000)


def test_a_ref_without_its_leading_zeros_finds_the_stored_supplier_and_keeps_its_ref(acme):
    _import(
        acme,
        "suppliers",
        "ref,legal_name,country,tax_id\n0000100234,Textilwerk Weber GmbH,DE,DE123456789\n",
    )
    report = _import(
        acme,
        "suppliers",
        "ref,legal_name,country,tax_id\n100234,Textilwerk Weber GmbH,DE,DE123456789\n",
    )
    assert (report.created, report.updated) == (0, 0)
    assert list(Supplier.objects.values_list("ref", flat=True)) == ["0000100234"]


def test_a_row_whose_ref_differs_from_the_supplier_its_identifier_names_is_asked(acme):
    _import(
        acme,
        "suppliers",
        "ref,legal_name,country,uscc\nGYS-02,Hangzhou Kangjin Garments,CN,91330100MA27XY1235\n",
    )
    with pytest.raises(ImportFailed) as refused:
        _import(
            acme,
            "suppliers",
            "ref,legal_name,country,uscc\nGYS-01,杭州康金服装有限公司,CN,91330100MA27XY1235\n",
        )
    assert "its ref is GYS-02" in str(refused.value) or "GYS-02" in str(refused.value)
    assert list(Supplier.objects.values_list("ref", flat=True)) == ["GYS-02"]


def test_keep_apart_never_updates_the_stored_record(acme):
    _import(
        acme,
        "suppliers",
        "legal_name,country,duns\nAlpha2 Trims Ltd,BD,555555555\n",
    )
    report = _import(
        acme,
        "suppliers",
        "legal_name,country,duns\nBeta2 Buttons Ltd,IN,555555555\n",
        import_valid=True,
    )
    assert (report.created, report.updated, report.pending) == (0, 0, 1)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    row = batch.rows.get()
    row_decide(row, actor=acme.user, decision="keep")
    again = batch_import(batch, actor=acme.user)
    assert (again.created, again.updated) == (0, 0)
    stored = Supplier.objects.get()
    assert (stored.legal_name, stored.country) == ("Alpha2 Trims Ltd", "BD")
    row.refresh_from_db()
    assert row.state == "pending"
    assert "555555555" in str(row.problems)  # the shared DUNS is the problem to fix


def test_merge_after_asking_adds_to_the_stored_record_and_keeps_its_values(acme):
    _import(acme, "suppliers", "legal_name,country,duns\nAlpha3 Trims Ltd,BD,666666666\n")
    report = _import(
        acme,
        "suppliers",
        "legal_name,country,duns\nAlpha3 Trims and Buttons Ltd,IN,666666666\n",
        import_valid=True,
    )
    batch = ImportBatch.objects.get(pk=report.batch_id)
    if report.pending:
        row_decide(batch.rows.get(), actor=acme.user, decision="merge")
        batch_import(batch, actor=acme.user)
    assert Supplier.objects.count() == 1
    stored = Supplier.objects.get()
    assert (stored.legal_name, stored.country) == ("Alpha3 Trims Ltd", "BD")  # kept
    assert stored.aliases == ["Alpha3 Trims and Buttons Ltd"]


def test_a_worksite_names_its_supplier_however_the_legal_form_is_written(acme):
    _import(acme, "suppliers", "ref,legal_name,country\nS-TR-01,Ege Denim Tekstil A.Ş.,TR\n")
    report = _import(
        acme,
        "facilities",
        "name,supplier,country\n"
        "Ege Denim Fabrikası,EGE DENİM TEKSTİL A.Ş.,TR\n"
        "Ege Denim Boyahane,Ege Denim Tekstil Anonim Şirketi,TR\n",
    )
    assert report.created == 2
    owner = Supplier.objects.get(ref="S-TR-01")
    assert set(Facility.objects.values_list("supplier_id", flat=True)) == {owner.pk}
