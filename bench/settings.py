"""Settings for the benchmark only: production's settings plus a query counter and a bare view.

Loaded only by DJANGO_SETTINGS_MODULE=bench.settings (which bench/run.py sets for the
gunicorn it starts); a normal deployment never imports this module.
"""

from coaching.settings import *  # noqa: F403
from coaching.settings import MIDDLEWARE as APP_MIDDLEWARE

# First, so it counts every query of the request: session and user lookups, the view,
# template rendering, and on PostgreSQL the BEGIN/COMMIT that Django logs.
MIDDLEWARE = ["bench.middleware.count_queries", *APP_MIDDLEWARE]

# The app's URLs plus /bench/bare/, the floor every page is compared with.
ROOT_URLCONF = "bench.urls"
