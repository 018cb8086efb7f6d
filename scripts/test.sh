#!/usr/bin/env bash
# The whole suite against the real services it needs, started here and stopped on the way out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/chromium.sh
# Stop the cluster afterwards only if this run started it (a developer's `make run-full` may share it).
if bash scripts/postgres.sh status; then started_here=0; else started_here=1; fi
DATABASE_URL=$(bash scripts/postgres.sh start)
export DATABASE_URL
trap '[ "$started_here" = 1 ] && bash scripts/postgres.sh stop' EXIT
export DJANGO_SETTINGS_MODULE=portal.settings.test
.venv/bin/python manage.py check --fail-level WARNING
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models changed without a migration: run manage.py makemigrations" >&2; exit 1; }
.venv/bin/python -m pytest "$@"
