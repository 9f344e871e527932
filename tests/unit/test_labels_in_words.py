"""Labels a person reads are words: a sentence ends with one full stop, a presumption's
status reads as words."""

from chainproof.domain.text import sentence
from chainproof.risk.templatetags.risk import presumption_words


def test_a_name_ending_in_a_full_stop_gets_no_second_one():
    assert sentence("Saved Acme Co., Ltd.") == "Saved Acme Co., Ltd."
    assert sentence("Saved Acme GmbH") == "Saved Acme GmbH."
    assert sentence("Saved?  ") == "Saved?"


def test_presumption_status_in_words():
    assert presumption_words("may_apply") == "may apply"
    assert presumption_words("does_not_apply") == "does not apply"
    assert presumption_words("applies") == "applies"


def test_a_change_in_a_records_history_names_the_fields_in_words():
    from types import SimpleNamespace

    from chainproof.common.templatetags.chainproof import changed_words

    created = SimpleNamespace(before=None, after={"id": 1, "legal_name": "Acme"})
    assert changed_words(created) == ""
    edited = SimpleNamespace(
        before={"legal_name": "Acme", "country": "CN", "normalized_name": "acme", "tier": 1},
        after={"legal_name": "Acme Ltd", "country": "CN", "normalized_name": "acme ltd", "tier": 2},
    )
    assert changed_words(edited) == "legal name, tier"
