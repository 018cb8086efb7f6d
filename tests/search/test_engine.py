"""search.engine: deciding which engine answers loads no Elasticsearch client. No database."""

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("elasticsearch", "elasticsearch_dsl", "jieba", "opencc")


def test_a_worker_that_serves_pages_loads_no_search_client_or_dictionary():
    """gunicorn imports the WSGI application and the URLconf loads every view and signal handler; none of that
    may load the Elasticsearch client or a dictionary (bench/cache.sh measures the worker memory this saves)."""
    code = (
        "import sys\n"
        "from portal.wsgi import application\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "import search.indexing, search.queries, search.views\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    env = {**os.environ, "ELASTICSEARCH_URL": "http://127.0.0.1:9"}  # configured, as in production
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo, env=env)
    assert out.stdout.strip() == "[]", out.stdout
