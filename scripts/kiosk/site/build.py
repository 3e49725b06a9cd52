"""The kiosk site: what the MkDocs plugin does (kiosk.site.plugin), and `kiosk build` around it.

The plugin only calls into here, so `mkdocs build`, `mkdocs serve` and `kiosk build` run the same code.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import BuildError, MkDocsException, PluginError
from mkdocs.structure.files import File

from .. import settings
from ..catalogue.load import load
from ..catalogue.view import SHEETS, sheet_name
from ..exceptions import KioskError, SettingsError, SpeechError
from ..files import alive, atomic_write, prune
from ..printing.context import BuildContext
from ..problems import message
from ..settings import SiteSettings, cache_dir, read, stroke_data
from . import assets, compress, pages, stylesheet, uptodate

ROOT = "%KIOSK_ROOT%"  # stands for a page's path to the site root in the chrome rendered once per build
SHEETS_STAGING = ".sheets-staging"
AUDIO, AUDIO_STAGING = "audio", ".audio-staging"
MARKER = re.compile(r"^<!-- kiosk:([a-z-]+) -->$", re.M)
WIDE = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")  # CJK
LINK = re.compile(r'<a\b([^>]*?)\bhref="(https?:[^"]*)"', re.I)  # a phone number is to call: kiosk.js says so


def joined_lines(markdown: str) -> str:
    """A page's paragraph lines put together (in practice the hand-written pages': generated ones write a
    paragraph on one line) where a line ends in a Chinese character or mark and the
    next goes on with another: a browser shows that line break as a space between words (the rule of CSS that
    drops it between Chinese characters is not in Chromium). A heading, a line of a table and a line ending in
    spaces (a break the author asked for) are left as they are."""
    out: list[str] = []
    for line in markdown.split("\n"):
        prev = out[-1] if out else ""
        if (
            WIDE.match(prev[-1:])
            and WIDE.match(line.lstrip()[:1])
            and not prev.lstrip().startswith("#")
            and "|" not in prev + line
        ):
            out[-1] = prev + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


class Site:
    """One MkDocs build of the kiosk, from its build context."""

    def __init__(self, config, ctx: BuildContext):
        self.config, self.ctx = config, ctx
        self.audio: dict[str, str] = {}
        c = ctx.catalogue
        config["site_name"] = c.center.short_name or c.center.name  # every page's header and <title>: this township
        config.extra["kiosk_site"] = {
            "sample": c.catalogue.sample,
            "version": c.catalogue.version,
            "effective_date": c.catalogue.effective_date.isoformat(),
            "center": c.center.short_name or c.center.name,
            "head": Markup(self.chrome("site/head.html")),
            "chrome": Markup(self.chrome("site/chrome.html")),
            "theme_css": stylesheet.NAME,
        }
        self.theme_css: Path | None = None  # the theme's own stylesheet, which `finish` cuts down

    @classmethod
    def start(cls, config, ctx: BuildContext | None, options: dict | None = None) -> "Site":
        """The build of `config`: from the context a command handed over, else from mkdocs.yml itself (a
        plain `mkdocs build` or `mkdocs serve`: the plugin's `options`), loading and checking the catalogue here."""
        if ctx is None:
            try:
                folder, settings = project(config, options)
            except SettingsError as e:
                raise PluginError(str(e)) from None
            loaded = load(folder / settings.catalogue, settings.township)
            if not loaded.ok:
                raise PluginError(message("plugin_catalogue_errors", problems="\n".join(map(str, loaded.problems))))
            ctx = BuildContext(loaded, settings, cache_dir(folder), strokes=stroke_data(folder))
        return cls(config, ctx)

    def chrome(self, template: str, root: str = ROOT) -> str:
        """What every kiosk screen carries (site/head.html, site/chrome.html), for a page whose path to the
        site root is `root` (by default the placeholder main.html fills in)."""
        hotline = self.ctx.catalogue.center.hotline
        return (
            pages.environment()
            .get_template(template)
            .render(
                c=self.ctx.catalogue,
                settings=self.ctx.settings,
                root=root,
                icon_svg=pages.icon_svg,
                hotline_qr=self.ctx.qr.svg(hotline.url, message("qr_hotline", name=hotline.name))
                if hotline.url
                else None,
            )
        )

    def write_audio(self) -> None:
        """The read-aloud audio of every matter and of the home page (kiosk.site.speech: espeak-ng's Mandarin
        read from pinyin), from the cache of earlier builds where it has them, into `<site>/.audio-staging`
        (MkDocs leaves dot folders alone when it cleans the site); `finish` moves it to `<site>/audio`.
        Without espeak-ng the kiosk has no 朗读 button; a voice asked for (KIOSK_VOICE) that is not there
        stops the build."""
        from . import speech

        if not speech.available():
            if settings.env("KIOSK_VOICE"):
                raise SpeechError(message("speech_no_voice", voice=settings.env("KIOSK_VOICE")))
            return
        texts = {"home": pages.environment().get_template("site/read-aloud-home.txt").render(c=self.ctx.catalogue)}
        texts |= {
            v.m.id: pages.environment().get_template("site/read-aloud.txt").render(v=v) for v in self.ctx.cv.views()
        }
        speech.render_all(
            texts, Path(self.config.site_dir) / AUDIO_STAGING, self.ctx.cache / "audio", jobs=self.ctx.jobs
        )
        self.audio = {name: f"{AUDIO}/{name}.opus" for name in texts}

    def write_sheets(self) -> None:
        """The printable sheets, linked from the store of earlier renders where it has them, into
        `<site>/.sheets-staging`; `finish` moves them to `<site>/sheets`.

        Run before MkDocs builds the pages, so the sheet workers start from a small process rather than
        one holding every built page. Each matter's PDF is `sheets/<id>.pdf`, its print view
        `sheets/<id>.html` (the PDF's own HTML), plus the blank forms and the booklet.
        """
        from ..printing import sheets

        target = Path(self.config.site_dir) / SHEETS_STAGING
        shutil.rmtree(target, ignore_errors=True)
        report = self.ctx.sheets = sheets.build(self.ctx, target, store=self.ctx.cache / "sheets", link=True)
        (target / sheets.CACHE_FILE).unlink(missing_ok=True)  # bookkeeping, not for the kiosk
        for v in self.ctx.cv.views():  # the PDF's own HTML: the print view cannot say anything else
            sheet = report.store.html(report.keys[sheet_name(v.m.id)])
            (target / f"{v.m.id}.html").write_text(self.print_view(v, sheet), "utf-8")

    def print_view(self, v, sheet: str) -> str:
        """A matter's 一次性告知单 as a kiosk screen (sheets/<id>.html): the sheet's HTML with the print
        stylesheet, plus the kiosk's help bar, settings and behaviour (kiosk.css, kiosk.js) and the print
        bar and message of site/print-view.html; opened with ?print it prints and goes back to the matter."""
        from ..printing.documents import with_inline_css

        root = "../"
        head = self.chrome("site/head.html", root) + f'<link rel="stylesheet" href="{root}assets/kiosk.css">\n'
        top = pages.environment().get_template("site/print-view.html").render(v=v, root=root)
        bottom = self.chrome("site/chrome.html", root) + f'<script src="{root}assets/kiosk.js"></script>\n'
        page = with_inline_css(sheet).replace("</head>", head + "</head>", 1)
        page = page.replace(
            '<body class="sheet">',
            f'<body class="sheet" data-kiosk-print data-kiosk-return="{root}{v.path}">\n' + top,
            1,
        )
        return page.replace("</body>", bottom + "</body>", 1)

    def add_pages(self, files):
        """The generated pages (kiosk.site.pages), as files MkDocs builds from memory, and the package's own
        assets (kiosk.site.assets: the search matcher the desk serves too). The theme's JavaScript and
        stylesheets are not published: `finish` writes the part of its stylesheet the pages use."""
        for f in [f for f in files if f.src_uri.startswith(stylesheet.THEME_ASSETS)]:
            if stylesheet.THEME_CSS.fullmatch(f.src_uri):
                self.theme_css = Path(f.abs_src_path)
            files.remove(f)
        for path, text in pages.site_files(self.ctx, self.audio).items():
            files.append(File.generated(self.config, path, content=text))
        for name, source in assets.files().items():
            files.append(File.generated(self.config, f"assets/{name}", abs_src_path=str(source)))
        self.converted = Converted(self.ctx.cache / "pages", self.config, files)
        return files

    def clear_compressed(self) -> None:
        """No gzip left from an earlier build in the site's folder (kiosk.site.compress), before anything is
        written: a build stopped half way leaves no gzip that disagrees with its file."""
        compress.clear(Path(self.config.site_dir))

    def finish(self) -> None:
        """Sheets and audio from their staging folders to their places, once the pages are built; the pages'
        HTML kept for the next build; the theme's stylesheet cut to what the pages use; then every text file
        of the site gzipped beside it, for `kiosk serve`."""
        self.converted.finish()
        site_dir = Path(self.config.site_dir)
        for name, staging in ((SHEETS, SHEETS_STAGING), (AUDIO, AUDIO_STAGING)):
            if (site_dir / staging).is_dir():
                shutil.rmtree(site_dir / name, ignore_errors=True)  # a dirty build (mkdocs serve --dirty)
                (site_dir / staging).rename(site_dir / name)
        if self.theme_css is None:  # a bug: this theme has its stylesheet elsewhere
            raise RuntimeError("the theme's stylesheet (assets/stylesheets/main.*.min.css) is not among its files")
        own_css = [site_dir / path for path in self.config.extra_css if (site_dir / path).is_file()]
        stylesheet.write(site_dir, self.theme_css, own_css)
        compress.gzip_site(site_dir, self.ctx.cache / "gzip", jobs=self.ctx.jobs)

    def fill_markers(self, markdown: str, page) -> str:
        """Hand-written pages name data blocks as `<!-- kiosk:NAME -->` on a line of their own."""
        page.meta.setdefault("hide", ["navigation", "toc"])
        root = "../" * page.url.count("/")

        def block(found):
            name = found.group(1)
            try:
                template = pages.environment().get_template(f"blocks/{name}.html")
            except jinja2.TemplateNotFound as e:  # a typo in a hand-written page is the page author's mistake
                raise PluginError(f"{page.file.src_uri}: unknown block kiosk:{name} ({e})") from e
            text = template.render(cv=self.ctx.cv, root=root, icon_svg=pages.icon_svg)  # a bug here shows whole
            return f'<div class="k-block k-block-{name}" markdown="0">\n{text.strip()}\n</div>'

        return MARKER.sub(block, joined_lines(markdown))

    def link_overlays(self, page_html: str) -> str:
        """Links that leave the site get a QR code to scan instead (shown by kiosk.js); a tel: link shows its
        number to call, which needs no QR code."""
        base = self.ctx.catalogue.center.base_url
        found: dict[str, str] = {}
        counter = itertools.count(1)

        def mark(m):
            attrs, url = m.group(1), html.unescape(m.group(2))
            if url.startswith(base):
                return m.group(0)
            key = found.setdefault(url, f"kiosk-qr-{next(counter)}")
            return f'<a{attrs} data-kiosk-qr="{key}" href="{m.group(2)}"'

        page_html = LINK.sub(mark, page_html)
        templates = [
            f'<template id="{key}"><div class="k-qr-big">{self.ctx.qr.svg(url, message("qr_link", url=url))}</div>'
            f'<p class="k-qr-url">{html.escape(url)}</p></template>'
            for url, key in found.items()
        ]
        return page_html + "".join(templates)


class Converted:
    """Each page's HTML as MkDocs's Markdown made it, kept across builds (in `<cache>/pages`) by the key of
    what that conversion reads: the page's Markdown (the generated pages' is made from their data), its
    place, every file a link may name, and the Markdown settings and versions. A page whose key is known
    is not converted again: the plugin hands MkDocs no Markdown and puts back the HTML, table of contents,
    title and anchors it kept. Only a conversion that logged no warning is kept, and only once the
    build has gone through."""

    def __init__(self, folder: Path, config, files):
        self.folder = folder
        self.salt = _hash(
            [
                importlib.metadata.version("mkdocs"),
                importlib.metadata.version("markdown"),
                repr(config["markdown_extensions"]),
                repr(config["mdx_configs"]),
                config["use_directory_urls"],
                repr(config["validation"]),
                sorted(f.src_uri for f in files),
            ]
        )
        self.keys: dict[str, str] = {}  # page src_uri -> key, for this build
        self.kept: dict[str, dict] = {}  # page src_uri -> what a hit restores
        self.made: dict[str, dict] = {}  # key -> what this build converted, written by `finish`
        self.warnings_before = 0

    def markdown(self, markdown: str, page) -> str:
        """What MkDocs converts: nothing for a page whose HTML is kept."""
        key = self.keys[page.file.src_uri] = _hash([self.salt, page.file.src_uri, page.url, markdown])
        try:
            self.kept[page.file.src_uri] = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            return ""
        except (FileNotFoundError, ValueError):
            self.warnings_before = _warnings()
            return markdown

    def content(self, content: str, page, files) -> str:
        """The page's HTML: as kept, with what MkDocs learnt converting it; or as converted, kept for later."""
        from mkdocs.structure.toc import get_toc

        src = page.file.src_uri
        kept = self.kept.get(src)
        if kept is not None:
            page.toc = get_toc(kept["toc"])
            page._title_from_render = kept["title"]
            page.present_anchor_ids = set(kept["anchors"])
            if page.links_to_anchors is not None:
                page.links_to_anchors = {
                    f: links for uri, links in kept["links"].items() if (f := files.get_file_from_path(uri))
                }
            return kept["content"]
        if _warnings() == self.warnings_before:
            self.made[self.keys[src]] = {
                "content": content,
                "toc": [_toc_token(a) for a in page.toc],
                "title": page._title_from_render,
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
            }
        return content

    def finish(self) -> None:
        """Keep what this build converted; forget what no build has used for a while (kiosk.files.prune)."""
        for key, entry in self.made.items():
            atomic_write(self.folder / f"{key}.json", json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        used = set(self.keys.values())
        dated = {}
        for path in self.folder.glob("*.json"):
            if path.stem in used and path.stem not in self.made:
                os.utime(path)
            dated[path.stem] = path.stat().st_mtime
        for key in prune(dated, used, limit=10 * len(used)):
            (self.folder / f"{key}.json").unlink(missing_ok=True)


def _hash(data) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _toc_token(a) -> dict:
    return {"name": a.title, "id": a.id, "level": a.level, "children": [_toc_token(c) for c in a.children]}


def _warnings() -> int:
    """How many warnings MkDocs has counted in this build (its strict mode stops the build on any)."""
    from mkdocs.utils import CountHandler

    return sum(
        n for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler) for _, n in h.get_counts()
    )


def build(
    ctx: BuildContext,
    config_file: str | Path = "mkdocs.yml",
    site_dir: str | Path | None = None,
    link: bool = True,
    again: bool = True,
) -> Path:
    """Build the site of `ctx` into a fresh folder, then make `site_dir` point at it with one atomic rename.

    `site_dir` is a symlink to `.<name>-builds/build-…`; a failure or a kill at any step leaves the
    previous site exactly as it was, and the next build clears what a killed one left. With
    `link=False` the site is built straight into `site_dir` (for a folder nobody reads yet). With
    `again=False` a site already built from the very same inputs, and untouched since, is left as it is
    (`ctx.unchanged` says so; kiosk.site.uptodate).
    """
    from mkdocs.commands.build import build as mkdocs_build

    config = mkdocs_config(config_file, ctx)
    final = Path(os.path.abspath(site_dir or config.site_dir))
    if not link:
        config.site_dir = str(final)
        mkdocs_build(config)
        return final
    builds = final.parent / f".{final.name}-builds"
    builds.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(builds, final)
    inputs = [Path(config.config_file_path).parent / ctx.settings.catalogue, Path(config.docs_dir)]
    inputs += [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    made_from = uptodate.key(ctx, Path(config.config_file_path), inputs)
    if not again and uptodate.unchanged(final, made_from):
        ctx.unchanged = True
        return final
    uptodate.forget(final)
    work = Path(tempfile.mkdtemp(prefix=f"build-{os.getpid()}-", dir=builds))
    try:
        config.site_dir = str(work)
        mkdocs_build(config)
        _switch(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _clear_leftovers(builds, final)
    uptodate.write(final, made_from)
    return final


def project(config, options: dict | None = None) -> tuple[Path, SiteSettings]:
    """The project's folder (mkdocs.yml's) and the site's settings: the kiosk plugin's options in mkdocs.yml,
    checked by MkDocs and by kiosk.settings.read (a SettingsError says which is wrong). `config`: mkdocs.yml's
    path, or its loaded MkDocs config (with the plugin's `options`, when the plugin asks)."""
    if isinstance(config, (str, Path)):
        from mkdocs.config import load_config

        config = load_config(str(config))
    folder = Path(config.config_file_path).parent
    return folder, read(dict(options if options is not None else config.plugins["kiosk"].config))


# What stops a build or a publish and is said in Chinese: the kiosk's own errors, and MkDocs's own (it logs a
# BuildError, a plugin's PluginError among them, and raises Abort; it re-raises anything else). Any other
# exception is a bug: it goes on with its traceback, and the site or live release that was there stays.
OWN_ERRORS = (KioskError, MkDocsException)


def detail(e: Exception) -> str:
    """What a kiosk error or MkDocs's abort says: for an abort, the BuildError it was raised from (MkDocs only
    logs it, and nothing shows its log here)."""
    if isinstance(e, KioskError):
        return e.message
    cause = e.__cause__ or e.__context__
    return str(cause) if isinstance(cause, BuildError) else e.format_message()


def mkdocs_config(config_file: str | Path, ctx: BuildContext | None = None):
    """mkdocs.yml loaded, with the build context handed to the kiosk plugin (None: the plugin loads the
    catalogue itself, as a plain `mkdocs build` does)."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    config.plugins["kiosk"].context = ctx
    return config


def date_build(epoch: int):
    """SOURCE_DATE_EPOCH for the pages' dates and the sitemap, for one build only: kiosk.site.plugin sets it when
    the build starts and calls what this returns, which puts it back, when the build ends or fails. Never
    left behind to date what the process makes after."""
    before = os.environ.pop("SOURCE_DATE_EPOCH", None)  # kept to put back, not read as a setting
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)

    def undo() -> None:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before

    return undo


def _switch(new: Path, final: Path) -> None:
    """Point `final` at `new`: readers see the old site or the new one, never a missing or half one."""
    tmp = final.with_name(f".{final.name}.link-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(os.path.relpath(new, final.parent))
    if final.is_dir() and not final.is_symlink():  # a site/ folder from before builds were linked
        final.rename(new.parent / f"previous-{os.getpid()}")
    os.replace(tmp, final)


def _clear_leftovers(builds: Path, final: Path) -> None:
    """Remove builds that are not live and whose process is gone (killed or finished)."""
    live = os.path.realpath(final) if final.is_symlink() else None
    for entry in builds.iterdir():
        if os.path.realpath(entry) == live:
            continue
        parts = entry.name.split("-")
        owner = int(parts[1]) if len(parts) > 2 and parts[0] == "build" and parts[1].isdigit() else None
        if owner is not None and owner != os.getpid() and alive(owner):
            continue  # another build is still running
        shutil.rmtree(entry, ignore_errors=True)
