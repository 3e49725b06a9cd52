"""The kiosk's generated pages, from the build context: MkDocs builds them from memory (kiosk.site.plugin
hands them over as generated files), so `content/` holds only what people wrote.

    index.md                  home: tiles for topics, audiences, lists, help
    matters/<id>.md           one page per matter (the shared one-time notice)
    topics/<id>.md            matters of a topic
    for/<id>.md               matters for an audience (老年人, 残疾人 …)
    lists/<name>.md           即办, 全部事项, 最近更新
    search.md                 search by pinyin letters, handwriting, words
    assets/kiosk-index.js     what the search matches: names, keywords and their pinyin
    assets/kiosk-chars.txt    the characters of names and keywords, for handwriting (kiosk serve)
    assets/kiosk-strokes.json their stroke medians, handwriting's templates (kiosk.site.strokes), with the
                              dataset's licence beside them, where the build has the dataset

Catalogue text reaches the Markdown only inside escaped HTML blocks, never as Markdown.
"""

from __future__ import annotations

import hashlib
import html
import json
from functools import cache
from pathlib import Path

import yaml
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from ..catalogue.view import CatalogueView, MatterView, page_path, page_source
from ..files import kept
from ..printing.context import BuildContext
from ..problems import message
from ..text import render
from ..text.pinyin import lazy_pinyin
from ..text.pinyin import version as pinyin_version
from . import strokes

TEMPLATES = ((__package__, "templates"),)  # site/…, over the shared templates (kiosk.text)

_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this module's, which makes the index
ICONS = Path(__import__("material").__file__).parent / "templates" / ".icons" / "material"


def site_files(ctx: BuildContext, audio: dict[str, str] | None = None) -> dict[str, str]:
    """Every generated page by its path under the docs folder. `audio`: the read-aloud audio by matter id
    (and "home"), as site-relative paths, where the build made it."""
    audio, cv = audio or {}, ctx.cv
    info = ctx.catalogue.catalogue
    page = lambda template, title, root, **more: _page(template, title, root=root, cv=cv, qr=ctx.qr, **more)  # noqa: E731
    out: dict[str, str] = {}
    active = [v for v in cv.views() if v.m.task_state != "取消"]
    counts = {t.id: sum(t.id in v.m.user_topic_type for v in active) for t in info.topics}
    out["index.md"] = page("site/home.md", message("title_home"), "", counts=counts, audio=audio.get("home"))
    for v in cv.views():
        out[page_source(v.m.id)] = page(
            "site/matter.md",
            v.m.task_name,
            "../../",
            v=v,
            json_ld=json_ld,
            audio="../../" + audio[v.m.id] if v.m.id in audio else None,
        )
    for t in info.topics:
        ms = [v for v in active if t.id in v.m.user_topic_type]
        out[f"topics/{t.id}.md"] = page("site/list.md", t.name, "../../", matters=ms, icon=t.icon)
    for a in info.audiences:
        ms = [v for v in active if a.id in v.m.audiences]
        out[f"for/{a.id}.md"] = page(
            "site/list.md", message("title_audience", name=a.name), "../../", matters=ms, icon=a.icon
        )
    lists = {
        "instant": (message("title_instant"), "clock-fast", [v for v in active if v.limits.same_day]),
        "all": (message("title_all"), "format-list-bulleted", by_reading(active, ctx.cache)),
    }
    for name, (title, icon, ms) in lists.items():
        out[f"lists/{name}.md"] = page("site/list.md", title, "../../", matters=ms, icon=icon)
    if ctx.catalogue.changes:
        out["lists/updates.md"] = page(
            "site/updates.md", message("title_updates"), "../../", report=ctx.catalogue.changes, icon="update"
        )
    out["search.md"] = page("site/search.md", message("title_search"), "../", chips=common_keywords(cv))
    out["assets/kiosk-index.js"] = kept(
        ctx.cache / "search-index",
        [_CODE, pinyin_version(), search_entries(cv)],
        lambda: "window.KIOSK_INDEX = " + _script_json(search_index(cv)) + ";\n",
    )
    chars = catalogue_characters(cv)
    out["assets/kiosk-chars.txt"] = chars + "\n"
    out |= handwriting_templates(chars, ctx.strokes)
    return out


def by_reading(views: list[MatterView], cache: Path) -> list[MatterView]:
    """`views` in the order of their names' pinyin (the list of every matter). The readings are kept by the
    key of the names (kiosk.files.kept): a build with no new name makes no pinyin."""
    names = sorted({v.m.task_name for v in views})
    readings = json.loads(
        kept(
            cache / "readings",
            [pinyin_version(), names],
            lambda: json.dumps({n: lazy_pinyin(n) for n in names}, ensure_ascii=False),
        )
    )
    return sorted(views, key=lambda v: readings[v.m.task_name])


def _page(template: str, title: str, **context) -> str:
    front = yaml.safe_dump({"title": html.escape(title)}, allow_unicode=True, sort_keys=False)
    body = (
        environment()
        .get_template(template)
        .render(title=title, icon_svg=icon_svg, href=_href(context["root"]), **context)
    )
    return f"---\n{front}---\n\n{body}"


def environment():
    """The site's templates over the shared ones."""
    return render.environment(*TEMPLATES)


def _href(root: str):
    return lambda matter_id: root + page_path(matter_id)


@cache
def icon_svg(name: str | None) -> Markup:
    """A Material Design icon as inline SVG; nothing for an unknown name."""
    if not name:
        return Markup("")
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        return Markup("")
    return Markup(path.read_text("utf-8").replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


# ---------------------------------------------------------------- keyboard search


def syllables(text: str) -> list[str]:
    """Pinyin syllables of the Chinese characters in `text` (letters and digits kept, lowercased)."""
    out = []
    for part in lazy_pinyin(
        text, style="NORMAL", errors=lambda s: [c.lower() for c in s if c.isascii() and c.isalnum()]
    ):
        if isinstance(part, list):
            out += part
        elif part:
            out.append(part.lower())
    return [s for s in out if s]


def search_index(cv: CatalogueView) -> list[dict]:
    """One entry per matter: what the keyboard matches on (the pinyin worked out here: the build keeps the
    index by the key of `search_entries`, so it is done again only when a name or keyword changes)."""
    return [{**e, "py": syllables(e["name"]), "kw": [[k, syllables(k)] for k in e["kw"]]} for e in search_entries(cv)]


def search_entries(cv: CatalogueView) -> list[dict]:
    """What the index is made from: each matter in use, but the pinyin."""
    return [
        {
            "id": v.m.id,
            "name": v.m.task_name,
            "summary": v.m.summary or "",
            "url": page_path(v.m.id),
            "kw": v.keywords,
            "suspended": v.suspended,
        }
        for v in cv.views()
        if v.m.task_state != "取消"
    ]


def catalogue_characters(cv: CatalogueView) -> str:
    """The Chinese characters of every name and 俗称, most frequent first: what handwriting prefers."""
    counts: dict[str, int] = {}
    for v in cv.views():
        for text in [v.m.task_name, *v.keywords]:
            for ch in text:
                if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
                    counts[ch] = counts.get(ch, 0) + 1
    return "".join(sorted(counts, key=lambda ch: (-counts[ch], ch)))


def handwriting_templates(chars: str, data: Path) -> dict[str, str]:
    """assets/kiosk-strokes.json, the medians of `chars` in the stroke-order dataset at `data`, and the
    dataset's licence; nothing without the dataset (kiosk serve then reads with Zinnia alone)."""
    source = strokes.dataset_version(data)
    if source is None:
        return {}
    templates = {"source": source, "medians": strokes.medians(chars, data)}
    return {
        "assets/kiosk-strokes.json": json.dumps(templates, ensure_ascii=False, separators=(",", ":")),
        "assets/kiosk-strokes-licence.txt": (data / strokes.LICENCE).read_text("utf-8"),
    }


def common_keywords(cv: CatalogueView, limit: int = 12) -> list[str]:
    """Words to tap for residents who cannot spell pinyin: each matter's first keyword."""
    seen: list[str] = []
    for v in cv.views():
        if v.keywords and v.keywords[0] not in seen and v.m.task_state == "在用":
            seen.append(v.keywords[0])
    return seen[:limit]


def _script_json(data) -> str:
    """JSON safe to place inside a <script> element (Jinja's own `tojson`: <, >, & and ' escaped)."""
    return str(htmlsafe_json_dumps(data, ensure_ascii=False, separators=(",", ":")))


def json_ld(v: MatterView) -> Markup:
    """schema.org GovernmentService of a matter, safe inside <script type="application/ld+json">."""
    m, center = v.m, v.cat.c.center
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": m.task_name,
        "description": m.summary or m.task_name,
        **({"serviceType": m.task_type} if m.task_type else {}),
        "url": v.page_url,
        **({"provider": {"@type": "GovernmentOrganization", "name": m.dept_name}} if m.dept_name else {}),
        "areaServed": {"@type": "AdministrativeArea", "name": f"{center.county}{center.name}"},
        "availableChannel": {
            "@type": "ServiceChannel",
            "name": v.window.name,
            "serviceUrl": v.page_url,
            "servicePhone": {"@type": "ContactPoint", "telephone": v.phone, "name": v.person.name},
            "serviceLocation": {"@type": "Place", "name": v.window.name, "address": v.address},
        },
        "termsOfService": [c for c in m.accept_condition],
    }
    if m.is_fee is not None or m.fees:  # unknown stays out, never a guess
        data["isAccessibleForFree"] = not (m.is_fee or m.fees)
    return Markup(_script_json(data))
