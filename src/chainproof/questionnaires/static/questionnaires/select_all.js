// "Select all / none" for a list of checkboxes (the new-campaign form's suppliers).
// A container marked data-select-all="<checkbox name>" holds buttons marked
// data-select="all" or "none"; it is hidden until this script runs, so a page without
// scripts shows no buttons that do nothing. Served by chainproof (CSP: script-src 'self').
(function () {
  "use strict";

  function boxes(container) {
    var form = container.closest("form");
    var name = container.getAttribute("data-select-all");
    return form ? form.querySelectorAll('input[type="checkbox"][name="' + name + '"]') : [];
  }

  function count(container) {
    var all = boxes(container);
    var checked = 0;
    all.forEach(function (box) { if (box.checked) { checked += 1; } });
    var shown = container.querySelector("[data-select-count]");
    if (shown) { shown.textContent = checked + " / " + all.length; }
  }

  document.querySelectorAll("[data-select-all]").forEach(function (container) {
    container.hidden = false;
    count(container);
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-select]");
      if (!button) { return; }
      var on = button.getAttribute("data-select") === "all";
      boxes(container).forEach(function (box) { box.checked = on; });
      count(container);
    });
    var form = container.closest("form");
    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name === container.getAttribute("data-select-all")) { count(container); }
      });
    }
  });
})();
