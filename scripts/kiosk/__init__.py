"""Service-matter catalogue of a township convenience service center, compiled into a kiosk site and sheets.

One subpackage a stage, each importing only the ones below it (its __init__ says which; tests/test_layout.py
holds every import to it): model, calendar, catalogue, text, then exchange and printing, site, publish, the
desk, the cli. The base modules (exceptions, problems, settings, files, clock) are for every stage.
"""
