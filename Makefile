# The door to every common command. `make run` and `make test` are the two that matter.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two workers: the suite is CPU-bound and CI machines have two cores.
PYTEST_ARGS ?= -n 2
MANAGE := $(BIN)/python manage.py
# Local commands run in development mode; a deployment sets DEBUG, SECRET_KEY and the rest itself.
export DEBUG ?= 1

.PHONY: run test serve venv assets migrate demo lint typecheck check fmt bench clean

run: venv assets migrate demo
	$(MANAGE) collectstatic --noinput -v 0
	@$(MANAGE) demo_logins
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: venv assets
	$(BIN)/python -m pytest $(PYTEST_ARGS)

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

assets: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p static/vendor/swagger-ui
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts.min.js
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css static/vendor/swagger-ui/
	touch $@

migrate: venv
	$(MANAGE) migrate --noinput -v 0

demo: venv
	$(MANAGE) load_demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: venv
	$(BIN)/mypy xianfeng

check: venv
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
