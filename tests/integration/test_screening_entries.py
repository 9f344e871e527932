"""The whole list entry in screening: each entity a WRO/Finding names is screened under its
own name with the order as the source; orders of every status are screened and their hits
carry the status (weighed less by the risk methodology when inactive); a status change
reopens a dismissed hit; near-identical hits of one record are decided together."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.domain.hashing import sha256_bytes
from chainproof.reference.models import WroFinding
from chainproof.risk.selectors import current_for
from chainproof.risk.services import risk_score_all
from chainproof.screening import selectors
from chainproof.screening.models import ScreeningHit, WatchlistEntry
from chainproof.screening.services import hits_decide, list_entries, screen
from chainproof.suppliers.services import supplier_save

pytestmark = pytest.mark.django_db

FUCHU = "Fuchu Prison; Union Kogyo Co., Ltd."
KINGTOM = "Kingtom Aluminio S.R.L."


def _suppliers(member, *names_and_countries):
    with transaction.atomic():
        return [
            supplier_save(
                organization=member.organization.pk,
                actor=member.user,
                data={"legal_name": name, "country": country},
            )
            for name, country in names_and_countries
        ]


def _hits(member, **filters):
    return ScreeningHit.objects.filter(organization=member.organization, **filters)


def test_each_entity_of_an_order_is_indexed_with_the_order_as_its_source(alice, refdata):
    entries = {e.title: e for e in list_entries(alice.organization.pk)[0] if e.title}
    fuchu = entries[FUCHU]
    assert fuchu.names == ("Fuchu Prison", "Union Kogyo Co., Ltd.")
    assert (fuchu.list_code, fuchu.status, fuchu.country) == ("cbp_wro", "Active", "JP")
    carpets = next(e for title, e in entries.items() if title.startswith("Kumar Carpet"))
    assert len(carpets.names) == 7
    assert carpets.status == "Partially Modified"
    # orders of every status are screened, their status kept
    assert entries[KINGTOM].status == "Inactive-Pending Litigation"
    statuses = {e.status for e in entries.values()}
    assert statuses == {"Active", "Partially Modified", "Inactive-Pending Litigation"}
    assert len(entries) == len({w.entity for w in WroFinding.objects.all()})
    # the lists without statuses
    others = [e for e in list_entries(alice.organization.pk)[0] if e.list_code != "cbp_wro"]
    assert others
    assert {e.status for e in others} == {""}


def test_a_record_named_like_one_entity_of_an_order_hits_the_order(alice, refdata):
    union, _prison = _suppliers(alice, ("Union Kogyo Co., Ltd.", "JP"), ("Fuchu Prison", "JP"))
    screen(organization_id=alice.organization.pk, actor=alice.user)
    order = WroFinding.objects.get(entity=FUCHU)
    hits = {h.node_name: h for h in _hits(alice, list_code="cbp_wro")}
    assert set(hits) == {"Union Kogyo Co., Ltd.", "Fuchu Prison"}
    for record, hit in hits.items():
        assert hit.entry_key == f"cbp_wro:{order.pk}"  # one order, the source of both
        assert hit.entry_name == record  # each under its own name
        assert float(hit.score) >= 0.95
        assert hit.entry_names == ["Fuchu Prison", "Union Kogyo Co., Ltd."]
        assert hit.details["entry_title"] == FUCHU
        assert hit.entry_status == "Active"
    union_hit = hits["Union Kogyo Co., Ltd."]
    assert union_hit.node_id == union.pk
    words = dict(map(tuple, union_hit.details["entry"]["words"]))
    assert words["union"] == "distinctive"
    assert words["kogyo"] == "generic"  # Japanese for "industry"
    assert words["ltd"] == "legal form"
    assert ["kogyo", "kogyo", 1.0] in union_hit.details["agreed"]


def test_an_inactive_order_is_screened_its_hit_carries_the_status_and_counts_half(alice, refdata):
    (kingtom,) = _suppliers(alice, ("Kingtom Aluminio SRL", "DO"))
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hit = _hits(alice, node_id=kingtom.pk, list_code="cbp_wro").get()
    assert hit.entry_name == KINGTOM
    assert hit.entry_status == "Inactive-Pending Litigation"
    assert hit.details["entry_status"] == "Inactive-Pending Litigation"
    risk_score_all(organization_id=alice.organization.pk)
    reasons = current_for(alice.organization.pk, "supplier", kingtom.pk).reasons
    (possible,) = [r for r in reasons if r["factor"] == "entity_list_possible"]
    assert possible["points"] == 7.5  # 15 (chainproof-default-4), counted half
    assert possible["evidence"].startswith(
        "CBP Withhold Release Orders and Findings: possible match, not yet reviewed with "
        "'Kingtom Aluminio S.R.L.'"
    )
    assert possible["evidence"].endswith("; entry inactive (pending litigation): counts half")


def test_a_status_change_reopens_a_dismissed_hit_and_says_why(alice, refdata):
    (kingtom,) = _suppliers(alice, ("Kingtom Aluminio SRL", "DO"))
    org = alice.organization.pk
    screen(organization_id=org, actor=alice.user)
    hit = _hits(alice, node_id=kingtom.pk, list_code="cbp_wro").get()
    with transaction.atomic():
        hits_decide(hits=[hit], actor=alice.user, status="dismissed", reason="Order inactive")
    assert screen(organization_id=org, actor=alice.user)["reopened"] == 0
    hit.refresh_from_db()
    assert hit.status == "dismissed"
    WroFinding.objects.filter(entity=KINGTOM).update(status="Active")
    assert screen(organization_id=org, actor=alice.user)["reopened"] == 1
    hit.refresh_from_db()
    assert (hit.status, hit.entry_status) == ("open", "Active")
    event = AuditEvent.objects.get(action="screening.hit_reopened", object_id=str(hit.pk))
    assert event.after == {
        "reason": "the entry's status changed from inactive (pending litigation) to active"
    }


def test_hits_on_entries_without_a_status_keep_their_fingerprint(alice, refdata):
    (huafu,) = _suppliers(alice, ("Aksu Huafu Textiles Co., Ltd.", "CN"))
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hits = list(_hits(alice, node_id=huafu.pk, list_code="uflpa"))
    assert hits
    for hit in hits:  # as computed before statuses were screened
        expected = sha256_bytes(repr((tuple(hit.entry_names), hit.entry_country)).encode())
        assert hit.entry_fingerprint == expected


@pytest.fixture
def huafu(alice, refdata):
    """One record with the same company listed three times: twice on the UFLPA list (two
    sections), once on the watchlist; and a different Huafu company listed too."""
    WatchlistEntry.objects.create(
        organization=alice.organization, name="Aksu Huafu Textiles Company Limited", country="CN"
    )
    (record,) = _suppliers(alice, ("Aksu Huafu Textiles Co., Ltd.", "CN"))
    screen(organization_id=alice.organization.pk, actor=alice.user)
    return record


def test_near_identical_hits_are_the_records_other_listings_of_the_entity(alice, huafu):
    hits = list(_hits(alice, node_id=huafu.pk).order_by("pk"))
    assert {h.entry_name for h in hits} >= {
        "Aksu Huafu Textiles Co., Ltd.",
        "Aksu Huafu Textiles Company Limited",
        "Xinjiang Huafu Textile Co., Ltd.",
    }
    first = next(h for h in hits if h.list_code == "uflpa" and h.entry_name.startswith("Aksu"))
    alike = selectors.near_identical_hits(first)
    assert sorted((h.list_code, h.entry_name) for h in alike) == [
        ("uflpa", "Aksu Huafu Textiles Co., Ltd."),
        ("watchlist", "Aksu Huafu Textiles Company Limited"),
    ]
    other = next(h for h in hits if h.entry_name == "Xinjiang Huafu Textile Co., Ltd.")
    assert other not in alike
    assert selectors.near_identical_hits(other) == []


def test_near_identical_hits_are_decided_together_one_audit_event_each(alice, huafu):
    first = _hits(alice, node_id=huafu.pk, entry_name="Aksu Huafu Textiles Co., Ltd.").first()
    together = [first, *selectors.near_identical_hits(first)]
    assert len(together) == 3
    with transaction.atomic():
        decided = hits_decide(
            hits=together, actor=alice.user, status="confirmed", reason="Our mill's parent"
        )
    assert [h.pk for h in decided] == [h.pk for h in together]
    for hit in together:
        hit.refresh_from_db()
        assert (hit.status, hit.reason, hit.reviewed_by) == (
            "confirmed",
            "Our mill's parent",
            alice.user,
        )
    events = AuditEvent.objects.filter(action="screening.hit_confirmed").order_by("pk")
    assert [e.object_id for e in events] == [str(h.pk) for h in together]
    for event, hit in zip(events, together, strict=True):
        assert sorted(event.after["decided_with"]) == sorted(
            h.pk for h in together if h.pk != hit.pk
        )
    # the different Huafu companies are still to review
    still_open = {h.entry_name for h in _hits(alice, node_id=huafu.pk, status="open")}
    assert "Xinjiang Huafu Textile Co., Ltd." in still_open
    assert not still_open & {h.entry_name for h in together}


def test_deciding_together_refuses_another_organizations_hit_and_writes_nothing(alice, bob, huafu):
    (theirs,) = _suppliers(bob, ("Aksu Huafu Textiles Co., Ltd.", "CN"))
    screen(organization_id=bob.organization.pk, actor=bob.user)
    foreign = _hits(bob, node_id=theirs.pk).first()
    mine = _hits(alice, node_id=huafu.pk).first()
    with (
        pytest.raises(ValidationError, match="not all of one organization"),
        transaction.atomic(),
    ):
        hits_decide(hits=[mine, foreign], actor=alice.user, status="dismissed", reason="x")
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert (mine.status, foreign.status) == ("open", "open")
    assert not AuditEvent.objects.filter(action="screening.hit_dismissed").exists()
    with pytest.raises(ValidationError, match="Say why"), transaction.atomic():
        hits_decide(hits=[mine], actor=alice.user, status="dismissed", reason=" ")
    with pytest.raises(ValidationError, match="at least one"), transaction.atomic():
        hits_decide(hits=[], actor=alice.user, status="confirmed", reason="")
