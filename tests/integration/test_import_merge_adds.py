"""A row merged into a stored record (a sure duplicate the command line merges, or a
likely one a person merges) adds to the record and never replaces: the record keeps its
name and ref, the row's other name is kept (a supplier's alias, a worksite's "Other
names" attribute), empty fields are filled, and what the record kept although the file
said otherwise is reported in words."""

import io

import pytest
from django.core.management import call_command

from chainproof.audit.models import AuditEvent
from chainproof.suppliers.importing import run_import
from chainproof.suppliers.importing.pending import batch_import, row_decide
from chainproof.suppliers.models import Facility, ImportBatch, ImportRow, Supplier

pytestmark = pytest.mark.django_db


def _import(org, entity, text, **kw):
    return run_import(
        organization=org.organization,
        actor=org.user,
        entity=entity,
        data=text.encode("utf-8"),
        file_name="f.csv",
        **kw,
    )


@pytest.fixture
def acme(alice, refdata):
    return alice


def test_a_sure_duplicate_keeps_the_stored_name_and_ref_and_fills_only_empty_fields(acme):
    _import(
        acme,
        "suppliers",
        "ref,legal_name,country,duns,website\n"
        "S-1,Alpha Trims Ltd,BD,123456789,https://alpha.example\n",
    )
    stored = Supplier.objects.get()
    report = _import(
        acme,
        "suppliers",
        "legal_name,country,duns,website,contact_email\n"
        "Alpha Trims and Buttons Ltd,BD,123456789,https://other.example,sales@alpha.example\n",
        import_valid=True,
    )
    assert (report.created, report.updated, report.pending) == (0, 1, 0)
    merged = Supplier.objects.get()
    assert merged.pk == stored.pk
    assert (merged.ref, merged.legal_name) == ("S-1", "Alpha Trims Ltd")
    assert merged.aliases == ["Alpha Trims and Buttons Ltd"]
    assert merged.contact_email == "sales@alpha.example"  # empty: filled from the row
    assert merged.website == "https://alpha.example"  # filled: kept
    assert [(k["row"], k["field"], k["stored"], k["file"]) for k in report.kept] == [
        (2, "website", "https://alpha.example", "https://other.example")
    ]
    assert report.kept[0]["words"] == (
        "kept the stored Website https://alpha.example, the file said https://other.example"
    )
    event = AuditEvent.objects.filter(object_id=str(stored.pk), action="supplier.updated").get()
    assert set(event.after) == {"aliases", "contact_email"}
    assert event.after["aliases"] == ["Alpha Trims and Buttons Ltd"]
    assert "website" not in event.before


def test_a_person_merging_a_row_with_another_ref_keeps_the_stored_ref_and_name(acme):
    _import(acme, "suppliers", "ref,legal_name,country,duns\nA-7,Alpha3 Trims Ltd,BD,666666666\n")
    report = _import(
        acme,
        "suppliers",
        "ref,legal_name,country,duns\nB-9,Alpha3 Trims and Buttons Ltd,IN,666666666\n",
        import_valid=True,
    )
    assert report.pending == 1  # another ref: a person decides
    batch = ImportBatch.objects.get(pk=report.batch_id)
    row_decide(batch.rows.get(), actor=acme.user, decision="merge")
    again = batch_import(batch, actor=acme.user)
    stored = Supplier.objects.get()
    assert (stored.ref, stored.legal_name, stored.country) == ("A-7", "Alpha3 Trims Ltd", "BD")
    assert stored.aliases == ["Alpha3 Trims and Buttons Ltd"]
    assert {(k["field"], k["stored"], k["file"]) for k in again.kept} == {
        ("ref", "A-7", "B-9"),
        ("country", "BD", "IN"),
    }
    row = ImportRow.objects.get(batch=batch)
    assert row.state == ImportRow.State.MERGED
    assert "kept the stored Country BD, the file said IN" in row.outcome
    assert "kept the stored Ref A-7, the file said B-9" in row.outcome


def test_a_worksite_merged_by_a_person_keeps_its_name_and_the_rows_name_as_an_attribute(acme):
    _import(acme, "suppliers", "ref,legal_name,country\nS-1,Alpha Trims Ltd,CN\n")
    _import(
        acme,
        "facilities",
        "ref,name,supplier,country,city\nF-1,Alpha Trims Plant 1,S-1,CN,Ningbo\n",
    )
    report = _import(
        acme,
        "facilities",
        "ref,name,supplier,country,city,address\n"
        "F-9,Alpha Trims Plant-1,S-1,CN,Shanghai,1 Harbour Road\n",
        import_valid=True,
    )
    if report.pending:
        batch = ImportBatch.objects.get(pk=report.batch_id)
        row_decide(batch.rows.get(), actor=acme.user, decision="merge")
        report = batch_import(batch, actor=acme.user)
    site = Facility.objects.get()
    assert (site.ref, site.name, site.city) == ("F-1", "Alpha Trims Plant 1", "Ningbo")
    assert site.address == "1 Harbour Road"
    assert site.attributes["Other names"] == "Alpha Trims Plant-1"
    assert {(k["field"], k["file"]) for k in report.kept} == {("ref", "F-9"), ("city", "Shanghai")}


def test_the_command_line_says_what_a_merge_kept(acme, tmp_path):
    _import(
        acme,
        "suppliers",
        "ref,legal_name,country,duns,website\nS-1,Beta Trims Ltd,BD,987654321,https://b.example\n",
    )
    path = tmp_path / "again.csv"
    path.write_text(
        "legal_name,country,duns,website\nBeta Trims & Co Ltd,BD,987654321,https://c.example\n"
    )
    out = io.StringIO()
    call_command(
        "import",
        "suppliers",
        str(path),
        "--organization",
        acme.organization.slug,
        "--import-valid",
        stdout=out,
    )
    stored = Supplier.objects.get()
    assert (stored.legal_name, stored.website, stored.aliases) == (
        "Beta Trims Ltd",
        "https://b.example",
        ["Beta Trims & Co Ltd"],
    )
    assert (
        f"row 2: merged into stored record #{stored.pk}; kept the stored Website "
        "https://b.example, the file said https://c.example"
    ) in out.getvalue()


def test_a_row_the_import_key_names_still_updates_its_record(acme):
    """The same name and country (the import's own key) without another ref is the record
    itself, not another spelling merged in: its values are updated as before."""
    _import(
        acme,
        "suppliers",
        "ref,legal_name,country,website\nS-1,Gamma Trims Ltd,BD,https://g.example\n",
    )
    _import(
        acme,
        "facilities",
        "ref,name,supplier,country,city\nF-1,Gamma Plant,S-1,BD,Dhaka\n",
    )
    suppliers = _import(
        acme,
        "suppliers",
        "legal_name,country,website\nGamma Trims Ltd,BD,https://h.example\n",
        import_valid=True,
    )
    sites = _import(
        acme,
        "facilities",
        "name,supplier,country,city\nGamma Plant,S-1,BD,Gazipur\n",
        import_valid=True,
    )
    assert (suppliers.updated, suppliers.kept, sites.updated, sites.kept) == (1, [], 1, [])
    stored = Supplier.objects.get()
    assert (stored.ref, stored.website, stored.aliases) == ("S-1", "https://h.example", [])
    assert Facility.objects.get().city == "Gazipur"
