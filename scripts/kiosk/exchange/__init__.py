"""The catalogue in and out of other shapes: spreadsheets, a county 实施清单 imported, the differences between two
catalogues. May import: kiosk.text, kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules."""
