// Pagefind search UI in German, served from this site.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("suche");
  if (!el || !window.PagefindUI) return;
  new window.PagefindUI({ element: "#suche", bundlePath: el.dataset.bundle, showSubResults: true, showImages: false,
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
});
