"""Long lists: a list is counted only as far as the page needs (then "more than N rows"
with a Next link, every row still reachable), and a list's country filter offers exactly
the countries in use, read by skipping through the index."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chainproof.bulk import insert_values
from chainproof.common import paging
from chainproof.suppliers.models import Facility, Supplier
from chainproof.suppliers.selectors import countries_in_use

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LINK_REST = [False, False, NOW, NOW, "", ""]  # a generated link's other columns


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
    monkeypatch.setattr(paging, "COUNT_UP_TO", 120)
    _suppliers(alice.organization, 130)
    csrf_client.sign_in(alice)

    with CaptureQueriesContext(connection) as captured:
        first = csrf_client.get("/suppliers/")
    text = first.content.decode()
    # Counted to 121 rows, no further: more than 120, so no total is claimed.
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 121" in counts[0]
    assert "Page 1 · more than 120 rows" in text
    assert "130" not in text.split('class="pagination"', 1)[1]
    assert 'rel="next"' in text

    # Page 3 asks for a count up to page 4 (200 rows): the 130 are counted exactly.
    last = csrf_client.get("/suppliers/?page=3").content.decode()
    assert "Page 3 of 3 · 130 rows" in last
    assert 'rel="next"' not in last
    assert "Supplier 0129" in last

    seen = set()
    for number in (1, 2, 3):
        seen |= set(_names(csrf_client.get(f"/suppliers/?page={number}")))
    assert len(seen) == 130


@pytest.mark.parametrize("page", ["0", "-3", "x", "99999999999999999999", "184467440737095516"])
def test_a_page_number_out_of_range_gives_a_whole_page_never_an_error(
    csrf_client, alice, monkeypatch, page
):
    monkeypatch.setattr(paging, "COUNT_UP_TO", 60)
    _suppliers(alice.organization, 130)
    csrf_client.sign_in(alice)
    response = csrf_client.get(f"/suppliers/?page={page}")
    assert response.status_code == 200
    text = response.content.decode()
    if page in ("0", "-3", "x"):
        assert "Page 1 ·" in text  # the first page, 50 rows
        assert len(_names(response)) == 50
    else:
        assert "Page 3 of 3 · 130 rows" in text  # the last page, its 30 rows
        assert len(_names(response)) == 30


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


def test_the_links_are_paged_by_their_ids_then_read_with_what_they_name(csrf_client, alice):
    """The supply links' list cuts its page from the links' ids, in order, then reads only
    that page's links with the worksites and suppliers they name: every link once, in
    order, across the pages, and no join of every link (one query of ids, one of rows)."""
    from chainproof.suppliers.models import Material, SupplyLink

    _suppliers(alice.organization, 3)
    suppliers = list(Supplier.objects.filter(organization=alice.organization).order_by("pk"))
    cotton = Material.objects.create(
        organization=alice.organization, name="Cotton", normalized_name="cotton"
    )
    columns = ["organization_id", "source_supplier_id", "target_supplier_id", "material_id"]
    columns += ["source_unknown", "target_importer", "created_at", "updated_at"]
    columns += ["evidence_refs", "notes"]
    sources = [suppliers[i % 3] for i in range(120)]
    insert_values(
        SupplyLink,
        columns,
        (
            [alice.organization.pk, a.pk, suppliers[(i + 1) % 3].pk, cotton.pk, *LINK_REST]
            for i, a in enumerate(sources)
        ),
    )
    csrf_client.sign_in(alice)
    listed: list[int] = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            page = csrf_client.get(f"/suppliers/links/?page={number}").content.decode()
        joined = [
            q["sql"]
            for q in captured.captured_queries
            if "JOIN" in q["sql"].upper() and "suppliers_supplylink" in q["sql"]
        ]
        assert len(joined) == 1
        assert " IN (" in joined[0]  # the page's links, by id
        rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
        listed += [int(re.search(r'href="/suppliers/(\d+)/"', row).group(1)) for row in rows]
    assert listed == [s.pk for s in sources]
