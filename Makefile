# NHS leaflet pipeline.  `make` builds everything; `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LEAFLET := $(BIN)/leaflet
STAMP  := $(VENV)/.installed
OUT    ?= output
TTS    ?= auto

.DEFAULT_GOAL := all
.PHONY: all build draft readability test lint bench formats extract update compile status check clean distclean help

all: build ## Create the venv, install, and build every leaflet in every language and format

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

build: $(STAMP) ## Build leaflets/ into output/ (only what changed; TTS=auto|gtts|espeak); warn about hard-to-read leaflets
	$(LEAFLET) build --out $(OUT) --tts $(TTS)
	@$(LEAFLET) readability --write --out $(OUT)

draft: $(STAMP) ## Also build incomplete translations, as files marked DRAFT (not for patients)
	$(LEAFLET) build --out $(OUT) --tts $(TTS) --draft

extract: $(STAMP) ## Write each leaflet's translation template, locales/<CODE>.pot
	$(LEAFLET) i18n extract

update: $(STAMP) ## Create or update the PO catalogues for every locale in locales/LINGUAS
	$(LEAFLET) i18n update

compile: $(STAMP) ## Compile the catalogues to MO files under build/locale/
	$(LEAFLET) i18n compile

status: $(STAMP) ## Show translation status: leaflet x locale
	@$(LEAFLET) i18n status --out $(OUT)

readability: $(STAMP) ## Write output/<CODE>/readability.json and .html for every leaflet
	$(LEAFLET) readability --write --out $(OUT)

check: $(STAMP) ## Translation checks and the reading-age gate (exit 1 on failure)
	$(LEAFLET) check

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## Check style (ruff) and types (mypy)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/mypy

bench: $(STAMP) ## Measure build speed against peers; prints ratios
	$(BIN)/python bench/bench.py

formats: $(STAMP) ## List the output formats
	@$(LEAFLET) formats

clean: ## Remove output/
	rm -rf $(OUT)

distclean: clean ## Remove output/ and the venv
	rm -rf $(VENV) build *.egg-info

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
