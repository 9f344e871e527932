"""The supply-chain map of a product: the risk path drawn on it, and its downloads as an
SVG document (title, legend, nodes, the path) and as a PNG picture."""

import html
import io
import re

import defusedxml.ElementTree as ET
import pytest
from PIL import Image

from chainproof.risk.models import RiskAssessment
from chainproof.risk.services import risk_score_all
from chainproof.suppliers.models import Facility, Product
from tests.supply import load_demo

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def scored(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


def _solar(member):
    return Product.objects.get(organization=member.organization, sku="SOL-MOD-400")


def _shihezi(member):
    return Facility.objects.get(organization=member.organization, ref="F-CN-05")


def _path_words(page):
    return html.unescape(re.search(r'id="map-path-words"[^>]*>([^<]*)<', page).group(1))


def _source_of(page):
    """The node the page's sentence names as setting the score."""
    return _path_words(page).rsplit(". ", 1)[1].removesuffix(" sets the score.")


def _own_points_set_the_score(member, name):
    facility = Facility.objects.get(organization=member.organization, name=name)
    assessment = RiskAssessment.objects.get(
        node_type="facility", node_id=facility.pk, is_current=True
    )
    return assessment.score == assessment.own_score and assessment.score > 0


def _nodes(root):
    return {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("data-node")}


def test_a_presumption_that_applies_leads_the_path_to_the_worksite_that_makes_it_apply(
    csrf_client, scored
):
    """The solar module is at the top because the UFLPA presumption applies (polysilicon
    from Shihezi, Xinjiang): its path leads there, not to the highest score on the way."""
    csrf_client.sign_in(scored)
    solar = _solar(scored)
    assert (
        RiskAssessment.objects.get(
            node_type="product", node_id=solar.pk, is_current=True
        ).uflpa_status
        == "applies"
    )
    page = csrf_client.get(f"/suppliers/products/{solar.pk}/").content.decode()
    assert 'id="chain-map"' in page
    assert "Show the risk path of" in page
    words = _path_words(page)
    assert words.startswith(
        "Risk path: Monocrystalline solar module 400 W (critical · 100) ← Penang"
    )
    assert words.endswith("Tianshan Polysilicon Shihezi Plant makes the UFLPA presumption apply.")
    assert "Sets the score · critical" in page
    assert page.count('class="edge on-path"') >= 2
    assert "chainproof/map.js" in page
    assert "chainproof/map.css" in page
    assert "<style" not in page.split('id="chain-map"')[1].split("</svg>")[0]


def test_the_path_of_another_node_is_chosen_by_the_query(csrf_client, scored):
    csrf_client.sign_in(scored)
    solar, shihezi = _solar(scored), _shihezi(scored)
    page = csrf_client.get(
        f"/suppliers/products/{solar.pk}/", {"path": f"f:{shihezi.pk}"}
    ).content.decode()
    assert f'<option value="f:{shihezi.pk}" selected>' in page
    assert f"{shihezi.name} (critical · " in page
    assert "its own points set the score, not its suppliers." in page
    assert 'class="edge on-path"' not in page
    # a key that is not on the map falls back to the product's path
    fallback = csrf_client.get(
        f"/suppliers/products/{solar.pk}/", {"path": "f:999999"}
    ).content.decode()
    assert '<option value="importer" selected>' in fallback
    assert "Risk path: Monocrystalline solar module 400 W" in fallback


def test_svg_download_is_a_document_with_title_legend_nodes_and_the_path(csrf_client, scored):
    csrf_client.sign_in(scored)
    solar = _solar(scored)
    response = csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="SOL-MOD-400-supply-chain.svg"'
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert int(root.get("width")) >= 760
    assert int(root.get("height")) > 300
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Supply chain of Monocrystalline solar module 400 W (SOL-MOD-400)"
    assert "Legend" in texts
    assert any(t.startswith("Risk path: thick dashed line") for t in texts)
    assert any(t.startswith("Risk path: Monocrystalline") for t in texts)
    style = root.find(f"{SVG}style")
    assert style is not None
    assert ".edge.on-path" in style.text
    nodes = _nodes(root)
    assert len(nodes) >= 6
    sources = [key for key, g in nodes.items() if "path-source" in g.get("class")]
    assert len(sources) == 1
    assert sources[0].startswith("f:")
    assert "on-path" in nodes["importer"].get("class")
    source = nodes[sources[0]].get("data-name")
    assert source == "Tianshan Polysilicon Shihezi Plant"
    assert f"{source} makes the UFLPA presumption apply." in " ".join(texts)
    on_path = [p for p in root.iter(f"{SVG}path") if "on-path" in (p.get("class") or "")]
    assert len(on_path) >= 2
    assert not list(root.iter(f"{SVG}a"))  # no links to the app inside the file


def test_png_download_is_a_picture_of_the_map(csrf_client, scored):
    csrf_client.sign_in(scored)
    solar = _solar(scored)
    svg = csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg")
    width = int(ET.fromstring(svg.content).get("width"))
    response = csrf_client.get(f"/suppliers/products/{solar.pk}/map.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="SOL-MOD-400-supply-chain.png"'
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    picture = Image.open(io.BytesIO(response.content))
    assert abs(picture.width - 2 * width) <= 4
    assert picture.height > 600
    # something is drawn: not a blank page
    colours = picture.convert("L").getcolors(maxcolors=1_000_000)
    assert colours is not None
    assert len(colours) > 20


def test_map_file_of_another_organization_or_format_is_not_found(csrf_client, scored, victor, bob):
    solar = _solar(scored)
    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg").status_code == 404
    csrf_client.sign_in(victor)  # a viewer may download it
    assert csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg").status_code == 200
    csrf_client.sign_in(scored)
    assert csrf_client.get(f"/suppliers/products/{solar.pk}/map.pdf").status_code == 404


def test_map_without_scores_says_so(csrf_client, alice, refdata):
    load_demo(alice.organization)
    csrf_client.sign_in(alice)
    page = csrf_client.get(f"/suppliers/products/{_solar(alice).pk}/").content.decode()
    assert "No risk path: nothing on this map has been scored yet." in page
    assert 'class="edge on-path"' not in page


def test_a_long_chain_draws_its_riskiest_records_each_with_its_way_to_the_product(
    csrf_client, scored, monkeypatch
):
    """Beyond MAP_DRAWN_UP_TO records the map draws that many: from the product upstream,
    always the riskiest record that supplies one drawn; the page says how many of how many
    and where the rest are."""
    from chainproof.suppliers import selectors

    csrf_client.sign_in(scored)
    solar = _solar(scored)
    whole = ET.fromstring(csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg").content)
    everything = _records(whole)
    assert len(everything) >= 6
    page = csrf_client.get(f"/suppliers/products/{solar.pk}/").content.decode()
    assert 'id="map-drawn"' not in page  # all drawn

    monkeypatch.setattr(selectors, "MAP_DRAWN_UP_TO", 4)
    page = csrf_client.get(f"/suppliers/products/{solar.pk}/").content.decode()
    assert f"Drawn: 4 of the {len(everything)} records in this product" in page
    root = ET.fromstring(csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg").content)
    drawn = _records(root)
    assert len(drawn) == 4
    assert drawn < everything
    # Each drawn record reaches the product through drawn records only.
    edges = _edges(root)
    assert {a for a, _ in edges} | {b for _, b in edges} <= set(_nodes(root))
    reached = {"importer"}
    while more := {a for a, b in edges if b in reached} - reached:
        reached |= more
    assert drawn <= reached
    # The riskiest record supplying the product directly is drawn; so is the worksite that
    # makes the UFLPA presumption apply (the riskiest branch), and the path to it.
    scores = {
        f"{a.node_type[0]}:{a.node_id}": float(a.score)
        for a in RiskAssessment.objects.filter(organization=scored.organization, is_current=True)
    }
    direct = {a for a, b in _edges(whole) if b == "importer" and a in everything}
    riskiest = max(direct, key=lambda key: (scores.get(key, 0), key))
    assert riskiest in drawn
    # Drawn first, the riskiest record that supplies the product directly; at one record,
    # that one alone.
    monkeypatch.setattr(selectors, "MAP_DRAWN_UP_TO", 1)
    one = ET.fromstring(csrf_client.get(f"/suppliers/products/{solar.pk}/map.svg").content)
    assert _records(one) == {riskiest} or scores.get(next(iter(_records(one))), 0) == scores.get(
        riskiest, 0
    )


def _records(root) -> set[str]:
    """The suppliers and worksites a map draws (not the importer, not the unknown gaps)."""
    return {
        key
        for key, g in _nodes(root).items()
        if key != "importer" and "node-gap" not in (g.get("class") or "")
    }


def _edges(root) -> list[tuple[str, str]]:
    return [
        (p.get("data-from"), p.get("data-to"))
        for p in root.iter(f"{SVG}path")
        if p.get("data-from")
    ]
