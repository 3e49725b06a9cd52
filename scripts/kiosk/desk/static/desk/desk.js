/* The window desk's little script. Everything works without it; with it:
 * - the intake search finds a matter as the kiosk does (window.KioskSearch from kiosk-search.js, the same file),
 *   Enter opening the first result;
 * - on a materials table, 带了 and 不需要 of one material exclude each other, 全部带了 ticks them all, and the
 *   main button says what it will do (开补正告知书, 缺 n 项 / 受理);
 * - what is typed in a form is kept in the tab's sessionStorage (keyed by the page's path) until the form is
 *   sent and saved, and put back when the page is opened again: a session ended by idle time, a page closed
 *   by mistake lose nothing. Never a password, a hidden field (the CSRF token, the version, the form's token).
 *   退出 clears all of it;
 * - a form with data-reveal="NAME" shows only the parts (data-when="VALUE") of the chosen NAME radio button
 *   (the 首问's outcomes); without the script every part shows.
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

  var KEPT = "desk-form:", SENT = "desk-form-sent";

  function store() {
    try { return window.sessionStorage; } catch (e) { return null; }  // storage off: nothing is kept
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && el.name !== "csrfmiddlewaretoken" &&
        ["hidden", "password", "submit", "button", "reset", "file"].indexOf(el.type) < 0;
    });
  }

  function read(form) {
    var data = {};
    keptFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else if (el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function write(form, data) {
    keptFields(form).forEach(function (el) {
      if (!(el.name in data)) return;
      var value = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") el.checked = value.indexOf(el.value) >= 0;
      else if (el.multiple) Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      else el.value = value;
    });
  }

  function keepTyped() {
    var s = store();
    if (!s) return;
    var logout = document.querySelector("form[data-logout]");
    if (logout) logout.addEventListener("submit", function () {
      Object.keys(s).forEach(function (k) { if (k.indexOf(KEPT) === 0) s.removeItem(k); });
      s.removeItem(SENT);
    });
    var forms = Array.prototype.filter.call(document.querySelectorAll('form[method="post"]'), function (f) {
      return !f.hasAttribute("data-logout") && !f.querySelector('input[type="password"]');
    });
    var keys = forms.map(function (f, i) { return KEPT + window.location.pathname + "#" + i; });
    var sent = s.getItem(SENT);
    if (sent && keys.indexOf(sent) < 0 && !document.querySelector("form input[type=password]")) {
      s.removeItem(sent);  // sent and saved: the next page is another (at the login, it waits for the login)
      s.removeItem(SENT);
    }
    var refused = document.getElementById("form-errors");
    forms.forEach(function (form, i) {
      var key = keys[i], kept = s.getItem(key);
      if (kept && !refused) {
        try { write(form, JSON.parse(kept)); } catch (e) { s.removeItem(key); }
      }
      function save() {
        try { s.setItem(key, JSON.stringify(read(form))); } catch (e) { /* full: not kept */ }
      }
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () { save(); s.setItem(SENT, key); });
    });
  }

  function reveal() {
    document.querySelectorAll("form[data-reveal]").forEach(function (form) {
      var name = form.getAttribute("data-reveal");
      function show() {
        var chosen = form.querySelector('input[name="' + name + '"]:checked');
        form.querySelectorAll("[data-when]").forEach(function (part) {
          part.hidden = !chosen || part.getAttribute("data-when").split(" ").indexOf(chosen.value) < 0;
        });
      }
      form.querySelectorAll("[data-no-script]").forEach(function (note) { note.hidden = true; });
      form.addEventListener("change", function (e) { if (e.target.name === name) show(); });
      show();
    });
  }

  function focusErrors() {
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    keepTyped(); intakeSearch(); materials(); reveal(); focusErrors();
  });
})();
