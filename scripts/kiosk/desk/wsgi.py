"""The desk as a WSGI application (what gunicorn serves)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiosk.desk.settings")
application = get_wsgi_application()
