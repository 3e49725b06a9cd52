/* How the kiosk and the window desk find a matter from what a person says: pinyin (full, initials, any
 * mix of syllable beginnings), Chinese typed, written or tapped, on a matter's name and every 俗称.
 * An index entry is {id, name, summary, url, py: [syllables of the name], kw: [[keyword, [its syllables]]],
 * suspended}, as kiosk.site.pages.search_index writes it. Exposes window.KioskSearch = {search, closest, words}.
 */
(function () {
  "use strict";

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

  function every(text, q) {
    for (var i = 0; i < q.length; i++) if (text.indexOf(q.charAt(i)) < 0) return false;
    return true;
  }

  function score(entry, q) {
    var best = 0;
    if (!/^[a-z]+$/.test(q)) {  // Chinese (typed, written or a tapped word): the text itself
      if (entry.name.indexOf(q) >= 0) best = 100;
      entry.kw.forEach(function (kw, n) {
        if (kw[0] === q) best = Math.max(best, 120 - n);
        else if (kw[0].indexOf(q) >= 0) best = Math.max(best, 90 - n);
        else if (kw[0].length > 1 && q.indexOf(kw[0]) >= 0) best = Math.max(best, 80 - n);  // 我要办低保
      });
      if (!best && q.length > 1 && every(entry.name, q)) best = 40;
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

  // nothing found: what the longest beginning of the query finds ("dbsqx" -> "dbsq" -> …)
  function closest(index, q) {
    for (var k = q.length - 1; k >= 1; k--) {
      var found = search(index, q.slice(0, k));
      if (found.length) return found.slice(0, 3);
    }
    return [];
  }

  // the words of the index that go on from `q` (医 → 医保, 医疗救助 …): every 俗称 and every name (without
  // what it says in brackets) that starts with it, the shortest first, then the most used
  function words(index, q, limit) {
    var uses = {};
    index.forEach(function (e) {
      [e.name.split(/[（(]/)[0]].concat(e.kw.map(function (kw) { return kw[0]; })).forEach(function (w) {
        if (w.length > q.length && w.indexOf(q) === 0) uses[w] = (uses[w] || 0) + 1;
      });
    });
    return Object.keys(uses)
      .sort(function (a, b) { return a.length - b.length || uses[b] - uses[a]; })
      .slice(0, limit || 6);
  }

  window.KioskSearch = { search: search, closest: closest, words: words };
})();
