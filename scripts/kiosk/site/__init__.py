"""The kiosk site: the MkDocs plugin and build (the only MkDocs code), the generated pages, speech, handwriting and
the local server. May import: kiosk.printing, kiosk.text, kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules."""
