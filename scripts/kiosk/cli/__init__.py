"""The `kiosk` command: every subcommand, its options and the one error boundary. May import: kiosk.desk,
kiosk.publish, kiosk.site, kiosk.printing, kiosk.exchange, kiosk.text, kiosk.catalogue, kiosk.calendar, kiosk.model and the base modules."""
