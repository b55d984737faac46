// Progressive enhancement: instant measure filter with URL state, copy buttons.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

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
      if (push) {
        var q = new URLSearchParams();
        Object.keys(want).forEach(function (k) { if (want[k]) q.set(k, want[k]); });
        var url = window.location.pathname + (q.toString() ? "?" + q.toString() : "");
        window.history.replaceState(null, "", url);
      }
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
  setupCopy();
})();
