// A searchable picker for long multiple choices (countries): type to filter, click or press
// Enter to choose, the chosen ones shown as removable chips. Progressive enhancement: the
// <select multiple> stays in the form (hidden) and is what gets submitted; without script it
// works as before. Applies to every select[multiple] (a long list is unusable with Ctrl-click);
// a select marked data-no-picker is left alone. Served by chainproof; no inline script or
// style, so the Content-Security-Policy holds.
"use strict";

(() => {
  let counter = 0;

  // "Côte d'Ivoire" is found by "cote": compare without accents and case.
  const fold = (text) =>
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();

  function labelText(select) {
    if (select.id) {
      const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
      if (label) return label.textContent.trim();
    }
    return select.getAttribute("aria-label") || select.name || "Choices";
  }

  function enhance(select) {
    if (select.dataset.pickerReady || select.hasAttribute("data-no-picker")) return;
    select.dataset.pickerReady = "1";
    counter += 1;
    const base = `picker-${counter}`;
    const name = labelText(select);

    const box = document.createElement("div");
    box.className = "picker";

    const chosen = document.createElement("ul");
    chosen.className = "picker-chosen";
    chosen.setAttribute("aria-label", `Chosen: ${name}`);
    chosen.setAttribute("aria-live", "polite");

    const search = document.createElement("input");
    search.type = "search";
    search.className = "picker-search";
    search.id = `${base}-search`;
    search.autocomplete = "off";
    search.placeholder = select.dataset.pickerPlaceholder || "Type to find, then click to choose";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-expanded", "true");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-controls", `${base}-list`);
    search.setAttribute("aria-label", `${name}: type to filter`);

    const list = document.createElement("ul");
    list.className = "picker-options";
    list.id = `${base}-list`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    list.setAttribute("aria-label", name);

    const empty = document.createElement("p");
    empty.className = "picker-empty muted";
    empty.textContent = select.dataset.pickerEmpty || "Nothing matches.";
    empty.hidden = true;

    const items = Array.from(select.options, (option, index) => {
      const item = document.createElement("li");
      item.id = `${base}-o${index}`;
      item.setAttribute("role", "option");
      item.textContent = option.textContent;
      item.dataset.value = option.value;
      item.dataset.search = fold(`${option.textContent} ${option.value}`);
      list.append(item);
      return { option, item };
    });
    let active = -1;
    // A hidden required select would block the form without saying why: the search box
    // carries the requirement instead.
    const required = select.required;
    select.required = false;

    const visible = () => items.filter(({ item }) => !item.hidden);

    function setActive(entry) {
      for (const { item } of items) item.classList.remove("active");
      if (!entry) {
        active = -1;
        search.removeAttribute("aria-activedescendant");
        return;
      }
      active = items.indexOf(entry);
      entry.item.classList.add("active");
      search.setAttribute("aria-activedescendant", entry.item.id);
      entry.item.scrollIntoView({ block: "nearest" });
    }

    function render() {
      if (required) {
        const none = !items.some(({ option }) => option.selected);
        search.setCustomValidity(none ? "Choose at least one." : "");
      }
      chosen.replaceChildren();
      for (const { option, item } of items) {
        item.setAttribute("aria-selected", option.selected ? "true" : "false");
        if (!option.selected) continue;
        const chip = document.createElement("li");
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "picker-chip";
        remove.dataset.value = option.value;
        const removeWords = select.dataset.pickerRemove || "Remove {name}";
        remove.setAttribute("aria-label", removeWords.replace("{name}", option.textContent));
        remove.textContent = `${option.textContent} ×`;
        chip.append(remove);
        chosen.append(chip);
      }
      chosen.hidden = !chosen.children.length;
    }

    function filter() {
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      for (const { item } of items) {
        item.hidden = !words.every((word) => item.dataset.search.includes(word));
      }
      const shown = visible();
      empty.hidden = shown.length > 0;
      setActive(words.length && shown.length ? shown[0] : null);
    }

    function toggle(entry) {
      entry.option.selected = !entry.option.selected;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }

    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the search
    list.addEventListener("click", (event) => {
      const entry = items.find(({ item }) => item === event.target.closest("li"));
      if (entry) {
        toggle(entry);
        setActive(entry);
        search.focus();
      }
    });
    chosen.addEventListener("click", (event) => {
      const button = event.target.closest("button.picker-chip");
      const entry = button && items.find(({ option }) => option.value === button.dataset.value);
      if (entry) {
        toggle(entry);
        search.focus();
      }
    });
    search.addEventListener("input", filter);
    search.addEventListener("keydown", (event) => {
      const shown = visible();
      const at = shown.findIndex((entry) => items.indexOf(entry) === active);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!shown.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive(shown[(at + step + shown.length) % shown.length]);
      } else if (event.key === "Enter") {
        event.preventDefault(); // Enter chooses; it does not submit the form
        if (at >= 0) toggle(shown[at]);
        else if (shown.length === 1) toggle(shown[0]);
        search.select();
      } else if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        filter();
      }
    });
    select.addEventListener("change", render);

    select.hidden = true;
    select.classList.add("picker-source");
    if (select.id) {
      // The field's label now names the search box; the hint about Ctrl-click no longer applies.
      const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
      if (label) label.htmlFor = search.id;
    }
    const hint = select.nextElementSibling;
    if (hint && (hint.hasAttribute("data-picker-hint") || /Ctrl/.test(hint.textContent))) {
      hint.hidden = true;
    }
    box.append(chosen, search, list, empty);
    select.after(box);
    render();
  }

  function enhanceAll(root) {
    for (const select of root.querySelectorAll("select[multiple]")) enhance(select);
  }

  enhanceAll(document);
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
})();
