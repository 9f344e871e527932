// The supply-chain map on a product page: zoom (buttons, wheel, keys), pan (drag, arrow
// keys), fit, and the risk path of the node chosen in the list highlighted without a
// reload. Served by chainproof; no inline script or style (the page's CSP forbids both).
// Without script the map is drawn whole, fitted to the panel's width, and the list
// reloads the page with the path asked for.
"use strict";

(function () {
  const frame = document.querySelector("[data-map-frame]");
  const svg = frame && frame.querySelector("svg.chain-map");
  if (!svg) return;
  const tools = document.querySelector("[data-map-tools]");
  const levelText = document.querySelector("[data-map-zoom-level]");
  const full = svg.viewBox.baseVal;
  const whole = { x: full.x, y: full.y, w: full.width, h: full.height };
  const MAX_ZOOM = 8;
  let view = { ...whole };

  function show() {
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    const zoom = whole.w / view.w;
    if (levelText) {
      levelText.textContent = zoom <= 1.001 ? "Whole map" : `Zoom ${Math.round(zoom * 100)}%`;
    }
  }

  function clampView() {
    view.w = Math.min(whole.w, Math.max(whole.w / MAX_ZOOM, view.w));
    view.h = view.w * (whole.h / whole.w);
    view.x = Math.min(whole.x + whole.w - view.w, Math.max(whole.x, view.x));
    view.y = Math.min(whole.y + whole.h - view.h, Math.max(whole.y, view.y));
  }

  // Zoom by ``factor`` (above 1: closer) keeping the drawing point (cx, cy) in place.
  function zoomBy(factor, cx, cy) {
    const px = cx === undefined ? view.x + view.w / 2 : cx;
    const py = cy === undefined ? view.y + view.h / 2 : cy;
    const w = view.w / factor;
    const h = view.h / factor;
    view = { x: px - ((px - view.x) * w) / view.w, y: py - ((py - view.y) * h) / view.h, w, h };
    clampView();
    show();
  }

  function fit() {
    view = { ...whole };
    show();
  }

  function panBy(dx, dy) {
    view.x += dx;
    view.y += dy;
    clampView();
    show();
  }

  // Drawing units per screen pixel (the drawing keeps its proportions inside the element).
  function unitsPerPixel() {
    const box = svg.getBoundingClientRect();
    return Math.max(view.w / box.width, view.h / box.height);
  }

  function drawingPoint(event) {
    const matrix = svg.getScreenCTM();
    if (!matrix) return [undefined, undefined];
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return [point.x, point.y];
  }

  if (tools) tools.hidden = false;
  frame.tabIndex = 0;
  document.querySelectorAll("[data-map-zoom]").forEach((button) => {
    button.addEventListener("click", () => {
      const how = button.getAttribute("data-map-zoom");
      if (how === "in") zoomBy(1.25);
      else if (how === "out") zoomBy(1 / 1.25);
      else fit();
    });
  });

  svg.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const [cx, cy] = drawingPoint(event);
      zoomBy(event.deltaY < 0 ? 1.15 : 1 / 1.15, cx, cy);
    },
    { passive: false },
  );

  frame.addEventListener("keydown", (event) => {
    if (event.target !== frame) return;
    const step = 0.1;
    const moves = {
      ArrowLeft: [-view.w * step, 0],
      ArrowRight: [view.w * step, 0],
      ArrowUp: [0, -view.h * step],
      ArrowDown: [0, view.h * step],
    };
    if (moves[event.key]) panBy(...moves[event.key]);
    else if (event.key === "+" || event.key === "=") zoomBy(1.25);
    else if (event.key === "-" || event.key === "_") zoomBy(1 / 1.25);
    else if (event.key === "0") fit();
    else return;
    event.preventDefault();
  });

  // Dragging moves the map; a drag that ends on a box does not open it.
  let drag = null;
  let dragged = false;
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, view: { ...view }, scale: unitsPerPixel() };
    dragged = false;
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) {
      dragged = true;
      svg.setPointerCapture(event.pointerId);
      frame.classList.add("grabbing");
    }
    view = { ...drag.view, x: drag.view.x - dx * drag.scale, y: drag.view.y - dy * drag.scale };
    clampView();
    show();
  });
  function endDrag() {
    drag = null;
    frame.classList.remove("grabbing");
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener(
    "click",
    (event) => {
      if (dragged) {
        event.preventDefault();
        event.stopPropagation();
        dragged = false;
      }
    },
    true,
  );

  // The risk path of the node chosen in the list.
  const wordPath = svg.getAttribute("data-word-path") || "On the risk path";
  const wordSource = svg.getAttribute("data-word-source") || "Sets the score";
  const choice = document.getElementById("map-path");
  const pathWords = document.getElementById("map-path-words");
  const form = document.querySelector("[data-map-path-form]");

  function nodeOf(key) {
    return Array.from(svg.querySelectorAll("g.node")).find(
      (node) => node.getAttribute("data-node") === key,
    );
  }

  function described(node) {
    const risk = node.getAttribute("data-risk");
    return node.getAttribute("data-name") + (risk ? ` (${risk})` : "");
  }

  function highlight(key) {
    const start = nodeOf(key);
    if (!start) return;
    const path = (start.getAttribute("data-path") || key).split(" ");
    const nodes = path.map(nodeOf).filter(Boolean);
    svg.querySelectorAll("g.node").forEach((node) => {
      node.classList.remove("on-path", "path-source");
      const tag = node.querySelector("text.tag");
      if (tag) tag.textContent = node.getAttribute("data-risk");
    });
    const last = nodes[nodes.length - 1];
    const hasSource = nodes.length > 1 || (last && last.getAttribute("data-risk"));
    nodes.forEach((node) => {
      node.classList.add("on-path");
      const source = hasSource && node === last;
      if (source) node.classList.add("path-source");
      const tag = node.querySelector("text.tag");
      if (tag) tag.textContent = `${source ? wordSource : wordPath} · ${node.getAttribute("data-risk")}`;
    });
    const steps = new Set(path.slice(1).map((source, index) => `${source}>${path[index]}`));
    svg.querySelectorAll("path.edge").forEach((edge) => {
      const on = steps.has(`${edge.getAttribute("data-from")}>${edge.getAttribute("data-to")}`);
      edge.classList.toggle("on-path", on);
      if (on) edge.parentNode.appendChild(edge); // drawn over the others
    });
    if (pathWords) {
      if (nodes.length > 1) {
        pathWords.textContent =
          `Risk path: ${nodes.map(described).join(" ← ")}. ` +
          `${last.getAttribute("data-name")} sets the score.`;
      } else if (hasSource) {
        pathWords.textContent = `${described(last)}: its own points set the score, not its suppliers.`;
      } else {
        pathWords.textContent = "No risk path: nothing on this map has been scored yet.";
      }
    }
    document.querySelectorAll("[data-map-download]").forEach((link) => {
      const url = new URL(link.href, window.location.href);
      url.searchParams.set("path", key);
      link.href = url.pathname + url.search;
    });
    const here = new URL(window.location.href);
    here.searchParams.set("path", key);
    window.history.replaceState(null, "", here.pathname + here.search + here.hash);
  }

  if (choice) choice.addEventListener("change", () => highlight(choice.value));
  if (form && choice) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      highlight(choice.value);
    });
  }
  show();
})();
