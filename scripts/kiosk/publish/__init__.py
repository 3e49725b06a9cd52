"""Publishing: a township's site built as a release, verified, switched live atomically, rolled back. May import:
kiosk.site, kiosk.printing, kiosk.text, kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules."""
