"""What kind of thing a list entry is, in words: a vessel is called a vessel."""

from chainproof.domain.screening.entries import entry_kind_words, wro_entry_kind


def test_an_order_on_one_ship_is_a_vessel_and_an_owner_of_ships_is_not():
    assert wro_entry_kind("Fishing Vessel: Lien Yi Hsing No. 12") == "vessel"
    assert wro_entry_kind("Vessel: Da Wang") == "vessel"
    assert wro_entry_kind("Fishing Vessels owned by Dalian Ocean Fishing Co. Ltd.") == ""
    assert wro_entry_kind("Hoshine Silicon Industry Co. Ltd.") == ""


def test_kinds_a_list_states_are_words_and_an_entity_is_not_called_out():
    assert entry_kind_words("vessel") == "Vessel"
    assert entry_kind_words("Individual") == "Individual"
    assert entry_kind_words("aircraft") == "Aircraft"
    assert entry_kind_words("entity") == ""
    assert entry_kind_words("") == ""
