/* Kiosk behaviour for the hall touchscreen, on every page (the theme's pages and the print views):
 *   - navigation replaces the page instead of adding history; 返回 uses a trail kept in sessionStorage
 *   - the help bar: 返回, 回首页, 12345 (a number to call, and its web channel as a QR code), 大字
 *   - links that leave the site show a QR code to scan, phone links a number to call: never a dead end
 *   - after an idle time, a countdown with 继续使用; then home, with storage cleared; an idle home shows
 *     the attract screen, which any touch dismisses: each is the end of a visit (大字, handwriting, the
 *     query and the trail cleared), and the next touch starts a new one
 *   - 朗读: a matter's audio, played with one tap and stopped with a second or on leaving the page
 *   - a print view opened by a tap on 打印告知单: prints once (silently with chromium --kiosk-printing), says
 *     where the paper comes out, and goes back to the matter; 返回, a reload or a trail never print again
 *   - on the search page: the on-screen keyboard (pinyin letters), the handwriting pad (when `kiosk serve`
 *     recognises handwriting) and typed text, all searching one small index of names and 俗称
 *     (the matching itself is kiosk-search.js, which the window desk uses too)
 */
(function () {
  "use strict";

  function meta(name, fallback) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.content : fallback;
  }

  function seconds(name, fallback, least) {
    return Math.max(least || 1, parseInt(meta(name, String(fallback)), 10) || fallback) * 1000;
  }

  var HOME = new URL(meta("kiosk-home", "/"), location.href).href;
  var TRAIL = "kiosk-trail";
  var LARGE = "kiosk-large";
  var PRINT = "kiosk-print";  // the print view one tap asked for: printed once, then forgotten
  var store = window.sessionStorage;

  function trail() {
    try { return JSON.parse(store.getItem(TRAIL) || "[]"); } catch (e) { return []; }
  }

  /* ------------------------------------------------------------ navigation */

  function go(url) {
    var t = trail();
    var here = new URL(location.href);
    here.searchParams.delete("print");  // coming back to a print view shows it, never prints it again
    t.push(here.href);
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
    window.dispatchEvent(new Event("resize"));  // what is sized to the screen measures again
  }

  function toggleLarge() {
    var on = !document.documentElement.classList.contains("k-large");
    if (on) store.setItem(LARGE, "1"); else store.removeItem(LARGE);
    applyLarge(on);
  }

  /* ------------------------------------------------------------ dialogs */

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

  // what cannot be opened here: a QR code to scan (`kind` "scan") or a number to call ("call")
  function showDialog(kind, content) {
    var body = document.getElementById("kiosk-qr-body");
    var title = document.getElementById("kiosk-qr-title");
    if (!body) return;
    title.textContent = title.getAttribute("data-" + kind);
    body.textContent = "";
    body.appendChild(content);
    openOverlay("kiosk-qr");
  }

  function fromTemplate(id) {
    var tpl = id && document.getElementById(id);
    return tpl ? tpl.content.cloneNode(true) : null;
  }

  function textBlock(className, before, strong) {
    var p = document.createElement("p");
    p.className = className;
    p.appendChild(document.createTextNode(before));
    if (strong) {
      var b = document.createElement("strong");
      b.textContent = strong;
      p.appendChild(b);
    }
    return p;
  }

  function callDialog(number) {
    showDialog("call", textBlock("k-call", "", number));  // the title says 请用手机拨打
  }

  function scanDialog(templateId, url) {
    showDialog("scan", fromTemplate(templateId) || textBlock("k-qr-url", url));
  }

  /* ------------------------------------------------------------ clicks */

  var ACTIONS = {
    back: back,
    home: home,
    large: toggleLarge,
    "continue": stayActive,
    close: function () { closeOverlay("kiosk-qr"); },
    hotline: function () { showDialog("call", fromTemplate("kiosk-hotline")); },
    read: function (button) { toggleReading(button); },
    "take-home": function (button) { scanDialog(button.getAttribute("data-template"), location.href); }
  };

  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-kiosk]");
    var action = button && button.getAttribute("data-kiosk");
    if (warning() && e.target.closest("#kiosk-idle")) action = "continue";
    if (e.target.id === "kiosk-qr") action = "close";  // a tap beside the dialog closes it
    if (action && ACTIONS[action]) {
      e.preventDefault();
      ACTIONS[action](button);
      return;
    }
    var a = e.target.closest("a[href]");
    if (!a || e.defaultPrevented) return;
    var href = a.getAttribute("href");
    var url = new URL(href, location.href);
    if (url.protocol === "tel:") {
      e.preventDefault();
      callDialog(decodeURIComponent(href.slice(4)));
      return;
    }
    if (a.hasAttribute("data-kiosk-qr") || url.origin !== location.origin) {
      e.preventDefault();
      scanDialog(a.getAttribute("data-kiosk-qr"), url.href);
      return;
    }
    if (href.charAt(0) === "#" || (url.pathname === location.pathname && url.search === location.search && url.hash)) return;
    e.preventDefault();
    if (url.searchParams.has("print")) store.setItem(PRINT, url.pathname + url.search);
    go(url.href);
  }, true);

  /* ------------------------------------------------------------ idle reset and the attract screen */

  var idleMs = seconds("kiosk-idle", 120);
  var countdown = Math.max(20, parseInt(meta("kiosk-countdown", "30"), 10));
  var attractMs = seconds("kiosk-attract", 60);
  var idleTimer = null;
  var tick = null;
  var left = 0;

  function warning() {
    var o = document.getElementById("kiosk-idle");
    return o ? !o.hidden : false;
  }

  function attracting() {
    var o = document.getElementById("kiosk-attract");
    return o ? !o.hidden : false;
  }

  function untouched() {  // the home page, as a visitor left it
    return location.href.split("#")[0] === HOME;
  }

  function armIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(onIdle, untouched() ? attractMs : idleMs);
  }

  function onIdle() {
    if (untouched()) {  // the visit is over: clear what it left and invite the next visitor
      endVisit();
      window.scrollTo(0, 0);
      if (document.getElementById("kiosk-attract")) openOverlay("kiosk-attract");
      return;
    }
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

  function endVisit() {  // 大字, the input mode, the query, the trail: nothing passes to the next visitor
    try { store.clear(); } catch (e) { /* nothing kept */ }
    try { window.localStorage.clear(); } catch (e) { /* nothing kept */ }
    applyLarge(false);
  }

  function resetKiosk() {
    clearInterval(tick);
    endVisit();
    location.replace(HOME);
  }

  // any touch dismisses the attract screen, and only dismisses it: the tile under the finger is not opened
  window.addEventListener("pointerdown", function (e) {
    if (!attracting()) return;
    e.preventDefault();
    e.stopPropagation();
    closeOverlay("kiosk-attract");
    swallowNextClick();
    armIdle();
  }, true);

  function swallowNextClick() {
    function swallow(e) { e.preventDefault(); e.stopPropagation(); }
    window.addEventListener("click", swallow, { capture: true, once: true });
    setTimeout(function () { window.removeEventListener("click", swallow, true); }, 800);
  }

  ["pointerdown", "keydown", "wheel", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, function () {
      if (!warning() && !attracting()) armIdle();  // during the countdown only 继续使用 (or a tap on it) continues
    }, { capture: true, passive: true });
  });

  /* ------------------------------------------------------------ read aloud */

  var playing = null;

  function toggleReading(button) {
    if (playing) {
      var same = playing.button === button;
      stopReading();
      if (same) return;
    }
    var audio = new Audio(button.getAttribute("data-audio"));
    playing = { audio: audio, button: button };
    button.setAttribute("aria-pressed", "true");
    button.querySelector(".k-read-label").textContent = "停止朗读";
    audio.addEventListener("ended", stopReading);
    audio.play().catch(stopReading);
  }

  function stopReading() {
    if (!playing) return;
    playing.audio.pause();
    playing.button.setAttribute("aria-pressed", "false");
    playing.button.querySelector(".k-read-label").textContent = "朗读";
    playing = null;
  }

  window.addEventListener("pagehide", stopReading);

  /* ------------------------------------------------------------ a print view */

  function setupPrint(body) {
    var matter = new URL(body.getAttribute("data-kiosk-return"), location.href).href;
    function done() {  // back to the matter, as 返回 would: the print view leaves nothing in the trail
      var t = trail();
      if (t.length && t[t.length - 1] === matter) back(); else location.replace(matter);
    }
    ACTIONS["print-done"] = done;
    var asked = store.getItem(PRINT);
    store.removeItem(PRINT);
    // printed only when a tap on 打印告知单 opened it: not opened to look at, by staff, by 返回 or a reload
    if (!/[?&]print\b/.test(location.search) || asked !== location.pathname + location.search) return;
    openOverlay("kiosk-printing");
    var returned = false;
    function later() {
      if (returned) return;
      returned = true;
      setTimeout(done, 5000);  // time to take the paper
    }
    window.addEventListener("afterprint", later);
    setTimeout(later, seconds("kiosk-return", 20));  // should the browser never say it has printed
    setTimeout(function () { window.print(); }, 300);
  }

  /* ------------------------------------------------------------ search */

  function card(e, root) {
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
    return a;
  }

  function setupSearch(box) {
    var index = window.KIOSK_INDEX || [];
    function measure() {  // where the search starts on the page: it fills the screen from there (kiosk.css)
      var top = box.getBoundingClientRect().top + window.scrollY;
      document.documentElement.style.setProperty("--k-search-top", Math.round(top) + "px");
    }
    measure();
    window.addEventListener("resize", measure);
    var search = window.KioskSearch.search, closest = window.KioskSearch.closest;
    var root = box.getAttribute("data-root") || "";
    var input = document.getElementById("kiosk-query");
    var list = document.getElementById("kiosk-results");
    var none = document.getElementById("kiosk-noresult");
    var near = document.getElementById("kiosk-closest");

    function query() {  // pinyin letters in lower case; anything else as written
      var v = input.value.trim();
      return /^[a-z]+$/i.test(v) ? v.toLowerCase() : v;
    }

    function set(value) {
      input.value = value;
      show();
    }

    var padWords = null;  // the handwriting pad's words that go on from the query

    function show() {
      var q = query();
      box.toggleAttribute("data-q", !!q);
      list.textContent = "";
      near.textContent = "";
      var found = search(index, q);
      asked = { q: q, outcome: found.length ? "left" : "none" };
      found.forEach(function (e) { list.appendChild(card(e, root)); });
      none.hidden = !(q && found.length === 0);
      if (!none.hidden) closest(index, q).forEach(function (e) { near.appendChild(card(e, root)); });
      near.parentNode.hidden = !near.firstChild;
      if (padWords) padWords(q);
    }

    // a search that ends with nothing found, or nothing opened, is told to `kiosk serve` (the words only),
    // so that the staff learn the words people use (kiosk searches)
    var asked = null;
    box.addEventListener("click", function (e) {
      if (e.target.closest(".k-result")) asked = null;
    }, true);
    window.addEventListener("pagehide", function () {
      if (asked && asked.q && navigator.sendBeacon) navigator.sendBeacon("/api/searches", JSON.stringify(asked));
      asked = null;
    });

    box.addEventListener("click", function (e) {
      var key = e.target.closest("[data-key]");
      var chip = e.target.closest("[data-query]");
      var mode = e.target.closest("[data-mode]");
      if (key) {
        var k = key.getAttribute("data-key");
        if (k === "back") set(input.value.slice(0, -1));
        else if (k === "clear") set("");
        else if (input.value.length < 30) set(input.value + k);
      } else if (chip) {
        set(chip.getAttribute("data-query"));
      } else if (mode) {
        useMode(box, mode.getAttribute("data-mode"));
      }
    });
    input.addEventListener("input", show);  // a hardware keyboard, an input method
    document.addEventListener("keydown", function (e) {
      if (e.target === input || e.target.closest("input, textarea")) return;
      if (e.key === "Backspace") set(input.value.slice(0, -1));
      else if (/^[a-zA-Z]$/.test(e.key)) set(input.value + e.key.toLowerCase());
    });
    var pad = document.getElementById("kiosk-pad");
    if (pad) padWords = setupPad(pad, box.getAttribute("data-handwriting"), function (ch) { set(input.value + ch); }, set);
    useMode(box, store.getItem("kiosk-mode") || "keys");
    show();
  }

  function useMode(box, mode) {
    var available = box.querySelector('[data-mode="' + mode + '"]');
    if (!available || available.hidden) mode = "keys";
    box.querySelectorAll("[data-mode]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-mode") === mode ? "true" : "false");
    });
    document.getElementById("kiosk-keyboard").hidden = mode !== "keys";
    var pad = document.getElementById("kiosk-pad");
    if (pad) pad.hidden = mode !== "pad";
    if (mode === "keys") store.removeItem("kiosk-mode"); else store.setItem("kiosk-mode", mode);
  }

  /* ------------------------------------------------------------ the handwriting pad */

  // only where `kiosk serve` recognises handwriting: the static site still works without it
  function whenHandwriting(api, then) {
    fetch(api, { method: "GET", cache: "no-store" }).then(function (r) {
      return r.json().catch(function () { return {}; });  // read to its end, whatever it says: the request is over
    }).then(function (state) {
      if (state.ok) then();
    }).catch(function () { /* no handwriting here: the keyboard stays */ });
  }

  var BOX = 300;  // strokes are sent in a 300×300 box, whatever the pad's size on screen

  // the pad: `add` puts a chosen character after the query, `replace` puts a whole word in its place;
  // returns what shows the words that go on from the query (called with each query)
  function setupPad(pad, api, add, replace) {
    var canvas = pad.querySelector("canvas");
    var ctx = canvas.getContext("2d");
    var choices = pad.querySelector(".k-candidates");
    var words = pad.querySelector(".k-words");
    var tab = document.querySelector('[data-mode="pad"]');
    var strokes = [];
    var current = null;
    var timer = null;
    var asked = 0;  // drawings sent: only the answer to the last one is shown, none after 重写 or a choice
    var pressed = false;  // a finger (or the mouse) is on a candidate: the buttons stay as they are under it
    var held = null;  // an answer that came meanwhile, shown once the finger is lifted without choosing

    whenHandwriting(api, function () {
      tab.hidden = false;
      if (store.getItem("kiosk-mode") === "pad") useMode(document.getElementById("kiosk-search"), "pad");
    });

    function fit() {
      var ratio = window.devicePixelRatio || 1;
      var size = canvas.getBoundingClientRect().width || BOX;
      canvas.width = Math.round(size * ratio);
      canvas.height = Math.round(size * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 8;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#1a1a1a";
      redraw();
    }

    function at(e) {
      var r = canvas.getBoundingClientRect();
      return [Math.round((e.clientX - r.left) * BOX / r.width), Math.round((e.clientY - r.top) * BOX / r.height)];
    }

    function clamp(p) { return [Math.min(BOX, Math.max(0, p[0])), Math.min(BOX, Math.max(0, p[1]))]; }

    function redraw() {
      var size = canvas.getBoundingClientRect().width || BOX;
      ctx.clearRect(0, 0, size, size);
      strokes.concat(current ? [current] : []).forEach(function (s) {
        ctx.beginPath();
        s.forEach(function (p, i) {
          var x = p[0] * size / BOX, y = p[1] * size / BOX;
          if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        });
        if (s.length === 1) ctx.lineTo(s[0][0] * size / BOX + .5, s[0][1] * size / BOX);
        ctx.stroke();
      });
    }

    function clear() {
      strokes = [];
      current = null;
      clearTimeout(timer);
      asked += 1;
      held = null;
      choices.removeAttribute("aria-busy");
      choices.textContent = "";
      redraw();
    }

    function recognise() {
      if (!strokes.length) return;
      asked += 1;
      var mine = asked;
      fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ strokes: strokes, width: BOX, height: BOX })
      }).then(function (r) { return r.ok ? r.json() : { candidates: [] }; })
        .catch(function () { return { candidates: [] }; })
        .then(function (data) { if (mine === asked) offer(data.candidates || []); });
    }

    function offer(chars) {
      if (pressed) {
        held = chars;
        choices.setAttribute("aria-busy", "true");  // a newer answer waits until the finger is lifted
        return;
      }
      choices.removeAttribute("aria-busy");
      choices.textContent = "";
      chars.slice(0, 8).forEach(function (ch) {
        choices.appendChild(button("k-candidate", "data-char", ch));
      });
    }

    function button(className, name, text) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = className;
      b.textContent = text;
      b.setAttribute(name, text);
      return b;
    }

    // the words of the index that go on from what was written (医 → 医保, 医疗救助 …), to take whole
    function offerWords(q) {
      words.textContent = "";
      if (!q || /^[a-z]+$/.test(q)) return;
      window.KioskSearch.words(window.KIOSK_INDEX || [], q).forEach(function (w) {
        words.appendChild(button("k-word", "data-word", w));
      });
    }

    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      current = [clamp(at(e))];
      clearTimeout(timer);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!current) return;
      var p = clamp(at(e)), last = current[current.length - 1];
      if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) < 3 || current.length >= 400) return;
      current.push(p);
      redraw();
    });
    function end() {
      if (!current) return;
      if (strokes.length < 30) strokes.push(current);
      current = null;
      redraw();
      clearTimeout(timer);
      timer = setTimeout(recognise, 250);
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    // a tap right after the last stroke lands while that stroke is being read: had the answer replaced the
    // button under the finger, the tap would be lost (pressed on one button, lifted on another)
    choices.addEventListener("pointerdown", function () { pressed = true; });
    function lifted() {
      if (!pressed) return;
      setTimeout(function () {  // after the click the lift makes, which chooses and clears
        pressed = false;
        if (held) offer(held);
        held = null;
      }, 300);
    }
    window.addEventListener("pointerup", lifted, true);
    window.addEventListener("pointercancel", lifted, true);
    pad.addEventListener("click", function (e) {
      var c = e.target.closest("[data-char]");
      var w = e.target.closest("[data-word]");
      if (c) { add(c.getAttribute("data-char")); clear(); }
      if (w) { replace(w.getAttribute("data-word")); clear(); }
      if (e.target.closest('[data-pad="clear"]')) clear();
    });
    if (window.ResizeObserver) new ResizeObserver(fit).observe(canvas);  // shown, zoomed, turned: drawn to size
    else window.addEventListener("resize", fit);
    fit();
    return offerWords;
  }

  /* ------------------------------------------------------------ start */

  // dialogs live at the end of <body>, above everything the theme stacks
  ["kiosk-idle", "kiosk-qr", "kiosk-attract", "kiosk-printing"].forEach(function (id) {
    var o = document.getElementById(id);
    if (o) document.body.appendChild(o);
  });
  applyLarge(store.getItem(LARGE) === "1");
  armIdle();
  var box = document.getElementById("kiosk-search");
  if (box) setupSearch(box);
  if (document.body.hasAttribute("data-kiosk-print")) setupPrint(document.body);
  var saysHandwriting = document.querySelectorAll('[data-kiosk-if="handwriting"]');
  if (saysHandwriting.length) {
    whenHandwriting("/api/handwriting", function () {
      saysHandwriting.forEach(function (e) { e.hidden = false; });
    });
  }
  window.kiosk = { search: window.KioskSearch && window.KioskSearch.search, reset: resetKiosk };
})();
