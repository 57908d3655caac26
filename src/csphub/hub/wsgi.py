"""WSGI entry point for ``csphub serve`` and any WSGI server (gunicorn csphub.hub.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.hub.settings")
application = get_wsgi_application()
