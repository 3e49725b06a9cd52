"""Service-matter catalogue of a township convenience service center, compiled into a kiosk site and sheets."""
