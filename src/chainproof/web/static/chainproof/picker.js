// Searchable pickers. Progressive enhancement: the <select> stays in the form (hidden) and is
// what gets submitted; without script it works as before. A select marked data-no-picker is
// left alone. Served by chainproof; no inline script or style, so the Content-Security-Policy
// holds.
// - Long multiple choices (countries; every select[multiple], a long list being unusable
//   with Ctrl-click): type to filter, click or press Enter to choose, the chosen ones shown
//   as removable chips.
// - One record among many (select[data-lookup]: an organization's suppliers, worksites or
//   products, drawn by suppliers/picking.py): the server lists the chosen one and the first
//   few; typing asks the lookup address for the records that match, as JSON.
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

  // The search box (a combobox) and the list of choices it controls, as both pickers
  // draw them.
  function searchAndList(base, name, placeholder, hint) {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "picker-search";
    search.id = `${base}-search`;
    search.autocomplete = "off";
    search.placeholder = placeholder;
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-controls", `${base}-list`);
    search.setAttribute("aria-label", `${name}: ${hint}`);
    const list = document.createElement("ul");
    list.className = "picker-options";
    list.id = `${base}-list`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", name);
    return { search, list };
  }

  // The picker drawn after its select, which it hides: the field's label now names the
  // search box, and the hint the select had (Ctrl-click, the first ones listed) is hidden.
  function putInPlace(select, box, search) {
    select.hidden = true;
    select.classList.add("picker-source");
    if (select.id) {
      const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
      if (label) label.htmlFor = search.id;
    }
    const hint = select.nextElementSibling;
    if (hint && (hint.hasAttribute("data-picker-hint") || /Ctrl/.test(hint.textContent))) {
      hint.hidden = true;
    }
    select.after(box);
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

    const { search, list } = searchAndList(
      base,
      name,
      select.dataset.pickerPlaceholder || "Type to find, then click to choose",
      "type to filter",
    );
    search.setAttribute("aria-expanded", "true");
    list.setAttribute("aria-multiselectable", "true");

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

    box.append(chosen, search, list, empty);
    putInPlace(select, box, search);
    render();
  }

  function optionGroup(option) {
    const parent = option.parentElement;
    return parent && parent.tagName === "OPTGROUP" ? parent.label : "";
  }

  function enhanceLookup(select) {
    if (select.dataset.pickerReady || select.hasAttribute("data-no-picker")) return;
    select.dataset.pickerReady = "1";
    counter += 1;
    const base = `picker-${counter}`;
    const name = labelText(select);
    const address = select.dataset.lookup;
    const noun = select.dataset.lookupNoun || "records";
    const describe = (option) => ({
      value: option.value,
      label: option.textContent,
      group: optionGroup(option),
    });
    // Offered whatever is searched ("Origin unknown"), and the ones the page listed.
    const fixed = Array.from(select.options).filter((o) => o.hasAttribute("data-fixed"));
    const fixedChoices = fixed.map(describe);
    const listed = Array.from(select.options)
      .filter((o) => o.value && !o.hasAttribute("data-fixed"))
      .map(describe);
    const emptyOption = Array.from(select.options).find((o) => o.value === "");
    const required = select.required;
    select.required = false; // the search box carries the requirement (see showChosen)

    const box = document.createElement("div");
    box.className = "picker picker-lookup";
    const current = document.createElement("p");
    current.className = "picker-current";
    current.setAttribute("aria-live", "polite");
    const { search, list } = searchAndList(
      base,
      name,
      `Type to search your ${noun}`,
      "type to search",
    );
    search.setAttribute("aria-expanded", "false");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "picker-empty muted";
    status.setAttribute("aria-live", "polite");
    status.hidden = true;

    let shown = []; // the choices in the list, in order
    let active = -1;
    let timer = 0;
    let controller = null;
    let searching = false; // a search typed but not yet answered
    let asking = false; // its request is on its way
    let enterWaiting = false; // Enter pressed before the answer: choose its first record

    function showChosen() {
      const option = select.selectedOptions[0];
      current.replaceChildren();
      if (option && option.value) {
        const strong = document.createElement("strong");
        strong.textContent = option.textContent;
        current.append("Chosen: ", strong);
        if (!required && emptyOption) {
          const clear = document.createElement("button");
          clear.type = "button";
          clear.className = "btn secondary picker-clear";
          clear.textContent = "Clear";
          clear.setAttribute("aria-label", `Clear ${name}`);
          clear.addEventListener("click", () => {
            select.value = "";
            select.dispatchEvent(new Event("change", { bubbles: true }));
            showChosen();
            search.focus();
          });
          current.append(" ", clear);
        }
      } else if (required || !emptyOption) {
        current.textContent = "Nothing chosen yet."; // the empty choice is only a prompt
      } else {
        current.textContent = `Chosen: ${emptyOption.textContent}`; // "none", "not known"
      }
      if (required) {
        search.setCustomValidity(option && option.value ? "" : `Choose one of your ${noun}.`);
      }
    }

    function setActive(index) {
      active = index;
      for (const item of list.querySelectorAll("[role=option]")) {
        item.classList.toggle("active", Number(item.dataset.index) === index);
      }
      const item = list.querySelector(`[data-index="${index}"]`);
      if (item) {
        search.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      } else {
        search.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      status.hidden = true;
      search.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function draw(choices, note) {
      shown = choices;
      list.replaceChildren();
      let group = null;
      choices.forEach((choice, index) => {
        if (choice.group && choice.group !== group) {
          group = choice.group;
          const head = document.createElement("li");
          head.className = "picker-group";
          head.setAttribute("role", "presentation");
          head.textContent = group;
          list.append(head);
        }
        const item = document.createElement("li");
        item.id = `${base}-o${index}`;
        item.dataset.index = String(index);
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", choice.value === select.value ? "true" : "false");
        item.textContent = choice.label;
        list.append(item);
      });
      status.textContent = note;
      status.hidden = !note;
      open();
      setActive(choices.length && search.value.trim() ? 0 : -1);
      if (enterWaiting) {
        enterWaiting = false;
        if (active >= 0) choose(shown[active]);
      }
    }

    function choose(choice) {
      let option = Array.from(select.options).find((o) => o.value === choice.value);
      if (!option) {
        option = new Option(choice.label, choice.value);
        select.add(option);
      }
      select.value = choice.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      search.value = "";
      close();
      showChosen();
    }

    async function lookup() {
      window.clearTimeout(timer);
      searching = false;
      const q = search.value.trim();
      if (controller) controller.abort();
      if (!q) {
        draw([...listed, ...fixedChoices], listed.length ? "" : `Type to search your ${noun}.`);
        return;
      }
      controller = new AbortController();
      searching = true;
      asking = true;
      status.textContent = "Searching…";
      status.hidden = false;
      try {
        const url = new URL(address, window.location.href); // may hold ?supplier=
        url.searchParams.set("q", q);
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`lookup answered ${response.status}`);
        const data = await response.json();
        searching = false;
        asking = false;
        const words = fold(q).split(/\s+/).filter(Boolean);
        const fixedFound = fixedChoices.filter((c) => words.every((w) => fold(c.label).includes(w)));
        const found = [...data.results, ...fixedFound];
        let note = "";
        if (!found.length) note = `No ${noun} match “${q}”.`;
        else if (data.more) note = "More match than are shown: type more of the name to narrow.";
        draw(found, note);
      } catch (error) {
        if (error.name === "AbortError") return;
        searching = false;
        asking = false;
        enterWaiting = false;
        draw([], "The search did not answer; try again in a moment.");
      }
    }

    list.addEventListener("mousedown", (event) => event.preventDefault()); // focus stays
    list.addEventListener("click", (event) => {
      const item = event.target.closest("[role=option]");
      if (item) choose(shown[Number(item.dataset.index)]);
    });
    search.addEventListener("input", () => {
      window.clearTimeout(timer);
      searching = true;
      enterWaiting = false;
      timer = window.setTimeout(lookup, 200);
    });
    search.addEventListener("focus", () => {
      if (list.hidden) lookup();
    });
    search.addEventListener("blur", () => window.setTimeout(close, 150));
    search.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          lookup();
          return;
        }
        if (!shown.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + shown.length) % shown.length);
      } else if (event.key === "Enter") {
        if (list.hidden && !searching) return; // on a closed search: submits as usual
        event.preventDefault();
        if (searching) {
          // Typed, then Enter before the answer came: the first record it finds.
          enterWaiting = true;
          if (!asking) lookup(); // not waiting for the pause after typing
        } else if (active >= 0) choose(shown[active]);
        else if (shown.length === 1) choose(shown[0]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    box.append(current, search, status, list);
    putInPlace(select, box, search);
    showChosen();
  }

  function enhanceAll(root) {
    for (const select of root.querySelectorAll("select[multiple]")) enhance(select);
    for (const select of root.querySelectorAll("select[data-lookup]")) enhanceLookup(select);
  }

  enhanceAll(document);
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
})();
