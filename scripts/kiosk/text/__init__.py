"""The words every surface shares: the Jinja environment and the shared templates (the one-time notice, the limit
sentences, the blocks, the change notes). May import: kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules."""
