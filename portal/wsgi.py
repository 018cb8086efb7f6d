"""WSGI entry point for gunicorn; production settings unless the environment names others."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# Load the Chinese dictionaries once per worker at start rather than on the first search.
from search import chinese  # noqa: E402

chinese.warm_up()
