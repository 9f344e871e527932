"""One specification per record kind: every way in (service, form, API, import) reads
the same fields and refuses the same bad values; the importer plans and writes in one
transaction through the service layer's bulk functions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.domain.records import SPECS
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.tabular import validate_sheet
from chainproof.fileformats.tables import read_table
from chainproof.questionnaires.models import QuestionnaireRequest
from chainproof.questionnaires.review import worksite_changes
from chainproof.reference.selectors import known_country_codes
from chainproof.suppliers import api, forms
from chainproof.suppliers.batch import StaleRecords
from chainproof.suppliers.importing import ImportFailed
from chainproof.suppliers.importing.suppliers import SupplierPlanner
from chainproof.suppliers.models import Facility, Supplier
from chainproof.suppliers.services import facility_save, supplier_save
from tests.supply import csv_bytes, import_rows

pytestmark = pytest.mark.django_db

WAYS_IN = {
    "suppliers": (api.SupplierIn, forms.SupplierForm),
    "facilities": (api.FacilityIn, forms.FacilityForm),
    "materials": (api.MaterialIn, forms.MaterialForm),
    "products": (api.ProductIn, forms.ProductForm),
    "links": (api.LinkIn, forms.LinkForm),
}


@pytest.mark.parametrize("entity", sorted(WAYS_IN))
def test_import_columns_api_input_and_form_fields_cover_the_same_model_fields(entity):
    spec = SPECS[entity]
    schema, form = WAYS_IN[entity]
    by_column = {spec.field_of(c) for c in COLUMN_SETS[entity].column_names}
    by_api = {spec.field_of(name) for name in schema.model_fields}
    # A form may show several fields as one control (the link's From and To).
    covers = getattr(form, "COVERS", {})
    by_form = {spec.field_of(n) for name in form.base_fields for n in covers.get(name, (name,))}
    assert spec.written  # not an empty comparison
    assert by_column == spec.written, entity
    assert by_api == spec.written, entity
    assert by_form == spec.written, entity


def test_supplier_save_refuses_a_short_duns_naming_the_field(alice, refdata):
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        supplier_save(
            organization=alice.organization,
            actor=alice.user,
            data={"legal_name": "Acme Textiles", "country": "CN"},
            identifiers=[{"scheme": "duns", "value": "12"}],
        )
    assert "duns" in caught.value.message_dict
    assert "9-digit DUNS" in caught.value.message_dict["duns"][0]
    assert not Supplier.objects.filter(legal_name="Acme Textiles").exists()


def test_the_importer_refuses_the_same_duns_in_the_same_words(alice, refdata):
    with pytest.raises(ImportFailed) as caught:
        import_rows(
            alice, "suppliers", {"legal_name": "Acme Textiles", "country": "CN", "duns": "12"}
        )
    [error] = caught.value.errors
    assert (error.column, error.found) == ("duns", "12")
    assert "9-digit DUNS" in error.expected


def test_supplier_save_normalises_identifiers_as_the_importer_does(alice, refdata):
    with transaction.atomic():
        saved = supplier_save(
            organization=alice.organization,
            actor=alice.user,
            data={"legal_name": "Acme Textiles", "country": "cn", "status": "Active"},
            identifiers=[{"scheme": "duns", "value": "123-456 789"}],
        )
    assert (saved.country, saved.status) == ("CN", "active")
    assert [i.value for i in saved.identifiers.all()] == ["123456789"]
    report = import_rows(
        alice, "suppliers", {"legal_name": "Other name", "country": "CN", "duns": "123456789"}
    )
    assert (report.created, report.updated) == (0, 1)  # matched by the identifier


def test_an_identifier_only_change_is_written_and_counted_as_an_update(alice, refdata):
    import_rows(alice, "suppliers", {"ref": "S1", "legal_name": "Acme", "country": "CN"})
    report = import_rows(
        alice,
        "suppliers",
        {"ref": "S1", "legal_name": "Acme", "country": "CN", "duns": "123456789"},
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    supplier = Supplier.objects.get(ref="S1")
    assert [i.value for i in supplier.identifiers.all()] == ["123456789"]
    event = AuditEvent.objects.filter(action="supplier.updated").latest("seq")
    assert event.before == {"identifiers": []}
    assert event.after == {"identifiers": ["duns:123456789"]}


def test_a_bill_of_materials_change_needs_no_made_up_field(alice, refdata):
    import_rows(alice, "materials", {"name": "Cotton"}, {"name": "Elastane"})
    import_rows(alice, "products", {"sku": "T1", "name": "Tee", "inputs": "Cotton=100"})
    report = import_rows(
        alice, "products", {"sku": "T1", "name": "Tee", "inputs": "Cotton=95 | Elastane=5"}
    )
    assert report.updated == 1
    [change] = report.changes
    assert set(change["fields"]) == {"inputs"}
    event = AuditEvent.objects.filter(action="product.updated").latest("seq")
    assert event.before == {"inputs": ["Cotton=100.000"]}
    assert event.after == {"inputs": ["Cotton=95.000", "Elastane=5.000"]}


def test_dry_run_reports_exactly_what_the_real_run_does(alice, refdata):
    import_rows(alice, "suppliers", {"ref": "S1", "legal_name": "Acme", "country": "CN"})
    rows = (
        {"ref": "S1", "legal_name": "Acme Ltd", "country": "CN", "duns": "123456789"},
        {"ref": "S2", "legal_name": "Beta", "country": "VN", "parent": "S1"},
    )
    events = AuditEvent.objects.count()
    dry = import_rows(alice, "suppliers", *rows, dry_run=True)
    assert AuditEvent.objects.count() == events
    real = import_rows(alice, "suppliers", *rows)
    dry_view = {k: v for k, v in dry.as_dict().items() if k not in ("dry_run", "tiers")}
    real_view = {k: v for k, v in real.as_dict().items() if k not in ("dry_run", "tiers")}
    assert dry_view == real_view
    assert (real.created, real.updated) == (1, 1)


def _plan(member, entity, *rows):
    planner = SupplierPlanner(member.organization.pk, entity)
    sheet = read_table(csv_bytes(entity, *rows), "f.csv", sheet=entity)
    valid = validate_sheet(
        COLUMN_SETS[entity],
        sheet,
        source="f.csv",
        known_countries=known_country_codes(member.organization.pk),
        allow_missing_optional=True,
    )
    return planner, planner.plan(valid)


def test_a_record_edited_between_plan_and_write_is_not_overwritten(alice, refdata):
    import_rows(
        alice,
        "suppliers",
        {"ref": "S1", "legal_name": "Acme", "country": "CN", "website": "a.example"},
        {"ref": "S2", "legal_name": "Beta", "country": "CN", "website": "b.example"},
    )
    with transaction.atomic():
        planner, changes = _plan(
            alice,
            "suppliers",
            {"ref": "S1", "legal_name": "Acme", "country": "CN", "website": "new.example"},
            {"ref": "S2", "legal_name": "Beta Ltd", "country": "CN", "website": "b.example"},
        )
        beta = Supplier.objects.get(ref="S2")
        supplier_save(
            organization=alice.organization,
            actor=alice.user,
            supplier=beta,
            data={"website": "edited.example"},
        )
        events = AuditEvent.objects.count()
        with pytest.raises(StaleRecords) as caught, transaction.atomic():
            planner.save(changes, alice.user)
    assert [c.row for c in caught.value.changes] == [3]
    assert AuditEvent.objects.count() == events
    beta.refresh_from_db()
    assert (beta.legal_name, beta.website) == ("Beta", "edited.example")
    assert Supplier.objects.get(ref="S1").website == "a.example"


def test_the_audit_before_is_what_was_stored_at_the_write(alice, refdata):
    import_rows(alice, "suppliers", {"ref": "S1", "legal_name": "Acme", "country": "CN"})
    with transaction.atomic():
        supplier_save(
            organization=alice.organization,
            actor=alice.user,
            supplier=Supplier.objects.get(ref="S1"),
            data={"website": "edited.example"},
        )
    import_rows(
        alice,
        "suppliers",
        {"ref": "S1", "legal_name": "Acme", "country": "CN", "website": "file.example"},
    )
    event = AuditEvent.objects.filter(action="supplier.updated").latest("seq")
    assert event.before == {"website": "edited.example"}
    assert event.after == {"website": "file.example"}


def test_an_edit_made_while_an_import_writes_fails_the_import_not_the_edit(alice, refdata):
    """A record changed after the plan (here from the progress callback, inside the
    import's transaction) makes the import fail naming the row; nothing is half-written."""
    import_rows(alice, "suppliers", {"ref": "S1", "legal_name": "Acme", "country": "CN"})

    def edit(done, total, message):
        if message == "writing":
            supplier = Supplier.objects.get(ref="S1")
            supplier_save(
                organization=alice.organization,
                actor=alice.user,
                supplier=supplier,
                data={"website": "edited.example"},
            )

    with pytest.raises(ImportFailed) as caught:
        import_rows(
            alice,
            "suppliers",
            {"ref": "S1", "legal_name": "Acme Ltd", "country": "CN"},
            progress=edit,
        )
    [error] = caught.value.errors
    assert (error.row, error.column) == (2, "legal_name")
    assert "nobody changed" in error.expected
    assert Supplier.objects.get(ref="S1").legal_name == "Acme"


def test_acceptance_matches_worksites_as_the_importer_does(alice, refdata):
    supplier = import_rows(alice, "suppliers", {"ref": "S1", "legal_name": "Acme", "country": "CN"})
    assert supplier.created == 1
    import_rows(
        alice,
        "facilities",
        {"name": "Shihezi Cotton Mill Co., Ltd.", "country": "CN", "supplier": "S1"},
    )
    site = Facility.objects.get()
    qr = QuestionnaireRequest(
        organization_id=alice.organization.pk,
        supplier=Supplier.objects.get(ref="S1"),
        answers={
            "worksites": [
                {"name": "SHIHEZI  cotton mill co ltd", "country": "CN", "total_workers": 10},
                {"name": "Shihezi Cotton Mill", "country": "VN"},
            ]
        },
    )
    changes = worksite_changes(qr)
    assert [c["action"] for c in changes] == ["update", "create"]
    assert changes[0]["facility"] == site
    # The importer sees the questionnaire's spelling as the same worksite too.
    report = import_rows(
        alice,
        "facilities",
        {"name": "SHIHEZI  cotton mill co ltd", "country": "CN", "supplier": "S1"},
    )
    assert (report.created, report.updated) == (0, 1)


def test_facility_save_refuses_an_unknown_kind_like_the_importer(alice, refdata):
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        facility_save(
            organization=alice.organization,
            actor=alice.user,
            data={"name": "Mill", "country": "CN", "kind": "castle"},
        )
    assert "kind" in caught.value.message_dict
    with pytest.raises(ImportFailed) as failed:
        import_rows(alice, "facilities", {"name": "Mill", "country": "CN", "kind": "castle"})
    assert failed.value.errors[0].column == "kind"
