# The two commands of the README: `make run` and `make test`. Everything else is a step they take.
PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
MANAGE := $(UV) run --frozen python manage.py
PYTEST_WORKERS ?= auto

.PHONY: run test setup install browser-deps deploy-deps node-deps migrate demo lint check-migrations test-unit test-browser bench messages audit clean

run: setup migrate
	@$(MANAGE) collectstatic --noinput -v0
	@$(MANAGE) load_demo
	@# Housekeeping, reviewers' reminders, closing polls, the forum's digests and the reminders to
	@# report on the WHO Code queue their own next run in the task worker.
	@$(MANAGE) campaigns_maintain --schedule >/dev/null
	@$(MANAGE) practices_remind --schedule >/dev/null
	@$(MANAGE) forum_polls_close --schedule >/dev/null
	@$(MANAGE) forum_digests --schedule >/dev/null
	@$(MANAGE) codereports_remind --schedule >/dev/null
	@echo ""
	@echo "  hw4all is at http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  demo administrator: admin@hw4all.example / hw4all-demo-admin"
	@echo ""
	@$(MANAGE) db_worker >var/worker.log 2>&1 & echo $$! > var/worker.pid; \
	trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup browser-deps deploy-deps node-deps lint check-migrations
	$(UV) run --frozen pytest -n $(PYTEST_WORKERS) --dist loadgroup

setup: install var

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv
	@$(UV) sync --frozen --quiet

var:
	@mkdir -p var

migrate:
	@$(MANAGE) migrate --noinput -v0

# The browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# tests/test_deploy_files.py checks deploy/nginx/hw4all.conf with `nginx -t`.
deploy-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		echo "Installing Debian's nginx for the deployment files' test"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null; }

node-deps: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@npm ci --silent --no-audit --no-fund
	@touch $@

lint:
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen lint-imports --no-cache >/dev/null
	@$(UV) run --frozen djhtml --check hw4all/templates hw4all/*/templates >/dev/null
	@$(UV) run --frozen mypy hw4all/*/services.py hw4all/*/services/*.py hw4all/*/queries.py hw4all/core/*.py \
		hw4all/workforce/*.py hw4all/workforce/analysis/*.py hw4all/workforce/charts/*.py \
		hw4all/workforce/cli/*.py hw4all/workforce/views/*.py hw4all/workforce/templatetags/*.py

check-migrations:
	@DJANGO_SETTINGS_MODULE=hw4all.settings.test $(UV) run --frozen python manage.py makemigrations --check --dry-run -v0

messages:
	@$(MANAGE) makemessages --no-obsolete --no-location $(foreach l,fr es pt,-l $(l)) -i ".venv/*" -i "node_modules/*"
	@$(MANAGE) compilemessages -i ".venv" -i "node_modules" -v0

# Every locked dependency (dev tools included) against PyPI's advisory database. Fails when a
# vulnerability is known and also when the database cannot be reached: an audit that did not run
# is not a pass.
audit:
	@requirements=$$(mktemp) && trap 'rm -f "$$requirements"' EXIT && \
	$(UV) export --frozen --format requirements-txt --no-emit-project --quiet >"$$requirements" && \
	$(UV) run --frozen pip-audit --strict --require-hashes --disable-pip --progress-spinner off -r "$$requirements"

bench: setup
	$(UV) run --frozen python bench/all.py $(BENCH_ARGS)

clean:
	rm -rf var .venv node_modules
