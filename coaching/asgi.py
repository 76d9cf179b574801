"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from coaching.config import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings")
# Read by settings: web requests get a statement timeout; commands and migrations do not.
os.environ["STUDIO_PROCESS"] = "web"
load_settings_or_exit()
application = get_asgi_application()
