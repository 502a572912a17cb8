# Two commands: `make run` starts the whole product with demo data; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test install migrate demo lint format check bench clean browser messages fuzz audit

$(VENV)/.installed: requirements.lock pyproject.toml
	@PYTHON_BIN=$$(PYTHON="$(PYTHON)" scripts/find-python) && \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYTHON_BIN"; "$$PYTHON_BIN" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) demo_data

run: demo
	@$(MANAGE) collectstatic --noinput -v 0
	@echo ""
	@echo "  Jobcast is starting on http://127.0.0.1:8000  (provider sandbox on http://127.0.0.1:8100)"
	@echo "  Demo logins (password: jobcast-demo):"
	@echo "    admin@acme.test (admin) · recruiter@acme.test (recruiter) · admin@initech.test"
	@echo "    admin@globex.test (trial) · support@jobcast.test (support desk; two-factor code:"
	@echo "    .venv/bin/python manage.py demo_totp_code, or secret JOBCASTDEMOTOTPSECRETFORSUPPORT2)"
	@echo "  Ctrl-C stops everything."
	@echo ""
	$(VENV)/bin/honcho start -f Procfile

# Browser tests drive Debian's Chromium; install it when we can (root), explain when we cannot.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: apt-get install chromium (or set CHROMIUM_PATH)"; exit 1; fi; }

# The suite runs in PYTEST_WORKERS processes (pytest-xdist); most of its time is spent waiting
# on subprocesses, sockets and sleeps, so 4 processes on 2 cores. PYTEST_WORKERS=0 (or
# PYTEST_ARGS="-n 0") runs it in one process, e.g. for a debugger.
PYTEST_WORKERS ?= 4
test: install browser
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The fuzzer over every route and form, twenty times longer than in the suite (any seed:
# JOBCAST_FUZZ_SEED=n). Needs PostgreSQL and Redis like `make test` (DATABASE_URL, REDIS_URL).
fuzz: install
	DJANGO_SETTINGS_MODULE=config.settings.test JOBCAST_FUZZ_ROUNDS=$${JOBCAST_FUZZ_ROUNDS:-20} \
	  $(PY) -m pytest -p no:cacheprovider -q tests/security/test_fuzz.py $(PYTEST_ARGS)

# Known vulnerabilities of the pinned dependencies (scripts/audit-dependencies says how).
audit: install
	$(PY) scripts/audit-dependencies requirements.lock

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 40) \
	  CREDENTIAL_KEYS=check:$$(openssl rand -base64 32 | tr '+/' '-_') \
	  DJANGO_ALLOWED_HOSTS=jobcast.example.com JOBCAST_SITE_URL=https://jobcast.example.com \
	  DATABASE_URL=postgres://jobcast@db:5432/jobcast REDIS_URL=redis://redis:6379/0 \
	  PROVIDER_TOKEN=$$(openssl rand -hex 24) PROVIDER_WEBHOOK_SECRET=$$(openssl rand -hex 24) \
	  $(MANAGE) check --deploy --fail-level WARNING

# The French catalogue: extract new strings (no source locations, so that parallel changes
# merge cleanly), translate the empty entries in locale/fr/LC_MESSAGES/django.po, then compile.
messages: install
	$(MANAGE) makemessages -l fr --no-location --no-obsolete -i "var/*" -i "bench/*" -i "staticfiles/*" -i "node_modules/*"
	$(MANAGE) compilemessages -l fr -i ".venv" -i "var" -v 0

bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf var staticfiles
