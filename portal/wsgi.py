"""WSGI entry point for gunicorn; production settings unless the environment names others."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# The Chinese dictionaries (jieba, pypinyin: some 130 MB) are not loaded here: a worker that only serves pages
# never needs them, and most requests are pages, from the page cache. A worker loads them on its first search.
