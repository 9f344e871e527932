import csv
import hashlib
from datetime import date

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from chainproof.audit.models import AuditEvent
from chainproof.reference.models import (
    Country,
    Dataset,
    DprkLaborStatement,
    EntityAddress,
    EntityListEntry,
    GoodEntry,
    IloIndicator,
    TipPlacement,
    WroFinding,
)
from chainproof.reference.selectors import current_dataset
from chainproof.reference.services import (
    BUNDLED_DIR,
    BUNDLED_MANIFEST,
    DatasetFile,
    ReferenceLoadError,
    datasets_load,
    read_manifest,
)

pytestmark = pytest.mark.django_db

MODEL_FOR = {
    "countries": (Country, {}),
    "tip_tiers": (TipPlacement, {}),
    "dol_goods": (GoodEntry, {}),
    "cbp_wro_findings": (WroFinding, {}),
    "uflpa_entity_list": (EntityListEntry, {"list_code": "uflpa"}),
    "ofac_sdn_dprk": (EntityListEntry, {"list_code": "ofac_sdn_dprk"}),
    "dprk_overseas_labor": (DprkLaborStatement, {}),
    "ilo_indicators": (IloIndicator, {}),
    "tip_tiers_additions": (TipPlacement, {}),
    "ofac_sdn_dprk_addresses": (EntityAddress, {"list_code": "ofac_sdn_dprk"}),
    "dprk_overseas_labor_additions": (DprkLaborStatement, {}),
}


def csv_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_bundled_dataset_is_loaded_with_the_files_row_counts_and_checksums(refdata):
    manifest = yaml.safe_load(BUNDLED_MANIFEST.read_text())["datasets"]
    assert {entry["kind"] for entry in manifest} == set(MODEL_FOR)
    for entry in manifest:
        path = BUNDLED_DIR / entry["file"]
        dataset = refdata[entry["kind"]]
        model, extra = MODEL_FOR[entry["kind"]]
        expected_rows = len(csv_rows(path))
        assert dataset.row_count == expected_rows, entry["kind"]
        assert model.objects.filter(dataset=dataset, **extra).count() == expected_rows
        assert dataset.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert dataset.edition == entry["edition"]
        assert dataset.source


def test_bundled_files_are_the_shared_reference_data_unchanged():
    shared = BUNDLED_DIR.parents[4] / "shared" / "data"  # ../shared beside the checkout
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    for entry in yaml.safe_load(BUNDLED_MANIFEST.read_text())["datasets"]:
        if entry["kind"] == "countries":
            continue
        bundled = (BUNDLED_DIR / entry["file"]).read_bytes()
        original = shared / entry["file"]
        if not original.exists():  # the partial editions of 2026-12
            original = shared / "updates" / entry["file"]
        assert bundled == original.read_bytes(), entry["file"]


def test_reference_facts_are_queryable(refdata):
    tip = TipPlacement.objects.get(dataset=refdata["tip_tiers"], iso2="KP", report_year=2025)
    assert tip.tier_code == "T3"
    cotton = GoodEntry.objects.get(dataset=refdata["dol_goods"], good="Cotton", iso2="CN")
    assert cotton.forced_labor
    xpcc = EntityListEntry.objects.filter(
        dataset=refdata["uflpa_entity_list"], primary_name__icontains="Production and Construction"
    )
    assert xpcc.exists()
    assert Country.objects.get(dataset=refdata["countries"], alpha2="XK").code_status == (
        "user-assigned"
    )


def test_loading_again_changes_nothing(refdata):
    before = Dataset.objects.count(), AuditEvent.objects.count()
    outcomes = datasets_load(read_manifest(BUNDLED_MANIFEST))
    assert not any(o.created for o in outcomes)
    assert (Dataset.objects.count(), AuditEvent.objects.count()) == before


def _tip_file(refdata, edition, as_of, mutate=None, name="tip.csv"):
    path = BUNDLED_DIR / "tip_tier_placements.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if mutate:
        lines = mutate(lines)
    return DatasetFile(
        kind="tip_tiers",
        file_name=name,
        data="".join(lines).encode(),
        edition=edition,
        as_of=as_of,
        source="test",
    )


def test_a_second_edition_loads_beside_the_first_and_as_of_picks_the_current(refdata):
    first = refdata["tip_tiers"]

    def only_2025_kp_tier2(lines):
        header = lines[0]
        kept = [line for line in lines[1:] if line.startswith("2025,")]
        kept = [line.replace("Tier 3,T3", "Tier 2,T2") if ",KP," in line else line for line in kept]
        return [header, *kept]

    second = datasets_load(
        [_tip_file(refdata, "TIP 2026 (test)", date(2026, 6, 30), only_2025_kp_tier2)]
    )[0].dataset
    assert Dataset.objects.filter(kind="tip_tiers").count() == 2
    assert TipPlacement.objects.filter(dataset=first).count() == first.row_count
    assert current_dataset("tip_tiers", on=date(2026, 7, 1)) == second
    assert current_dataset("tip_tiers", on=date(2026, 1, 1)) == first
    assert current_dataset("tip_tiers", on=date(2020, 1, 1)) is None
    kp = TipPlacement.objects.get(dataset=second, iso2="KP", report_year=2025)
    assert kp.tier_code == "T2"
    assert TipPlacement.objects.get(dataset=first, iso2="KP", report_year=2025).tier_code == "T3"


def test_one_bad_row_loads_nothing_and_names_the_row(refdata):
    def break_row_100(lines):
        lines = list(lines)
        lines[99] = lines[99].replace(",Tier ", ",Tear ", 1)
        return lines

    counts = Dataset.objects.count(), TipPlacement.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ReferenceLoadError) as info:
        datasets_load([_tip_file(refdata, "broken", date(2026, 1, 1), break_row_100)])
    assert [(e.row, e.column) for e in info.value.errors] == [(100, "tier")]
    assert "row 100, column tier" in str(info.value)
    assert (
        Dataset.objects.count(),
        TipPlacement.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_a_manifest_with_one_bad_file_loads_none_of_its_files(refdata, tmp_path):
    (tmp_path / "good.csv").write_text(
        "indicator_number,indicator,description_paraphrased\n1,Abuse of vulnerability,x\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.csv").write_text("report_year,iso2\n2025,CN\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        yaml.safe_dump(
            {
                "datasets": [
                    {
                        "kind": "ilo_indicators",
                        "file": "good.csv",
                        "edition": "x1",
                        "as_of": "2026-01-01",
                        "source": "test",
                    },
                    {
                        "kind": "tip_tiers",
                        "file": "bad.csv",
                        "edition": "x2",
                        "as_of": "2026-01-01",
                        "source": "test",
                    },
                ]
            }
        )
    )
    before = Dataset.objects.count()
    with pytest.raises(ReferenceLoadError, match=r"bad\.csv"):
        datasets_load(read_manifest(tmp_path / "m.yaml"))
    assert Dataset.objects.count() == before


def test_same_edition_from_a_different_file_is_refused(refdata):
    def drop_last(lines):
        return lines[:-1]

    with pytest.raises(ReferenceLoadError, match="already loaded from a different file"):
        datasets_load(
            [_tip_file(refdata, refdata["tip_tiers"].edition, date(2025, 9, 29), drop_last)]
        )


def test_refdata_command_reports_row_errors_and_exits_nonzero(refdata, tmp_path):
    bad = tmp_path / "tip.csv"
    bad.write_text(
        "report_year,country_name_source,iso2,iso3,tier,tier_code,source,year_coverage,note\n"
        "2026,Atlantis,QQ,,Tier 1,T1,,,\n",
        encoding="utf-8",
    )
    before = Dataset.objects.count()
    with pytest.raises(CommandError) as info:
        call_command(
            "refdata",
            "load",
            str(bad),
            "--kind",
            "tip_tiers",
            "--edition",
            "e",
            "--as-of",
            "2026-01-01",
            "--source",
            "test",
        )
    assert "nothing was loaded" in str(info.value)
    assert "row 2, column iso2" in str(info.value)
    assert Dataset.objects.count() == before


def test_refdata_command_needs_provenance_for_csv(tmp_path):
    with pytest.raises(CommandError, match="needs --kind, --edition, --as-of, --source"):
        call_command("refdata", "load", str(tmp_path / "x.csv"))


def test_refdata_command_missing_file(refdata, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command(
            "refdata",
            "load",
            str(tmp_path / "missing.csv"),
            "--kind",
            "tip_tiers",
            "--edition",
            "e",
            "--as-of",
            "2026-01-01",
            "--source",
            "s",
        )


def test_non_country_dataset_without_countries_is_refused(db):
    Country.objects.all().delete()
    with pytest.raises(ReferenceLoadError, match="load the countries dataset first"):
        datasets_load(
            [
                DatasetFile(
                    kind="tip_tiers",
                    file_name="t.csv",
                    data=b"x",
                    edition="z",
                    as_of=date(2026, 1, 1),
                    source="s",
                )
            ]
        )
