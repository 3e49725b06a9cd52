"""The theme's stylesheet cut down to what the kiosk's pages use, made by every build.

mkdocs-material's stylesheet (138 KB) styles everything the theme can show: navigation, search, code,
admonitions, tabs, tooltips, dark palettes. The kiosk's pages show a small part of it. After MkDocs has
written the pages, `write` reads the words of every page that loads the stylesheet and of every script of
the site (a script may add a class), and keeps of the theme's stylesheet:

- each selector whose classes, ids, elements and attribute values (`[dir=rtl]`) are all among those words
  (a selector that names something no page has cannot match; pseudo-classes and what `:not()`, `:is()`
  and other functions hold are not judged, so a selector is dropped only when it surely matches nothing);
- each custom property (`--md-…`) that something kept reads, or that the pages, their scripts or the
  kiosk's own stylesheets name;
- each `@keyframes` that a kept rule runs;
- `@media` and `@supports` blocks with what is left inside them, every other at-rule as it is.

The result is `assets/kiosk-theme.css` (NAME), which overrides/main.html links instead of the theme's
file; the theme's own stylesheets and its JavaScript are not published at all (THEME_ASSETS).
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

NAME = "assets/kiosk-theme.css"  # what the pages link (overrides/main.html, through the build's extra)
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")  # the theme's script and stylesheets: not published
THEME_CSS = re.compile(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css")  # the theme's one stylesheet
WORD = r"[A-Za-z_][A-Za-z0-9_-]*"  # a class, id, element or attribute value as a page or a script may name it
VAR = re.compile(r"var\(\s*--([A-Za-z0-9_-]+)")
EXACT = {"=", "~=", "|="}  # attribute operators whose value is a whole word of the page


def write(site: Path, theme_css: Path, own_css: list[Path]) -> Path:
    """The theme's stylesheet `theme_css` cut to what the pages of `site` use, written to `site/NAME`.
    `own_css`: the kiosk's own stylesheets, which may read the theme's custom properties."""
    found: set[bytes] = set()
    word, link = re.compile(WORD.encode()), NAME.rsplit("/", 1)[-1].encode()
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".js"):
            continue
        data = path.read_bytes()
        if path.suffix == ".js" or link in data:  # a script, or a page that loads the stylesheet
            found.update(word.findall(data))
    words = {w.decode() for w in found}
    reads = {name for css in own_css for name in VAR.findall(css.read_text("utf-8"))}
    text = trim(theme_css.read_text("utf-8"), words, reads)
    target = site / NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return target


def trim(css: str, words: set[str], reads: set[str] = frozenset()) -> str:
    """`css` with only the selectors that may match a page of `words`, the custom properties something reads
    (a kept rule, a word, or `reads`: names without their `--`) and the keyframes a kept rule runs."""
    rules = _selected(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), words)
    declared = [d for _, ds in _all_rules(rules) for d in ds]
    needed = set(words) | set(reads)
    while True:  # a property read by one that is kept is kept too
        more = {
            name
            for d in declared
            if not d.name.startswith("--") or d.name[2:] in needed
            for name in VAR.findall(tinycss2.serialize(d.value))
        } - needed
        if not more:
            break
        needed |= more
    for _, ds in _all_rules(rules):
        ds[:] = [d for d in ds if not d.name.startswith("--") or d.name[2:] in needed]
    running = {
        t.value
        for _, ds in _all_rules(rules)
        for d in ds
        if "animation" in d.name
        for t in d.value
        if t.type == "ident"
    }
    return "".join(_serialized(rules, running))


# A rule as kept: (selector text, declarations) for a style rule, (at-rule, [inner rules]) for @media and
# @supports, (at-rule, None) for any other at-rule, kept as it is.


def _selected(rules, words: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split(rule.prelude) if _may_match(s, words)]
            if selectors:
                declarations = [
                    d
                    for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
                    if d.type == "declaration"
                ]
                kept.append((",".join(tinycss2.serialize(s).strip() for s in selectors), declarations))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
            inner = _selected(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), words)
            if inner:
                kept.append((rule, inner))
        elif rule.type == "at-rule":
            kept.append((rule, None))
    return kept


def _all_rules(rules):
    """Every style rule, inside @media and @supports too, as (selector, its list of declarations)."""
    for head, body in rules:
        if isinstance(head, str):
            yield head, body
        elif body is not None:
            yield from _all_rules(body)


def _serialized(rules, running: set[str]):
    for head, body in rules:
        if isinstance(head, str):
            if body:
                yield head + "{" + ";".join(_declaration(d) for d in body) + "}"
        elif body is not None:
            inner = "".join(_serialized(body, running))
            if inner:
                yield f"@{head.at_keyword}{tinycss2.serialize(head.prelude)}{{{inner}}}"
        elif head.lower_at_keyword != "keyframes" or _keyframes_name(head) in running:
            yield head.serialize()


def _declaration(d) -> str:
    return f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"


def _keyframes_name(rule) -> str | None:
    return next((t.value for t in rule.prelude if t.type in ("ident", "string")), None)


def _split(prelude) -> list[list]:
    """A selector list's selectors, each its tokens."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    return [*selectors, current]


def _may_match(selector, words: set[str]) -> bool:
    """Whether every class, id, element and exact attribute value `selector` names is among `words`."""
    previous = None
    for token in selector:
        if token.type == "ident":
            after = previous.value if previous is not None and previous.type == "literal" else None
            if after == "." or (after != ":" and (previous is None or previous.type == "whitespace" or after)):
                if token.value not in words:  # a class (after "."), or an element (at the start of a compound)
                    return False
        elif token.type == "hash" and token.is_identifier and token.value not in words:
            return False
        elif token.type == "[] block" and not _attribute_may_match(token.content, words):
            return False
        if token.type != "comment":
            previous = token
    return True


def _attribute_may_match(content, words: set[str]) -> bool:
    tokens = [t for t in content if t.type != "whitespace"]
    for i, token in enumerate(tokens[:-1]):
        if token.type == "literal" and token.value in EXACT:
            value = tokens[i + 1]
            if value.type in ("ident", "string"):
                return all(w in words for w in re.findall(WORD, value.value))
    return True
