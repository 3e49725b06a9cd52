"""MkDocs hooks: thin glue, named after MkDocs events; the work is in kiosk.site."""

from kiosk.site import Site

_site: Site | None = None


def on_config(config):
    global _site
    _site = Site(config)
    return config


def on_pre_build(config):
    _site.write_audio()
    _site.generate_pages()
    _site.write_sheets()


def on_page_markdown(markdown, page, config, files):
    return _site.fill_markers(markdown, page)


def on_page_content(html, page, config, files):
    return _site.link_overlays(html)


def on_post_build(config):
    _site.place_sheets()
    _site.place_audio()
