"""Paper: the one-time notice sheets, forms, booklet and 补正 notice (documents keyed by their data, the store,
WeasyPrint, fonts, QR codes) and the build context. May import: kiosk.text, kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules."""
