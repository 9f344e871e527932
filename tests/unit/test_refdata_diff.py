"""The diff of two editions of a reference list (domain/refdata_diff.py)."""

from datetime import date

from chainproof.domain.refdata_diff import EditionDiff, edition_diff


def ofac(ent_num, name, aliases=(), programs=("DPRK",)):
    return {
        "ent_num": ent_num,
        "name": name,
        "type": "entity",
        "programs": list(programs),
        "alternate_names": list(aliases),
    }


def wro(entity, when, status="Active", merchandise="Cotton", aliases=()):
    return {
        "effective_date": when,
        "country_name_source": "China",
        "iso2": "CN",
        "status": status,
        "type": "WRO",
        "entity": entity,
        "aliases": list(aliases),
        "merchandise": merchandise,
    }


OLD = [
    ofac(1, "KOREA ONE TRADING", ["ONE TRADING CO"]),
    ofac(2, "KOREA TWO CORP"),
    ofac(3, "KOREA THREE BANK"),
    ofac(4, "KOREA FOUR SHIPPING", ["FOUR LINE"]),
]


def test_no_change_is_empty_and_says_so():
    diff = edition_diff("ofac_sdn_dprk", OLD, [dict(r) for r in reversed(OLD)])
    assert diff.is_empty
    assert diff.unchanged == 4
    assert diff.summary() == "no changes (4 entries)"
    assert set(diff.counts().values()) == {0}


def test_add_remove_rename_and_aliases_change_one_entry_each():
    new = [
        ofac(1, "KOREA ONE TRADING GROUP", ["ONE TRADING CO"]),  # renamed, same ent_num
        ofac(2, "KOREA TWO CORP"),
        ofac(4, "KOREA FOUR SHIPPING", ["FOUR LINE", "FOUR SEAS"]),  # alias added
        ofac(5, "KOREA FIVE MINING"),  # added; 3 removed
    ]
    diff = edition_diff("ofac_sdn_dprk", OLD, new)
    assert diff.added == ("KOREA FIVE MINING (entry 5)",)
    assert diff.removed == ("KOREA THREE BANK (entry 3)",)
    assert [(c.old_name, c.new_name) for c in diff.renamed] == [
        ("KOREA ONE TRADING", "KOREA ONE TRADING GROUP")
    ]
    assert [c.aliases_added for c in diff.aliases_changed] == [("FOUR SEAS",)]
    assert diff.counts() == {
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "aliases_changed": 1,
        "status_changed": 0,
        "fields_changed": 0,
    }
    assert diff.unchanged == 1
    text = diff.text()
    assert "1 added, 1 removed, 1 renamed, 1 with aliases changed" in text
    assert "renamed from 'KOREA ONE TRADING' to 'KOREA ONE TRADING GROUP'" in text
    assert "aliases added: FOUR SEAS" in text


def test_a_wro_status_change_and_a_renamed_wro_matched_by_date_and_merchandise():
    old = [
        wro("Yunnan Machinery", date(1991, 11, 14), merchandise="Diesel Engines"),
        wro("Hetian Haolin", date(2020, 9, 30), merchandise="Hair products"),
        wro("Lingwood Garments", date(2021, 1, 13), merchandise="Gloves"),
    ]
    new = [
        wro("Yunnan Machinery", date(1991, 11, 14), status="Revoked", merchandise="Diesel Engines"),
        wro("Hetian Haolin Hair Accessories", date(2020, 9, 30), merchandise="Hair products"),
        wro("Lingwood Garments", date(2021, 1, 13), merchandise="Gloves and mittens"),
    ]
    diff = edition_diff("cbp_wro_findings", old, new)
    assert not diff.added
    assert not diff.removed
    [status] = diff.status_changed
    assert (status.old_status, status.new_status) == ("Active", "Revoked")
    assert "status Active → Revoked" in status.describe()
    [renamed] = diff.renamed
    assert renamed.old_name == "Hetian Haolin"
    [other] = diff.fields_changed
    assert other.fields[0].column == "merchandise"
    assert str(other.fields[0]) == "merchandise: Gloves → Gloves and mittens"


def test_a_uflpa_entry_renamed_is_matched_by_its_aliases():
    def uflpa(name, aliases):
        return {"section": "i", "primary_name": name, "aliases": aliases, "iso2": "CN"}

    old = [uflpa("Hoshine Silicon Industry (Shanshan) Co., Ltd", ["Hesheng Silicon"])]
    new = [uflpa("Hoshine Silicon Industry Co., Ltd.", ["Hesheng Silicon", "Hoshine Shanshan"])]
    diff = edition_diff("uflpa_entity_list", old, new)
    assert not diff.added
    assert not diff.removed
    [change] = diff.changed
    assert change.renamed
    assert change.aliases_added == ("Hoshine Shanshan",)


def test_names_that_differ_only_in_case_and_punctuation_are_the_same_entry():
    old = [{"primary_name": "Acme Co., Ltd.", "aliases": [], "section": "i"}]
    new = [{"primary_name": "ACME CO LTD", "aliases": [], "section": "i"}]
    diff = edition_diff("uflpa_entity_list", old, new)
    assert [c.renamed for c in diff.changed] == [True]  # same entry, its spelling changed
    assert not diff.added
    assert not diff.removed


def test_ambiguous_overlaps_are_not_guessed():
    def uflpa(name, aliases):
        return {"section": "i", "primary_name": name, "aliases": aliases}

    old = [uflpa("Alpha One", ["Shared"]), uflpa("Alpha Two", ["Shared"])]
    new = [uflpa("Alpha Three", ["Shared"])]
    diff = edition_diff("uflpa_entity_list", old, new)
    assert diff.added == ("Alpha Three (section i of the list)",)
    assert len(diff.removed) == 2


def test_the_diff_round_trips_through_json_and_lists_at_most_the_examples():
    old = [ofac(n, f"NAME {n}") for n in range(1, 30)]
    diff = edition_diff("ofac_sdn_dprk", old, [])
    again = EditionDiff.from_dict(diff.as_dict())
    assert again == diff
    assert "… and 19 more" in diff.text(limit=10)
    assert diff.summary().startswith("29 removed")


def test_a_column_only_one_side_has_is_not_compared():
    old = [{"report_year": 2024, "iso2": "KP", "tier": "Tier 3", "tier_code": "T3"}]
    new = [{"report_year": 2024, "iso2": "KP", "tier": "Tier 3", "tier_code": "T3", "iso3": "PRK"}]
    assert edition_diff("tip_tiers", old, new).is_empty
