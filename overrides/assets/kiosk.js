/* Kiosk behaviour for the hall touchscreen, on every page:
 *   - navigation replaces the page instead of adding history; 返回 uses a trail kept in sessionStorage
 *   - the help bar: 返回, 回首页, 大字 (large text, for this visitor only)
 *   - links that leave the site show a QR code to scan instead of navigating away
 *   - after an idle time, a countdown with 继续使用; then home, with storage cleared
 *   - on the search page: the on-screen pinyin keyboard (no input method needed)
 */
(function () {
  "use strict";

  function meta(name, fallback) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.content : fallback;
  }

  var HOME = new URL(meta("kiosk-home", "/"), location.href).href;
  var TRAIL = "kiosk-trail";
  var LARGE = "kiosk-large";
  var store = window.sessionStorage;

  function trail() {
    try { return JSON.parse(store.getItem(TRAIL) || "[]"); } catch (e) { return []; }
  }

  /* ------------------------------------------------------------ navigation */

  function go(url) {
    var t = trail();
    t.push(location.href);
    store.setItem(TRAIL, JSON.stringify(t.slice(-30)));
    location.replace(url);
  }

  function back() {
    var t = trail();
    var prev = t.pop();
    store.setItem(TRAIL, JSON.stringify(t));
    location.replace(prev || HOME);
  }

  function home() {
    store.removeItem(TRAIL);
    location.replace(HOME);
  }

  /* ------------------------------------------------------------ large text */

  function applyLarge(on) {
    document.documentElement.classList.toggle("k-large", on);
    var b = document.querySelector('[data-kiosk="large"]');
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function toggleLarge() {
    var on = !document.documentElement.classList.contains("k-large");
    if (on) store.setItem(LARGE, "1"); else store.removeItem(LARGE);
    applyLarge(on);
  }

  /* ------------------------------------------------------------ overlays */

  function openOverlay(id) {
    var o = document.getElementById(id);
    if (!o) return;
    o.hidden = false;
    var b = o.querySelector("button");
    if (b) b.focus();
  }

  function closeOverlay(id) {
    var o = document.getElementById(id);
    if (o) o.hidden = true;
  }

  function showQr(templateId, url) {
    var body = document.getElementById("kiosk-qr-body");
    if (!body) return;
    body.textContent = "";
    var tpl = templateId && document.getElementById(templateId);
    if (tpl) {
      body.appendChild(tpl.content.cloneNode(true));
    } else {
      var p = document.createElement("p");
      p.className = "k-qr-url";
      p.textContent = url;
      body.appendChild(p);
    }
    openOverlay("kiosk-qr");
  }

  /* ------------------------------------------------------------ clicks */

  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-kiosk]");
    var action = button && button.getAttribute("data-kiosk");
    if (action === "back") { e.preventDefault(); back(); return; }
    if (action === "home") { e.preventDefault(); home(); return; }
    if (action === "large") { e.preventDefault(); toggleLarge(); return; }
    if (action === "continue" || (warning() && e.target.closest("#kiosk-idle"))) {
      e.preventDefault();
      stayActive();
      return;
    }
    if (action === "close") { e.preventDefault(); closeOverlay("kiosk-qr"); return; }

    var a = e.target.closest("a[href]");
    if (!a || e.defaultPrevented) return;
    var href = a.getAttribute("href");
    var url = new URL(href, location.href);
    if (a.hasAttribute("data-kiosk-qr") || url.origin !== location.origin) {
      e.preventDefault();
      showQr(a.getAttribute("data-kiosk-qr"), url.protocol === "tel:" ? href.slice(4) : url.href);
      return;
    }
    if (href.charAt(0) === "#" || (url.pathname === location.pathname && url.hash)) return;
    e.preventDefault();
    go(url.href);
  }, true);

  /* ------------------------------------------------------------ idle reset */

  var idleMs = Math.max(1, parseInt(meta("kiosk-idle", "120"), 10)) * 1000;
  var countdown = Math.max(20, parseInt(meta("kiosk-countdown", "30"), 10));
  var idleTimer = null;
  var tick = null;
  var left = 0;

  function warning() { return !document.getElementById("kiosk-idle").hidden; }

  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(onIdle, idleMs);
  }

  function untouched() {
    return location.href.split("#")[0] === HOME && window.scrollY === 0 && store.length === 0;
  }

  function onIdle() {
    if (untouched()) { armIdle(); return; }
    left = countdown;
    document.getElementById("kiosk-countdown").textContent = String(left);
    openOverlay("kiosk-idle");
    tick = setInterval(function () {
      left -= 1;
      document.getElementById("kiosk-countdown").textContent = String(Math.max(left, 0));
      if (left <= 0) resetKiosk();
    }, 1000);
  }

  function stayActive() {
    clearInterval(tick);
    closeOverlay("kiosk-idle");
    armIdle();
  }

  function resetKiosk() {
    clearInterval(tick);
    try { store.clear(); } catch (e) { /* nothing kept */ }
    try { window.localStorage.clear(); } catch (e) { /* nothing kept */ }
    location.replace(HOME);
  }

  ["pointerdown", "keydown", "wheel", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, function () {
      if (!warning()) armIdle();  // during the countdown only 继续使用 (or a tap on the dialog) continues
    }, { capture: true, passive: true });
  });

  /* ------------------------------------------------------------ keyboard search */

  // Can `q` be typed as prefixes of consecutive syllables, from syllable i? ("db", "dib", "dibao")
  function fromSyllable(syl, q, i, j) {
    if (j === q.length) return true;
    if (i >= syl.length) return false;
    var s = syl[i];
    for (var k = Math.min(s.length, q.length - j); k >= 1; k--) {
      if (s.substr(0, k) === q.substr(j, k) && fromSyllable(syl, q, i + 1, j + k)) return true;
    }
    return false;
  }

  function firstSyllable(syl, q) {
    for (var i = 0; i < syl.length; i++) if (fromSyllable(syl, q, i, 0)) return i;
    return -1;
  }

  function initials(syl) { return syl.map(function (s) { return s.charAt(0); }).join(""); }

  function score(entry, q) {
    var best = 0;
    if (!/^[a-z]+$/.test(q)) {  // Chinese, digits, a tapped word: match the text itself
      if (entry.name.indexOf(q) >= 0) best = 100;
      entry.kw.forEach(function (kw, n) {
        if (kw[0] === q) best = Math.max(best, 120 - n);
        else if (kw[0].indexOf(q) >= 0) best = Math.max(best, 90 - n);
      });
      if (!best && entry.summary.indexOf(q) >= 0) best = 30;
      return best;
    }
    var at = firstSyllable(entry.py, q);
    if (at === 0) best = 100; else if (at > 0) best = 60 - Math.min(at, 20);
    entry.kw.forEach(function (kw, n) {
      var syl = kw[1];
      if (syl.join("") === q || initials(syl) === q) best = Math.max(best, 120 - n);
      else {
        var k = firstSyllable(syl, q);
        if (k === 0) best = Math.max(best, 90 - n); else if (k > 0) best = Math.max(best, 50 - n);
      }
    });
    return best;
  }

  function search(index, q) {
    if (!q) return [];
    return index
      .map(function (e, i) { return { e: e, s: score(e, q), i: i }; })
      .filter(function (r) { return r.s > 0; })
      .sort(function (a, b) { return b.s - a.s || a.e.name.length - b.e.name.length || a.i - b.i; })
      .slice(0, 8)
      .map(function (r) { return r.e; });
  }

  function setupKeyboard(box) {
    var index = window.KIOSK_INDEX || [];
    var root = box.getAttribute("data-root") || "";
    var out = document.getElementById("kiosk-query");
    var list = document.getElementById("kiosk-results");
    var none = document.getElementById("kiosk-noresult");
    var q = "";

    function show() {
      out.textContent = q;
      list.textContent = "";
      var found = search(index, q);
      found.forEach(function (e) {
        var a = document.createElement("a");
        a.className = "k-card k-result";
        a.href = root + e.url;
        var t = document.createElement("span");
        t.className = "k-card-title";
        t.textContent = e.name;
        a.appendChild(t);
        if (e.suspended) {
          var st = document.createElement("span");
          st.className = "k-card-state";
          st.textContent = "暂停办理";
          a.appendChild(st);
        }
        if (e.summary) {
          var s = document.createElement("span");
          s.className = "k-card-summary";
          s.textContent = e.summary;
          a.appendChild(s);
        }
        list.appendChild(a);
      });
      none.hidden = !(q && found.length === 0);
    }

    box.addEventListener("click", function (e) {
      var key = e.target.closest("[data-key]");
      var chip = e.target.closest("[data-query]");
      if (key) {
        var k = key.getAttribute("data-key");
        if (k === "back") q = q.slice(0, -1);
        else if (k === "clear") q = "";
        else if (q.length < 30) q += k;
        show();
      } else if (chip) {
        q = chip.getAttribute("data-query");
        show();
      }
    });
    // a hardware keyboard or an input method also works
    document.addEventListener("keydown", function (e) {
      if (e.target.closest("input, textarea")) return;
      if (e.key === "Backspace") { q = q.slice(0, -1); show(); }
      else if (/^[a-zA-Z]$/.test(e.key)) { q += e.key.toLowerCase(); show(); }
    });
    show();
  }

  /* ------------------------------------------------------------ start */

  // overlays live at the end of <body>, above everything the theme stacks
  ["kiosk-idle", "kiosk-qr"].forEach(function (id) {
    var o = document.getElementById(id);
    if (o) document.body.appendChild(o);
  });
  // the theme's search dialog has no accessible name of its own
  document.querySelectorAll('.md-search[role="dialog"]').forEach(function (d) {
    if (!d.getAttribute("aria-label")) d.setAttribute("aria-label", "搜索");
  });
  applyLarge(store.getItem(LARGE) === "1");
  armIdle();
  var box = document.getElementById("kiosk-search");
  if (box) setupKeyboard(box);
  window.kiosk = { search: search, reset: resetKiosk };
})();
