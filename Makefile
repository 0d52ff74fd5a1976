# NHS leaflet pipeline.  `make` builds everything; `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TOOL   := $(BIN)/leaflet
STAMP  := $(VENV)/.installed
# Every package, transitive ones too, at the exact version and hash `make lock` resolved
# (for Python 3.11 to 3.13, every platform): a machine installed next year gets what was tested.
LOCK   := requirements.lock
OUT    ?= output
TTS    ?= auto
JOBS   ?=

# What people type (a reference, a reason, a leaflet's name, a folder) reaches the tool exactly as
# typed: make never expands it ($(value)), the shell never reads it as code (one single-quoted word),
# and make does not export it (exporting would expand it).  `make request REF='cost $100'` records
# "cost $100".  quote: the variable named by the argument, as one shell word.
quote = '$(subst ','"'"',$(value $(1)))'
TYPED := PYTHON OUT TTS JOBS LEAFLET FORMAT POINT_SIZE REF REASON ALLOW_UNCHECKED ALLOW_OVERDUE LIST AFFECTED_BY \
         DIR UPGRADE LOCALE FILE ALLOW_PREVIOUS NO_REF BY VOID RESOLVED ALL HOUSE EXAMPLE LIBRARY CLUSTER SLOW
unexport $(TYPED)
# `make request LANG=Polish`: LANG is also the shell's locale variable, so only a LANG given on
# the command line names the patient's language (and then it is not the recipes' locale).
ifeq ($(origin LANG),command line)
unexport LANG
REQUEST_LANG := --locale $(call quote,LANG)
endif

.DEFAULT_GOAL := all
.PHONY: venv verify house import lock all build draft readability test browser-deps lint bench formats extract update compile status check request requests index clean distclean help translation-export translation-import quote

all: build ## Create the venv, install, and build every leaflet in every language and format

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(call quote,PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

leaflet: $(STAMP)
	@printf '#!/bin/sh\n# Made by make: runs the leaflet tool from this folder'"'"'s venv.\nexec "$$(dirname "$$0")/$(BIN)/leaflet" "$$@"\n' > $@
	@chmod +x $@

venv: $(STAMP) leaflet ## Only create the venv and install the locked packages (e.g. on a cluster worker's machine)

HOUSE_ARG = $(if $(value HOUSE),--house $(call quote,HOUSE))
CLUSTER_ARG = $(if $(value CLUSTER),--cluster $(call quote,CLUSTER))

build: $(STAMP) leaflet ## Build leaflets/ into output/ (only what changed; TTS=auto|gtts|espeak|neural|neural,espeak; JOBS=N processes, default one per core; HOUSE=dir a house style, default house/; CLUSTER=tcp://host:8786 on a Dask cluster), then output/index.html
	$(TOOL) build --out $(call quote,OUT) --tts $(call quote,TTS) $(if $(value JOBS),--jobs $(call quote,JOBS)) $(HOUSE_ARG) $(CLUSTER_ARG)
	@$(TOOL) readability --write --out $(call quote,OUT)
	@$(TOOL) index --out $(call quote,OUT) $(HOUSE_ARG)

# A value with a space given without quotes (FORMAT=web page) makes its second word a goal of
# its own: the desk refuses before anything is made or recorded, rather than issue and then fail.
only_goal = @test "$(strip $(MAKECMDGOALS))" = "$(1)" || { echo "make $(1): $(filter-out $(1),$(MAKECMDGOALS)) \
  is not part of the request: put quotes round a value with spaces, e.g. FORMAT='web page' REASON='posted copy'; \
  nothing was made or recorded" >&2; exit 2; }

request: $(STAMP) leaflet ## Serve a patient: make request LEAFLET=lung LANG=Polish FORMAT=large-print REF=T-123 [BY=name NO_REF=1 ALLOW_UNCHECKED=1 ALLOW_PREVIOUS=1 REASON='..' LIST=1]
	$(call only_goal,request)
	@test -n $(call quote,LEAFLET) || { echo "make request: say which leaflet: LEAFLET=RAD_0102 or LEAFLET=lung" >&2; exit 2; }
	@LANG=C.UTF-8 LEAFLET_VIA_MAKE=1 $(TOOL) request $(call quote,LEAFLET) --out $(call quote,OUT) --tts $(call quote,TTS) \
	  $(REQUEST_LANG) $(if $(value FORMAT),--format $(call quote,FORMAT)) \
	  $(if $(value POINT_SIZE),--point-size $(call quote,POINT_SIZE)) $(if $(value REF),--ref $(call quote,REF)) \
	  $(if $(value NO_REF),--no-ref) $(if $(value BY),--by $(call quote,BY)) \
	  $(if $(value ALLOW_UNCHECKED),--allow-unchecked) $(if $(value ALLOW_OVERDUE),--allow-overdue) \
	  $(if $(value ALLOW_PREVIOUS),--allow-previous-translation) \
	  $(if $(value REASON),--reason $(call quote,REASON)) $(if $(value LIST),--list) $(HOUSE_ARG)

requests: $(STAMP) leaflet ## List what was issued; AFFECTED_BY=CODE the recall list (ALL=1 with what was put right); VOID=N or RESOLVED=N with REASON='..' [BY=name]; FORMAT=csv
	$(call only_goal,requests)
	@LEAFLET_VIA_MAKE=1 $(TOOL) requests $(if $(value AFFECTED_BY),--affected-by $(call quote,AFFECTED_BY)) \
	  $(if $(value ALL),--all) $(if $(value VOID),--void $(call quote,VOID)) \
	  $(if $(value RESOLVED),--resolved $(call quote,RESOLVED)) $(if $(value REASON),--reason $(call quote,REASON)) \
	  $(if $(value BY),--by $(call quote,BY)) $(if $(value FORMAT),--format $(call quote,FORMAT))

import: $(STAMP) leaflet ## Read a whole existing library and report what needs a person: make import DIR=path/to/leaflets
	@test -n $(call quote,DIR) || { echo "make import: say which folder: make import DIR=path/to/leaflets" >&2; exit 2; }
	@$(TOOL) import $(call quote,DIR) --report $(call quote,OUT)/import-report.html

index: $(STAMP) leaflet ## Write output/index.html: every leaflet, language and format with its state
	@$(TOOL) index --out $(call quote,OUT) $(HOUSE_ARG)

house: $(STAMP) leaflet ## Check the trust's house style in house/ (HOUSE=dir another); make house EXAMPLE=1 writes an example to start from
	@$(TOOL) house $(if $(value HOUSE),$(call quote,HOUSE),house) $(if $(value EXAMPLE),--example)

verify: $(STAMP) leaflet ## Build as make does, but read and hash every output file (weekly): a file changed behind the manifest's back is made again
	$(TOOL) build --out $(call quote,OUT) --tts $(call quote,TTS) --verify $(if $(value JOBS),--jobs $(call quote,JOBS)) $(HOUSE_ARG) $(CLUSTER_ARG)

draft: $(STAMP) leaflet ## Also build incomplete translations, as files marked DRAFT (not for patients)
	$(TOOL) build --out $(call quote,OUT) --tts $(call quote,TTS) --draft $(if $(value JOBS),--jobs $(call quote,JOBS)) $(HOUSE_ARG) $(CLUSTER_ARG)

extract: $(STAMP) leaflet ## Write each leaflet's translation template, locales/<CODE>.pot
	$(TOOL) i18n extract

update: $(STAMP) leaflet ## Create or update the PO catalogues for every locale in locales/LINGUAS
	$(TOOL) i18n update

compile: $(STAMP) leaflet ## Compile the catalogues to MO files under build/locale/
	$(TOOL) i18n compile

translation-export: $(STAMP) leaflet ## Send a leaflet to an agency: make translation-export LEAFLET=RAD_0102 LOCALE=pl [FORMAT=xliff|docx]
	@test -n $(call quote,LEAFLET) -a -n $(call quote,LOCALE) || { echo "make translation-export: say which: LEAFLET=RAD_0102 LOCALE=pl [FORMAT=docx]" >&2; exit 2; }
	@$(TOOL) i18n export $(call quote,LEAFLET) $(call quote,LOCALE) --out $(call quote,OUT) \
	  $(if $(value FORMAT),--format $(call quote,FORMAT))

translation-import: $(STAMP) leaflet ## Take an agency's file back in, through every check: make translation-import FILE=RAD_0102-pl.xlf
	@test -n $(call quote,FILE) || { echo "make translation-import: say which file: FILE=RAD_0102-pl.xlf" >&2; exit 2; }
	@$(TOOL) i18n import $(call quote,FILE)

quote: $(STAMP) leaflet ## Words to translate per leaflet and language, for an agency's quote; also output/quote.csv
	@$(TOOL) i18n status --out $(call quote,OUT) --csv $(call quote,OUT)/quote.csv

status: $(STAMP) leaflet ## Review dates due, then: may each leaflet be issued now, in each language, and why not
	@$(TOOL) status --out $(call quote,OUT)

readability: $(STAMP) leaflet ## Write output/<CODE>/readability.json and .html for every leaflet
	$(TOOL) readability --write --out $(call quote,OUT)

check: $(STAMP) leaflet ## Translation checks and the reading-age gate (exit 1 on failure)
	$(TOOL) check

test: $(STAMP) leaflet ## Run the test suite (about 4 minutes on 2 cores); SLOW=1 also the long end-to-end runs (CI runs them all)
	$(BIN)/python -m pytest -q $(if $(value SLOW),--slow)

browser-deps: ## Install axe-core, playwright-core and DAISY Ace for the browser and EPUB tests (needs npm; Chromium from apt)
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund

lock: $(STAMP) ## Re-resolve requirements.lock from pyproject.toml, keeping every pin it can; UPGRADE=babel moves one package, UPGRADE=all every one
	@set -f; set --; up=$(call quote,UPGRADE); for p in $$up; do \
	  if [ "$$p" = all ]; then set -- "$$@" --upgrade; else set -- "$$@" --upgrade-package "$$p"; fi; done; \
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes --quiet \
	  --custom-compile-command "make lock" "$$@" -o $(LOCK)
	@git diff --stat -- $(LOCK) 2>/dev/null || true

lint: $(STAMP) leaflet ## Check style (ruff) and types (mypy)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/mypy

bench: $(STAMP) leaflet ## Measure build speed against peers; prints ratios (LIBRARY=999: the library rows instead: N leaflets x 4 languages, no-op, one edit, memory, a local Dask cluster against JOBS, each format alone and a projected 1,000 x 10 build)
	$(BIN)/python bench/bench.py $(if $(value LIBRARY),--library-only $(call quote,LIBRARY))

formats: $(STAMP) leaflet ## List the output formats
	@$(TOOL) formats

clean: ## Remove output/ (only a folder the pipeline made: one with its .sources.json, or empty)
	@out=$(call quote,OUT); if [ -e "$$out/.sources.json" ] || [ ! -e "$$out" ] || [ -z "$$(ls -A "$$out")" ]; \
	  then rm -rf -- "$$out"; else echo "make clean: $$out is not an output folder the pipeline made: not removed" >&2; \
	  exit 2; fi

distclean: clean ## Remove output/, the venv and the ./leaflet launcher (never records/)
	rm -rf $(VENV) build *.egg-info leaflet

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
