// chainproof's page behaviour, served from chainproof itself (no inline handlers, so the
// Content-Security-Policy can forbid inline script).
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-submit-on-change]") && field.form) {
    field.form.requestSubmit();
  }
});

// A box that scrolls (a table wider than its panel, the supply-chain map) can be scrolled
// from the keyboard too: while it scrolls it takes the focus, as a region named after its
// table's caption or its section's heading. Checked on load, on resize and after each swap.
function scrollersReachable() {
  for (const box of document.querySelectorAll(".table-wrap, .map-wrap, .panel, [data-scrolls]")) {
    const style = getComputedStyle(box);
    const scrolls =
      (/auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1) ||
      (/auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
    if (scrolls && !box.hasAttribute("tabindex")) {
      const named = box.querySelector("caption, h2, h3") || box.closest("section")?.querySelector("h2, h3");
      box.dataset.scrolls = "";
      box.tabIndex = 0;
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", (named?.textContent.trim() || "Table") + " (scrolls)");
      }
    } else if (!scrolls && box.hasAttribute("data-scrolls")) {
      box.removeAttribute("data-scrolls");
      box.removeAttribute("tabindex");
      if (box.getAttribute("role") === "region") box.removeAttribute("role");
      if (box.getAttribute("aria-label")?.endsWith(" (scrolls)")) box.removeAttribute("aria-label");
    }
  }
}
scrollersReachable();
window.addEventListener("resize", scrollersReachable);
document.addEventListener("htmx:afterSettle", scrollersReachable);

// Evidence: files dropped on (or chosen in) a form marked data-dropzone are listed at once,
// then sent one after another, one request each, with a progress bar per file; the answer
// (stored, its SHA-256, or why it was refused) replaces the bar. One at a time keeps a slow
// connection's bandwidth on one file and the server's writes in order. Without script the
// form posts every file at once.
function queued(file, list) {
  const item = document.createElement("li");
  const name = document.createElement("span");
  name.textContent = file.name + " ";
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  item.append(name, bar);
  list.append(item);
  return { item, bar };
}

function uploadOne(form, file, shown) {
  const { item, bar } = shown;
  const data = new FormData();
  for (const [key, value] of new FormData(form).entries()) {
    if (key !== "file") data.append(key, value);
  }
  data.append("file", file, file.name);
  return new Promise((done) => {
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total);
    });
    request.addEventListener("load", () => {
      bar.remove();
      let result = null;
      try {
        result = JSON.parse(request.responseText).results[0];
      } catch (error) {
        result = { error: "The server did not answer as expected (" + request.status + ")." };
      }
      if (result.error) {
        item.classList.add("msg-error");
        item.replaceChildren(document.createTextNode(result.error)); // it names the file
      } else {
        const link = document.createElement("a");
        link.href = result.url;
        link.textContent = result.title;
        const sha = document.createElement("code");
        sha.className = "sha";
        sha.textContent = "SHA-256 " + result.sha256;
        const same = result.duplicate ? " (same bytes as a stored file) " : " ";
        item.append(link, document.createTextNode(same), sha);
        item.dataset.sha256 = result.sha256;
      }
      done();
    });
    request.addEventListener("error", () => {
      bar.remove();
      item.classList.add("msg-error");
      item.append(document.createTextNode("Not sent: the connection failed."));
      done();
    });
    request.send(data);
  });
}

for (const form of document.querySelectorAll("form[data-dropzone]")) {
  const target = form.querySelector("[data-drop-target]");
  const input = form.querySelector("input[type=file]");
  const list = form.querySelector("[data-upload-list]");
  const send = async (files) => {
    const waiting = Array.from(files, (file) => [file, queued(file, list)]);
    for (const [file, shown] of waiting) await uploadOne(form, file, shown);
    if (list.querySelector("li[data-sha256]") && !list.querySelector("li.refresh")) {
      const item = document.createElement("li");
      item.className = "refresh";
      const link = document.createElement("a");
      link.href = window.location.pathname;
      link.textContent = "Show the new documents in the list";
      item.append(link);
      list.append(item);
    }
  };
  target.addEventListener("dragover", (event) => {
    event.preventDefault();
    target.classList.add("over");
  });
  target.addEventListener("dragleave", () => target.classList.remove("over"));
  target.addEventListener("drop", (event) => {
    event.preventDefault();
    target.classList.remove("over");
    send(event.dataTransfer.files);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.files);
    input.value = "";
  });
}

// A table cell that holds only a date (or a date and a time) never breaks inside it
// ("2026-/06-23"): marked on load and after each HTMX swap, whichever template drew it.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?( UTC)?$/;
function markDates(root) {
  for (const cell of root.querySelectorAll("td, dd")) {
    if (!cell.classList.contains("date") && DATE_ONLY.test(cell.textContent.trim())) {
      cell.classList.add("date");
    }
  }
}
markDates(document);
document.addEventListener("htmx:afterSwap", (event) => markDates(event.target));
