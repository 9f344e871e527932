"""A product's supply-chain map with its risk drawn on it: each node's current score in
words, and the path from a chosen node (the product by default) up to the node whose own
points set its score, which is what makes the product risky."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from chainproof.domain.map_layout import risk_path
from chainproof.domain.nodes import IMPORTER, NodeKey
from chainproof.suppliers.lookups import risk_scores
from chainproof.suppliers.models import Product
from chainproof.suppliers.selectors import MapNode, ProductMap, product_map

# What the legend says of each thing drawn (the same words on the page and in the file).
LEGEND = (
    ("node", "A worksite or supplier, with its risk level and score"),
    ("flagged", "Flagged worksite (Xinjiang, North Korean workers): red border and a note"),
    ("gap", "Input of unknown origin: dashed red border"),
    ("path", "Risk path: thick dashed line, nodes marked “On the risk path”"),
    ("source", "Where the score comes from: marked “Sets the score”"),
)


@dataclass
class RiskMap:
    product: Product
    map: ProductMap
    selected: NodeKey = IMPORTER
    # (key text, words) for the "show the path of" choice, the product first
    choices: list[tuple[str, str]] = field(default_factory=list)
    # the highlighted path, the chosen node first: MapNodes
    path: list[MapNode] = field(default_factory=list)
    legend: tuple[tuple[str, str], ...] = LEGEND

    @property
    def selected_text(self) -> str:
        return str(self.selected)

    @property
    def path_words(self) -> str:
        """The highlighted path in a sentence, for the page and the file's legend."""
        names = [self._name(n) + (f" ({n.risk})" if n.risk else "") for n in self.path]
        if len(self.path) > 1:
            return f"Risk path: {' ← '.join(names)}. {self._name(self.path[-1])} sets the score."
        if self.path and self.path[0].risk:
            return f"{names[0]}: its own points set the score, not its suppliers."
        return "No risk path: nothing on this map has been scored yet."

    def _name(self, node: MapNode) -> str:
        return self.product.name if node.node == IMPORTER else node.label

    @property
    def edges_in_drawing_order(self) -> list[dict[str, object]]:
        """The path's edges last, so they are drawn over the others."""
        return sorted(self.map.edges, key=lambda edge: bool(edge["on_path"]))


def _parse(text: str) -> NodeKey | None:
    try:
        return NodeKey.parse(text)
    except ValueError:
        return None


def product_risk_map(product: Product, *, path_from: str = "") -> RiskMap:
    """The product's map with scores and risk paths; ``path_from`` (a node key's text, as
    the page's choice sends it) picks the highlighted path, the product's when it names no
    node of the map."""
    drawn = product_map(product)
    nodes = {n.node: n for n in drawn.nodes}
    product_key = NodeKey.product(product.pk)
    found = risk_scores(product.organization_id, [*nodes, product_key])
    score: dict[NodeKey, float] = {}
    own: dict[NodeKey, float] = {}
    for key, node in nodes.items():
        risk = found.get(product_key if key == IMPORTER else key)
        if risk is None:
            continue
        score[key], own[key] = risk.score, risk.own_score
        node.risk = f"{risk.level} · {risk.score:g}"
    inputs: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for edge in drawn.edges:
        inputs[edge["target"]].append(edge["source"])
    for key, node in nodes.items():
        if key in score or key == IMPORTER:
            node.path = risk_path(key, inputs, score, own, always_follow=[IMPORTER])
    wanted = _parse(path_from)
    selected = wanted if wanted in nodes and nodes[wanted].path else IMPORTER
    path = nodes[selected].path if selected in nodes else []
    for key in path:
        nodes[key].on_path = True
    if path and (len(path) > 1 or path[-1] in score):
        nodes[path[-1]].path_source = True
    steps = set(zip(path[1:], path, strict=False))  # (source, target) pairs along the path
    for edge in drawn.edges:
        edge["on_path"] = (edge["source"], edge["target"]) in steps
    choices = [(str(IMPORTER), f"{product.name} (this product)")]
    ranked = sorted(
        (n for key, n in nodes.items() if key != IMPORTER and key in score),
        key=lambda n: (-score[n.node], n.label, n.node),
    )
    choices += [(str(n.node), f"{n.label} ({n.risk})") for n in ranked]
    return RiskMap(
        product=product,
        map=drawn,
        selected=selected,
        choices=choices,
        path=[nodes[key] for key in path],
    )


# The file's frame around the drawing: a title above, the legend below.
_FILE_TOP = 66
_FILE_MIN_WIDTH = 760
_LEGEND_ROW = 22
_TEXT_LINE = 16
_CHARS_PER_PIXEL = 1 / 6.6  # 12px text, a generous average width per character


def map_file_svg(risk_map: RiskMap, *, when: str = "") -> tuple[str, int, int]:
    """The map as a standalone SVG document (its style, a title and the legend inside),
    with its width and height in pixels."""
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    css_path = finders.find("chainproof/map.css")
    css = Path(str(css_path)).read_text(encoding="utf-8") if css_path else ""
    width = max(risk_map.map.width, _FILE_MIN_WIDTH)
    legend_top = _FILE_TOP + risk_map.map.height + 28
    rows = len(risk_map.legend)
    words_top = (rows + 1) * _LEGEND_ROW + 6
    lines = textwrap.wrap(risk_map.path_words, int((width - 40) * _CHARS_PER_PIXEL)) or [""]
    height = legend_top + words_top + len(lines) * _TEXT_LINE + 12
    frame = {
        "width": width,
        "height": height,
        "top": _FILE_TOP,
        "legend_top": legend_top,
        "when": when,
        "path_lines": [
            {"y": words_top + index * _TEXT_LINE, "text": line} for index, line in enumerate(lines)
        ],
    }
    svg = render_to_string(
        "suppliers/_map_svg.html",
        {"rm": risk_map, "standalone": True, "frame": frame, "css": css.replace("]]>", "")},
    )
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + svg.strip() + "\n"
    return document, width, height
