// Pagefind search UI in German, served from this site. A large site's index comes in
// parts (pagefind/teile.json names the others): the UI searches them all as one.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("suche");
  if (!el || !window.PagefindUI) return;
  // as a path from the root: Pagefind takes the site's base path from it ("/stadt/pagefind/")
  var bundle = new URL(el.dataset.bundle, document.baseURI).pathname;

  function start(parts) {
    new window.PagefindUI({ element: "#suche", bundlePath: bundle, showSubResults: true, showImages: false,
      mergeIndex: parts.map(function (part) { return { bundlePath: bundle + part }; }),
      translations: { placeholder: "Suchbegriff eingeben", zero_results: "Keine Treffer für [SEARCH_TERM]", clear_search: "Löschen", load_more: "Mehr Treffer laden", search_label: "Diese Website durchsuchen" } });
    // a visible label instead of Pagefind's title-only field name
    var input = el.querySelector("input");
    if (input) {
      input.id = "suchbegriff";
      input.removeAttribute("title");
      var label = document.createElement("label");
      label.className = "search-label";
      label.htmlFor = "suchbegriff";
      label.textContent = "Suchbegriff";
      el.insertBefore(label, el.firstChild);
    }
    var params = new URLSearchParams(window.location.search);
    if (params.get("q") && input) { input.value = params.get("q"); input.dispatchEvent(new Event("input")); }
  }

  fetch(bundle + "teile.json")
    .then(function (response) { return response.ok ? response.json() : { teile: [] }; })
    .then(function (found) { start(Array.isArray(found.teile) ? found.teile : []); },
          function () { start([]); });
});
