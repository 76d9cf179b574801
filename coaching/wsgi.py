"""WSGI entry point (gunicorn coaching.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from coaching.config import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings")
# Read by settings: web requests get a statement timeout; commands and migrations do not.
os.environ["STUDIO_PROCESS"] = "web"
load_settings_or_exit()
application = get_wsgi_application()
