"""The kiosk as a MkDocs plugin (`plugins: [kiosk]` in mkdocs.yml): thin glue named after MkDocs's events;
the work is in kiosk.site.

`kiosk build` and `kiosk publish` check the catalogue and hand the plugin their build context (`context`)
before they build; a plain `mkdocs build` or `mkdocs serve` makes one here, from mkdocs.yml.
"""

from __future__ import annotations

from mkdocs.plugins import BasePlugin

from . import render
from .site import Site, date_build


class KioskPlugin(BasePlugin):
    context = None  # kiosk.context.BuildContext, handed over by the command that builds
    site: Site | None = None
    undate = None  # puts SOURCE_DATE_EPOCH back as it was before the build

    def on_config(self, config):
        self.site = Site.start(config, self.context)
        self.undate = date_build(self.site.ctx.epoch)  # the pages' dates and the sitemap's, for this build only
        return config

    def on_env(self, env, config, files):
        env.bytecode_cache = render.bytecode_cache()  # the theme's templates too: compiled once, not every build
        return env

    def on_pre_build(self, config):
        self.site.write_audio()
        self.site.write_sheets()

    def on_files(self, files, config):
        return self.site.add_pages(files)

    def on_page_markdown(self, markdown, page, config, files):
        return self.site.fill_markers(markdown, page)

    def on_page_content(self, html, page, config, files):
        return self.site.link_overlays(html)

    def on_post_build(self, config):
        self.site.finish()
        self._undate()

    def on_build_error(self, error):
        self._undate()

    def _undate(self):
        if self.undate is not None:
            self.undate()
            self.undate = None
