# Two commands matter: `make run` (embedded SQLite site) and `make test` (whole suite, real services).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run run-full run-prod stop-prod test lint format bench bench-search bench-cache bench-feedback bench-captcha bench-bakerydemo venv load clean messages

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $(STAMP)

# Migrate, load the plan (idempotent) with sample data, staff groups and dev accounts.
load: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_plan --sample
	$(PY) manage.py setup_staff
	$(PY) manage.py create_dev_admin
	$(PY) manage.py rebuild_search_index --no-progress

run: load
	@echo "Serving http://127.0.0.1:$(PORT)/ (SQLite, database search)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

run-full: venv
	@DATABASE_URL=$$(bash scripts/postgres.sh start) && export DATABASE_URL && \
	  ELASTICSEARCH_URL=$$(bash scripts/elasticsearch.sh start) && export ELASTICSEARCH_URL && \
	  $(MAKE) --no-print-directory load && \
	  $(PY) manage.py rebuild_search_index && \
	  echo "Serving http://127.0.0.1:$(PORT)/ (PostgreSQL at $$DATABASE_URL, Elasticsearch at $$ELASTICSEARCH_URL)" && \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The deployment of the README on this machine: production settings over plain HTTP on 127.0.0.1 (local use
# only), gunicorn and db_worker supervised, its own PostgreSQL, Elasticsearch and Redis (scripts/run-prod.sh).
run-prod: venv
	PORT=$(PORT) bash scripts/run-prod.sh start

stop-prod:
	bash scripts/run-prod.sh stop

test: venv
	bash scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv
	bash bench/run.sh

bench-search: venv
	bash bench/search.sh

bench-cache: venv
	bash bench/cache.sh

bench-feedback: venv
	bash bench/feedback.sh

bench-captcha: venv
	bash bench/captcha.sh

bench-bakerydemo: venv
	bash bench/bakerydemo.sh

clean:
	bash scripts/elasticsearch.sh stop
	bash scripts/postgres.sh stop
	rm -rf var db.sqlite3

# Rebuild the zh_Hans catalog after changing resident-facing strings (needs Debian's gettext).
# The source strings are Simplified Chinese, so msgen copies each msgid to its msgstr (built afresh each
# time, so msgmerge never carries a similar old string over as a fuzzy guess); the compiled
# catalog lets every lookup resolve at once instead of walking Django's fallback chain.
# locale_wagtail/ (Wagtail's admin strings its zh_Hans catalog lacks, in Chinese by hand) is another LOCALE_PATHS
# entry: compilemessages compiles it too, and nothing here rewrites it.
messages: venv
	rm -f locale/zh_Hans/LC_MESSAGES/django.po  # no fuzzy matches from old entries: every msgstr is its msgid
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=tests -v0
	msgen locale/zh_Hans/LC_MESSAGES/django.po -o locale/zh_Hans/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv -v0
