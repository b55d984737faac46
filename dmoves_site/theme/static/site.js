// Progressive enhancement: instant measure and service filters with URL state, sortable
// service table, copy buttons.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // the filter's state in the address, so a filtered view can be shared
  function keepInUrl(want) {
    var q = new URLSearchParams();
    Object.keys(want).forEach(function (k) { if (want[k]) q.set(k, want[k]); });
    var url = window.location.pathname + (q.toString() ? "?" + q.toString() : "");
    window.history.replaceState(null, "", url);
  }

  function setupFilter() {
    var form = document.getElementById("filter");
    if (!form) return;
    form.hidden = false;
    var selects = form.querySelectorAll("select");
    var items = document.querySelectorAll(".measure-item");
    var groups = document.querySelectorAll(".measure-group");
    var count = document.getElementById("filter-count");
    var lead = document.getElementById("lead-count");
    var empty = document.getElementById("filter-empty");
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (s) { if (params.has(s.name)) s.value = params.get(s.name); });
    function apply(push) {
      var want = {};
      selects.forEach(function (s) { want[s.name] = s.value; });
      var shown = 0;
      items.forEach(function (li) {
        var ok = (!want.programm || li.dataset.program === want.programm) &&
          (!want.status || li.dataset.status === want.status) &&
          (!want.stufe || li.dataset.stages.split(" ").indexOf(want.stufe) >= 0);
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      groups.forEach(function (g) {
        var visible = g.querySelectorAll(".measure-item:not([hidden])").length;
        g.hidden = visible === 0;
        var c = g.querySelector(".count");
        if (c) c.textContent = "(" + visible + ")";
      });
      count.textContent = (form.dataset.countText || "{shown} / {total}")
        .replace("{shown}", shown).replace("{total}", items.length);
      if (lead) lead.textContent = count.textContent;  // the lead says what the filter shows
      if (empty) empty.hidden = shown !== 0;
      if (push) keepInUrl(want);
    }
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
    apply(false);
  }

  // "abgerufen am TT.MM.JJJJ": the reader's date is set in when the citation is copied
  function fillDate(source) {
    var placeholder = source.dataset.datePlaceholder;
    if (!placeholder) return;
    var now = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var today = two(now.getDate()) + "." + two(now.getMonth() + 1) + "." + now.getFullYear();
    source.value = source.defaultValue.split(placeholder).join(today);
  }

  function setupOzgFilter() {
    var form = document.getElementById("ozg-filter");
    var table = document.getElementById("ozg-table");
    if (!form || !table) return;
    form.hidden = false;
    var fields = form.querySelectorAll("select, input");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = document.getElementById("ozg-filter-count");
    var empty = document.getElementById("ozg-filter-empty");
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (f) { if (params.has(f.name)) f.value = params.get(f.name); });
    rows.forEach(function (tr) { tr.dataset.text = tr.textContent.toLocaleLowerCase("de"); });
    function apply(push) {
      var want = {}, shown = 0;
      fields.forEach(function (f) { want[f.name] = f.value.trim(); });
      var words = (want.suche || "").toLocaleLowerCase("de").split(/\s+/).filter(Boolean);
      rows.forEach(function (tr) {
        var ok = ["themenfeld", "lebenslage", "status", "reifegrad"].every(function (k) {
          return !want[k] || tr.dataset[k] === want[k];
        }) && words.every(function (w) { return tr.dataset.text.indexOf(w) >= 0; });
        tr.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = (form.dataset.countText || "{shown} / {total}")
        .replace("{shown}", shown).replace("{total}", rows.length);
      empty.hidden = shown !== 0;
      if (push) keepInUrl(want);
    }
    form.addEventListener("input", function () { apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
    setupSort(table, rows);
    apply(false);
  }

  function sortKey(cell, kind) {
    var value = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (kind === "number" || kind === "status") {
      var n = parseFloat(value);
      return isNaN(n) ? Infinity : n;
    }
    return value === "–" ? "\uffff" : value;
  }

  function setupSort(table, rows) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var kind = th.dataset.sort;
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = sortKey(a.cells[index], kind), y = sortKey(b.cells[index], kind);
          var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "de");
          return ascending ? order : -order;
        });
        var body = table.tBodies[0];
        sorted.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  }

  function setupCopy() {
    document.querySelectorAll(".copy-button").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var source = document.getElementById(btn.dataset.copy);
        var label = btn.textContent;
        fillDate(source);
        var done = function () { btn.textContent = "Kopiert"; setTimeout(function () { btn.textContent = label; }, 2000); };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(source.value).then(done, function () { source.select(); });
        } else { source.select(); }
      });
    });
  }

  setupFilter();
  setupOzgFilter();
  setupCopy();
})();
