"""The calendar: working days and holidays (the official calendar and its notices), and the time limits a guide
states, counted to dates. May import: kiosk.model and the base modules (kiosk.exceptions, problems, settings, files, clock)."""
