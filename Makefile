# The two set-up commands of the README. Both create .venv and install kbgen into it on first use.
VENV ?= .venv
PORT ?= 8000

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

.PHONY: serve test
serve: $(VENV)/.installed  ## build the repo's own help centre into site/, then preview it live on http://127.0.0.1:$(PORT)/
	$(VENV)/bin/kbgen build
	$(VENV)/bin/kbgen serve --port $(PORT)

test: $(VENV)/.installed  ## run the whole test suite
	$(VENV)/bin/python -m pytest
