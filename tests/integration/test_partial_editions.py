"""The partial editions of 2026-12 (OFAC addresses, TIP single-country fills, more statements
on North Korean workers abroad): loaded with the bundled data and used by screening and risk."""

from datetime import date

import pytest
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.domain.nodes import NodeKey
from chainproof.domain.screening.matcher import ListEntry
from chainproof.reference.models import (
    Dataset,
    DprkLaborStatement,
    EntityAddress,
    EntityListEntry,
    TipPlacement,
)
from chainproof.reference.services import DatasetFile, ReferenceLoadError, datasets_load
from chainproof.risk.selectors import current_for
from chainproof.risk.services import risk_score_all
from chainproof.risk.snapshot import reference_facts
from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import entry_fingerprint, hit_decide, list_entries, screen
from chainproof.suppliers.services import facility_save, supplier_save

pytestmark = pytest.mark.django_db

TIP_HEADER = "report_year,country_name_source,iso2,iso3,tier,tier_code,source,year_coverage,note\n"


def test_the_bundled_load_includes_the_three_partial_editions(refdata):
    addresses = refdata["ofac_sdn_dprk_addresses"]
    assert addresses.row_count == 695
    assert addresses.as_of == date(2026, 6, 2)
    ofac = EntityListEntry.objects.filter(dataset=refdata["ofac_sdn_dprk"])
    entries = set(ofac.values_list("source_id", flat=True))
    assert len(entries) == 544
    places = EntityAddress.objects.filter(dataset=addresses)
    # Every address row belongs to an entry of the name list, and every entry has one.
    assert set(places.values_list("source_id", flat=True)) == entries
    with_country = set(places.exclude(iso2="").values_list("source_id", flat=True))
    assert len(with_country) == 396
    assert not ofac.exclude(iso2="").exists()  # the name list itself gives no country

    tips = TipPlacement.objects.filter(dataset=refdata["tip_tiers_additions"])
    assert tips.count() == 44
    assert sorted({t.report_year for t in tips}) == [2016, 2017, 2018, 2019, 2021, 2022, 2024]
    main = set(
        TipPlacement.objects.filter(dataset=refdata["tip_tiers"]).values_list("report_year", "iso2")
    )
    assert not main & set(tips.values_list("report_year", "iso2"))  # fills gaps only

    added = DprkLaborStatement.objects.filter(dataset=refdata["dprk_overseas_labor_additions"])
    assert added.count() == 8
    assert sorted(added.values_list("iso2", flat=True)) == ["KE", "MY"] + ["RU"] * 5 + ["TH"]


def test_namibia_keeps_its_code_na(refdata):
    namibian = EntityAddress.objects.filter(
        dataset=refdata["ofac_sdn_dprk_addresses"], source_id="22704"
    )
    assert {p.iso2 for p in namibian} == {"NA"}
    assert {p.country_name_source for p in namibian} == {"Namibia"}
    # A TIP addition for Namibia, read from a file, keeps NA as well.
    row = '2018,Namibia,NA,NAM,Tier 2,T2,https://example.org,single country,"PRIMARY TEXT | x"\n'
    with transaction.atomic():
        (outcome,) = datasets_load(
            [
                DatasetFile(
                    kind="tip_tiers_additions",
                    file_name="namibia.csv",
                    data=(TIP_HEADER + row).encode(),
                    edition="Namibia test",
                    as_of=date(2026, 12, 2),
                    source="test",
                )
            ]
        )
    assert TipPlacement.objects.get(dataset=outcome.dataset).iso2 == "NA"


def test_a_tip_addition_without_a_trust_label_is_refused(refdata):
    rows = "2019,India,IN,IND,Tier 2,T2,https://example.org,single country,a blog said so\n"
    with pytest.raises(ReferenceLoadError) as refused:
        datasets_load(
            [
                DatasetFile(
                    kind="tip_tiers_additions",
                    file_name="unlabelled.csv",
                    data=(TIP_HEADER + rows).encode(),
                    edition="Unlabelled",
                    as_of=date(2026, 12, 2),
                    source="test",
                )
            ]
        )
    (error,) = refused.value.errors
    assert (error.row, error.column) == (2, "note")
    assert "PRIMARY TEXT" in error.expected
    assert not Dataset.objects.filter(edition="Unlabelled").exists()


def test_ofac_entries_are_screened_with_their_countries_and_addresses(alice, refdata):
    entries, editions = list_entries(alice.organization.pk)
    ofac = [e for e in entries if e.list_code == "ofac_sdn_dprk"]
    assert len(ofac) == 544
    assert sum(1 for e in ofac if e.countries) == 396
    (mining,) = (e for e in ofac if e.names[0] == "KOREA MINING DEVELOPMENT TRADING CORPORATION")
    assert mining.countries == ("KP", "CN", "RU", "IR", "SY")  # in OFAC's address order
    assert mining.country == "KP"
    assert "Central District, Pyongyang" in mining.addresses
    assert "addresses: OFAC ADD.CSV no later than 2026-06-02" in editions["ofac_sdn_dprk"]


def _hit(org, node, name_part):
    return ScreeningHit.objects.get(
        organization=org,
        node_type=node.type_name,
        node_id=node.id,
        list_code="ofac_sdn_dprk",
        entry_name__icontains=name_part,
    )


def test_the_country_qualifier_works_for_ofac_hits(alice, refdata):
    org = alice.organization
    with transaction.atomic():
        same = supplier_save(
            organization=org.pk,
            actor=alice.user,
            data={"legal_name": "Korea Tangun Trading Corporation", "country": "KP"},
        )
        other = supplier_save(
            organization=org.pk,
            actor=alice.user,
            data={"legal_name": "Korea Tangun Trading Corp.", "country": "CN"},
        )
        second_country = supplier_save(
            organization=org.pk,
            actor=alice.user,
            data={"legal_name": "Korea Mining Development Trading Corporation", "country": "CN"},
        )
    screen(organization_id=org.pk, actor=alice.user)
    in_kp = _hit(org, NodeKey.supplier(same.pk), "TANGUN")
    in_cn = _hit(org, NodeKey.supplier(other.pk), "TANGUN")
    assert "same country KP" in in_kp.explanation
    assert "country CN vs KP" in in_cn.explanation
    assert in_kp.score > in_cn.score
    assert in_kp.entry_country == "KP"
    # An entry with addresses in two countries agrees with a supplier in either.
    mining = _hit(org, NodeKey.supplier(second_country.pk), "KOREA MINING")
    assert "same country CN" in mining.explanation
    assert "addresses: OFAC ADD.CSV" in mining.list_edition


def test_an_ofac_address_in_namibia_adds_to_the_score(alice, refdata):
    org = alice.organization
    with transaction.atomic():
        site = facility_save(
            organization=org.pk,
            actor=alice.user,
            data={
                "name": "Qingdao Construction Namibia",
                "country": "NA",
                "address": "ERF 338 Platinum Street, Prosperita, Windhoek",
            },
        )
    screen(organization_id=org.pk, actor=alice.user)
    hit = _hit(org, NodeKey.facility(site.pk), "QINGDAO")
    assert "same country NA" in hit.explanation
    assert "similar address" in hit.explanation


def test_a_facility_in_kenya_gets_the_host_country_factor_from_the_added_statement(alice, refdata):
    org = alice.organization
    with transaction.atomic():
        site = facility_save(
            organization=org.pk,
            actor=alice.user,
            data={"name": "Mombasa Road Works", "country": "KE"},
        )
    risk_score_all(organization_id=org.pk)
    assessment = current_for(org.pk, "facility", site.pk)
    host = next(r for r in assessment.reasons if r["factor"] == "dprk_host_country")
    assert "KE is reported to host North Korean workers" in host["evidence"]
    assert "Kenya, Malaysia and Thailand" in host["evidence"]
    assert host["source"].startswith("TIP narratives and news 2026-12")
    # A country the main list names keeps the main list's statement and edition.
    facts = reference_facts(org.pk, date.today())
    assert "RU" in facts.dprk_hosts
    assert "RU" not in facts.dprk_hosts_added
    assert {"KE", "MY", "TH"} <= facts.dprk_hosts_added


def _load_tip_additions(org, rows, edition):
    return datasets_load(
        [
            DatasetFile(
                kind="tip_tiers_additions",
                file_name=f"{edition}.csv",
                data=(TIP_HEADER + rows).encode(),
                edition=edition,
                as_of=date(2026, 12, 3),
                source="test",
            )
        ],
        organization=org,
    )


def test_tip_additions_fill_years_the_main_table_lacks_and_never_replace_it(alice, refdata):
    org = alice.organization
    main_2025 = TipPlacement.objects.get(dataset=refdata["tip_tiers"], iso2="KP", report_year=2025)
    with transaction.atomic():
        _load_tip_additions(
            org,
            # KP 2025 is in the main table (Tier 3): the addition's Tier 1 must not win.
            '2025,North Korea,KP,PRK,Tier 1,T1,https://example.org,x,"PRIMARY TEXT | test"\n'
            # TH 2026 is in no table: the addition fills it, with its trust label.
            "2026,Thailand,TH,THA,Tier 2 Watch List,T2WL,https://example.org,x,"
            '"SECONDARY (news); DERIVED from a statement | evidence: test"\n',
            "Org fills",
        )
    facts = reference_facts(org.pk, date(2026, 12, 6))
    assert facts.tip["KP"] == (2025, main_2025.tier_code) == (2025, "T3")
    assert "KP" not in facts.tip_trust
    assert facts.tip["TH"] == (2026, "T2WL")
    assert facts.tip_trust["TH"] == "secondary source: news or third-party page, derived"

    with transaction.atomic():
        site = facility_save(
            organization=org.pk, actor=alice.user, data={"name": "Rayong Plant", "country": "TH"}
        )
    risk_score_all(organization_id=org.pk)
    reason = next(
        r for r in current_for(org.pk, "facility", site.pk).reasons if r["factor"] == "tip_tier"
    )
    assert reason["evidence"] == (
        "Facility in TH; TIP 2026: Tier 2 Watch List "
        "(secondary source: news or third-party page, derived)"
    )
    assert reason["source"].startswith("Org fills")


def test_a_country_with_no_tier_is_unknown_not_unranked(alice, refdata):
    facts = reference_facts(alice.organization.pk, date(2026, 12, 6))
    assert "AQ" not in facts.tip
    with transaction.atomic():
        site = facility_save(
            organization=alice.organization.pk,
            actor=alice.user,
            data={"name": "Research Station", "country": "AQ"},
        )
    risk_score_all(organization_id=alice.organization.pk)
    reason = next(
        r
        for r in current_for(alice.organization.pk, "facility", site.pk).reasons
        if r["factor"] == "tip_tier"
    )
    assert "TIP tier unknown" in reason["evidence"]
    assert "not ranked" not in reason["evidence"]


def test_a_dismissed_ofac_hit_reopens_once_the_list_gives_the_entrys_country(alice, refdata):
    org = alice.organization
    with transaction.atomic():
        supplier = supplier_save(
            organization=org.pk,
            actor=alice.user,
            data={"legal_name": "Korea Tangun Trading Corporation", "country": "KP"},
        )
    screen(organization_id=org.pk, actor=alice.user)
    hit = _hit(org, NodeKey.supplier(supplier.pk), "TANGUN")
    hit_decide(hit=hit, actor=alice.user, status="dismissed", reason="another company")
    # As it was recorded before the address edition: the entry had no country.
    fingerprint_before = hit.entry_fingerprint
    listed = ListEntry(hit.entry_key, "ofac_sdn_dprk", tuple(hit.entry_names))
    ScreeningHit.objects.filter(pk=hit.pk).update(
        entry_country="", entry_fingerprint=entry_fingerprint(listed)
    )
    screen(organization_id=org.pk, actor=alice.user)
    hit.refresh_from_db()
    assert hit.status == "open"
    assert hit.entry_fingerprint == fingerprint_before
    reopened = AuditEvent.objects.filter(action="screening.hit_reopened", object_id=str(hit.pk))
    assert reopened.get().after["reason"] == "the list now gives the entry's country"
    # Screened again with nothing changed, a new dismissal holds.
    hit_decide(hit=hit, actor=alice.user, status="dismissed", reason="another company")
    screen(organization_id=org.pk, actor=alice.user)
    hit.refresh_from_db()
    assert hit.status == "dismissed"
