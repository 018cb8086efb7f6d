#!/usr/bin/env bash
# The whole suite against the real services it needs, started here and stopped on the way out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/chromium.sh
# Stop the services afterwards only if this run started them (a developer's `make run-full` may share them).
if bash scripts/postgres.sh status; then pg_here=0; else pg_here=1; fi
if bash scripts/elasticsearch.sh status; then es_here=0; else es_here=1; fi
cleanup() {
  if [ "$es_here" = 1 ]; then bash scripts/elasticsearch.sh stop || true; fi
  if [ "$pg_here" = 1 ]; then bash scripts/postgres.sh stop || true; fi
}
trap cleanup EXIT
DATABASE_URL=$(bash scripts/postgres.sh start)
ELASTICSEARCH_URL=$(bash scripts/elasticsearch.sh start)
export DATABASE_URL ELASTICSEARCH_URL
export DJANGO_SETTINGS_MODULE=portal.settings.test
.venv/bin/python manage.py check --fail-level WARNING
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models changed without a migration: run manage.py makemigrations" >&2; exit 1; }
if [ "$#" -gt 0 ]; then
  .venv/bin/python -m pytest "$@"
  exit 0
fi
# The whole suite, then the judged relevance tests in a session of their own over the realistic corpus
# (10,000 demo updates loaded before the index is built, in a fresh database no other test shares). Both
# run even if the first fails, so that every run prints both judged sets' figures.
status=0
.venv/bin/python -m pytest -m "not corpus" || status=$?
PORTAL_TEST_CORPUS_UPDATES=10000 .venv/bin/python -m pytest -m corpus --create-db || status=$?
exit "$status"
