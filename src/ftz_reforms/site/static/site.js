/* ftz-reforms site: the language switch (remembered), the case list's filters and sort, copy buttons. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "ftz-reforms-lang";

  function setLanguage(lang) {
    root.dataset.lang = lang;
    root.lang = lang === "zh" ? "zh-Hans" : "en";
    try { localStorage.setItem(KEY, lang); } catch (e) { /* private mode: the choice lasts this page */ }
  }
  var switcher = document.getElementById("lang-switch");
  if (switcher) {
    switcher.addEventListener("click", function () { setLanguage(root.dataset.lang === "zh" ? "en" : "zh"); });
  }

  // The case list: filter by province, category and measure, sort; the choice is kept in the address.
  var filters = document.getElementById("filters");
  var table = document.getElementById("cases");
  if (filters && table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(filters.elements, function (field) {
      if (field.name && params.has(field.name)) field.value = params.get(field.name);
    });
    var apply = function () {
      var wanted = {
        province: filters.elements.province.value,
        category: filters.elements.category.value,
        measure: filters.elements.measure.value,
      };
      var sort = filters.elements.sort.value;
      var shown = 0;
      rows.forEach(function (row) {
        var keep = (!wanted.province || row.dataset.province.split(" ").indexOf(wanted.province) >= 0) &&
          (!wanted.category || row.dataset.categories.split(" ").indexOf(wanted.category) >= 0) &&
          (!wanted.measure || row.dataset.measures.split(" ").indexOf(wanted.measure) >= 0);
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      var key = {
        number: function (row) { return [Number(row.dataset.number)]; },
        province: function (row) { return [row.dataset.provinceName, Number(row.dataset.number)]; },
        figures: function (row) { return [-Number(row.dataset.figures), Number(row.dataset.number)]; },
        effects: function (row) { return [-Number(row.dataset.effects), Number(row.dataset.number)]; },
      }[sort] || function (row) { return [Number(row.dataset.number)]; };
      rows.slice().sort(function (a, b) {
        var ka = key(a), kb = key(b);
        for (var i = 0; i < ka.length; i++) { if (ka[i] < kb[i]) return -1; if (ka[i] > kb[i]) return 1; }
        return 0;
      }).forEach(function (row) { body.appendChild(row); });
      var output = document.getElementById("shown");
      output.textContent = shown + " / " + rows.length;
      var next = new URLSearchParams();
      Object.keys(wanted).forEach(function (name) { if (wanted[name]) next.set(name, wanted[name]); });
      if (sort !== "number") next.set("sort", sort);
      var query = next.toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    };
    filters.hidden = false;
    filters.addEventListener("change", apply);
    filters.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  // Copy buttons beside each citation: shown only where the page can copy.
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent;
      navigator.clipboard.writeText(text).then(function () {
        button.dataset.copied = "yes";
        button.setAttribute("aria-label", "Copied / 已复制");
      }, function () { button.dataset.copied = "no"; });
    });
  });
})();
