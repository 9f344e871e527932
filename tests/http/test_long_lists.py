"""Long lists: a list is counted only as far as the page needs (then "more than N rows"
with a Next link, every row still reachable), and a list's country filter offers exactly
the countries in use, read by skipping through the index."""

from datetime import UTC, datetime

import pytest

from chainproof.bulk import insert_values
from chainproof.common import paging
from chainproof.suppliers.models import Facility, Supplier
from chainproof.suppliers.selectors import countries_in_use

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _suppliers(org, count, countries=("CN", "VN", "TR")):
    columns = ["organization_id", "ref", "legal_name", "normalized_name", "country"]
    columns += ["created_at", "updated_at"]
    rows = (
        [org.pk, f"S{i:04d}", f"Supplier {i:04d}", f"supplier {i:04d}", countries[i % 3], NOW, NOW]
        for i in range(count)
    )
    insert_values(Supplier, columns, rows)


def _names(response):
    text = response.content.decode()
    return sorted({part.split("<", 1)[0] for part in text.split("Supplier ")[1:]})


def test_a_list_longer_than_it_is_counted_says_more_than_and_pages_on_to_its_end(
    csrf_client, alice, monkeypatch
):
    monkeypatch.setattr(paging, "COUNT_UP_TO", 60)
    _suppliers(alice.organization, 130)
    csrf_client.sign_in(alice)

    first = csrf_client.get("/suppliers/")
    text = first.content.decode()
    # Counted to the page after this one (100 rows): more than that, so no total is claimed.
    assert "Page 1 · more than 100 rows" in text
    assert "of 130" not in text
    assert 'rel="next"' in text

    second = csrf_client.get("/suppliers/?page=2").content.decode()
    assert "Page 2 · more than 150 rows" not in second  # 150 >= 130: counted exactly
    assert "Page 2 of 3 · 130 rows" in second

    last = csrf_client.get("/suppliers/?page=3").content.decode()
    assert "Page 3 of 3 · 130 rows" in last
    assert 'rel="next"' not in last
    assert "Supplier 0129" in last

    seen = set()
    for number in (1, 2, 3):
        seen |= set(_names(csrf_client.get(f"/suppliers/?page={number}")))
    assert len(seen) == 130


def test_a_list_within_the_count_says_its_total(csrf_client, alice):
    _suppliers(alice.organization, 70)
    csrf_client.sign_in(alice)
    text = csrf_client.get("/suppliers/?country=CN").content.decode()
    # 70 suppliers, one in three in China: 24 rows, one page.
    assert "24 rows" in text
    assert "more than" not in text


def test_the_country_filter_offers_exactly_the_countries_in_use(csrf_client, alice, bob):
    _suppliers(alice.organization, 9, countries=("VN", "CN", "BD"))
    _suppliers(bob.organization, 3, countries=("MX", "US", "TR"))
    assert countries_in_use(Supplier, alice.organization.pk) == ["BD", "CN", "VN"]
    assert countries_in_use(Supplier, bob.organization.pk) == ["MX", "TR", "US"]
    assert countries_in_use(Facility, alice.organization.pk) == []
    Facility.objects.create(
        organization=alice.organization, name="Mill", normalized_name="mill", country="KH"
    )
    assert countries_in_use(Facility, alice.organization.pk) == ["KH"]

    csrf_client.sign_in(alice)
    text = csrf_client.get("/suppliers/").content.decode()
    for code in ("BD", "CN", "VN"):
        assert f'value="{code}"' in text
    assert 'value="MX"' not in text
