"""Turn a settings error into one clear line at start-up, not a deep traceback."""

import importlib
import os
import sys

from django.core.exceptions import ImproperlyConfigured


def load_settings_or_exit() -> None:
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "coaching.settings")
    try:
        importlib.import_module(module)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(1)
