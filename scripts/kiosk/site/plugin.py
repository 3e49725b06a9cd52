"""The kiosk as a MkDocs plugin (`plugins: - kiosk: {…}` in mkdocs.yml, its settings checked by MkDocs
against kiosk.settings.SITE): thin glue named after MkDocs's events; the work is in kiosk.site.build.

`kiosk build` and `kiosk publish` check the catalogue and hand the plugin their build context (`context`)
before they build; a plain `mkdocs build` or `mkdocs serve` makes one here, from mkdocs.yml.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin

from ..problems import message
from ..settings import SITE
from ..text import render
from .build import Site, date_build

# the site's settings, one option each, from the one list that declares them (kiosk.settings.SITE)
KioskConfig = type(
    "KioskConfig",
    (base.Config,),
    {
        s.name: c.Optional(c.Type(str)) if s.default is None else c.Type(type(s.default), default=s.default)
        for s in SITE
    },
)


class KioskPlugin(BasePlugin[KioskConfig]):
    context = None  # kiosk.printing.context.BuildContext, handed over by the command that builds
    site: Site | None = None
    undate = None  # puts SOURCE_DATE_EPOCH back as it was before the build

    def load_config(self, options, config_file_path=None):
        """MkDocs's check of the settings, with an unknown name an error (MkDocs only warns), said in Chinese."""
        errors, warnings = super().load_config(options, config_file_path)
        known = "、".join(s.name for s in SITE)
        unknown = [
            (key, message("setting_unknown", name=key, known=known))
            for key in options
            if key not in self.config_scheme_keys
        ]
        return errors + unknown, [w for w in warnings if w[0] not in dict(unknown)]

    @property
    def config_scheme_keys(self) -> set[str]:
        return {name for name, _ in self.config_class._schema}

    def on_config(self, config):
        self.site = Site.start(config, self.context, dict(self.config))
        self.undate = date_build(self.site.ctx.epoch)  # the pages' dates and the sitemap's, for this build only
        return config

    def on_env(self, env, config, files):
        env.bytecode_cache = render.bytecode_cache()  # the theme's templates too: compiled once, not every build
        return env

    def on_pre_build(self, config):
        self.site.clear_compressed()
        self.site.write_audio()
        self.site.write_sheets()

    def on_files(self, files, config):
        return self.site.add_pages(files)

    def on_page_markdown(self, markdown, page, config, files):
        return self.site.converted.markdown(self.site.fill_markers(markdown, page), page)

    def on_page_content(self, html, page, config, files):
        return self.site.link_overlays(self.site.converted.content(html, page, files))

    def on_post_build(self, config):
        self.site.finish()
        self._undate()

    def on_build_error(self, error):
        self._undate()

    def _undate(self):
        if self.undate is not None:
            self.undate()
            self.undate = None
