# Two commands: `make run` starts the platform with demo data; `make test` installs and tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GRAPHIQL := web/graphiql/node_modules/.package-lock.json

.PHONY: run test install lint typecheck bench fuzz schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

$(GRAPHIQL): web/graphiql/package-lock.json
	cd web/graphiql && npm ci --no-audit --no-fund --silent

install: $(STAMP)
	./scripts/system-deps.sh
	$(MAKE) --no-print-directory $(GRAPHIQL)

PORT ?= 8000

run: install
	$(BIN)/credit run --port $(PORT)

test: $(STAMP)
	./scripts/system-deps.sh --test
	$(MAKE) --no-print-directory $(GRAPHIQL)
	cd clients/examples/node && npm install --no-audit --no-fund --silent
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest -q tests/api/test_fuzz.py

schema: $(STAMP)
	$(BIN)/python -c "from schema.build import sdl; open('schema/schema.graphql','w').write(sdl())"

bench: $(STAMP)
	./scripts/system-deps.sh --bench
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) .data .pytest_cache .ruff_cache .mypy_cache
