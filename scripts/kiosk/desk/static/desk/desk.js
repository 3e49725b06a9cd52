/* The window desk's little script. Everything works without it; with it:
 * - the intake search finds a matter as the kiosk does (window.KioskSearch from kiosk-search.js, the same file),
 *   Enter opening the first result;
 * - on a materials table, 带了 and 不需要 of one material exclude each other, 全部带了 ticks them all, and the
 *   main button says what it will do (开补正告知书, 缺 n 项 / 受理).
 */
(function () {
  "use strict";

  function query(input) {
    var v = input.value.trim();
    return /^[a-z]+$/i.test(v) ? v.toLowerCase() : v;
  }

  function intakeSearch() {
    var input = document.getElementById("q"), data = document.getElementById("desk-index");
    if (!input || !data || !window.KioskSearch) return;
    var index = JSON.parse(data.textContent), box = document.getElementById("results-box"),
        list = document.getElementById("results"), none = document.getElementById("no-results"),
        all = document.getElementById("all"), url = input.getAttribute("data-intake-url");
    function show() {
      var q = query(input);
      list.textContent = "";
      if (!q) { box.hidden = true; all.hidden = false; return; }
      var found = window.KioskSearch.search(index, q);
      box.hidden = false;
      none.hidden = found.length > 0;
      found.forEach(function (e) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = url.replace("MATTER", encodeURIComponent(e.id));
        a.textContent = e.name;
        li.appendChild(a);
        if (e.kw.length) {
          var small = document.createElement("small");
          small.textContent = "（" + e.kw.map(function (k) { return k[0]; }).slice(0, 3).join("、") + "）";
          li.appendChild(document.createTextNode(" "));
          li.appendChild(small);
        }
        list.appendChild(li);
      });
    }
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        var first = list.querySelector("a");
        if (first) { e.preventDefault(); window.location.href = first.href; }
      }
    });
    show();
  }

  function materials() {
    var table = document.querySelector(".materials-table");
    if (!table) return;
    var button = document.getElementById("main-action");
    function update() {
      if (!button) return;
      var missing = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var b = row.querySelector('input[name="brought"]'), n = row.querySelector('input[name="not_needed"]');
        if (!(b && b.checked) && !(n && n.checked)) missing += 1;
      });
      button.textContent = missing ? button.getAttribute("data-correct").replace("{n}", missing)
                                   : button.getAttribute("data-accept");
    }
    table.addEventListener("change", function (e) {
      var row = e.target.closest("tr");
      if (e.target.checked && row) {
        row.querySelectorAll('input[type="checkbox"]').forEach(function (other) {
          if (other !== e.target) other.checked = false;
        });
      }
      update();
    });
    var all = document.getElementById("all-brought");
    if (all) all.addEventListener("click", function () {
      table.querySelectorAll('input[name="brought"]').forEach(function (b) { b.checked = true; });
      table.querySelectorAll('input[name="not_needed"]').forEach(function (n) { n.checked = false; });
      update();
    });
    update();
  }

  function focusErrors() {
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { intakeSearch(); materials(); focusErrors(); });
})();
