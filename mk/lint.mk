# Lint and types: ruff (lint and format) and mypy over the Python code, settings in pyproject.toml; shellcheck over
# every shell script. The versions are pinned: ruff and mypy in pyproject.toml's test extras, shellcheck in
# contract/pins.py (Debian's package, installed with apt when missing). `go vet` runs in each Go module's test target.

TEST_TARGETS += lint

# Every shell script: the *.sh files and the files whose first line is a sh or bash shebang (.ci/run).
SHELL_SCRIPTS = $(sort $(shell git ls-files '*.sh'; git ls-files -z | xargs -0 awk \
	'FNR == 1 { if ($$0 ~ /^#!.*[\/ ](ba|da)?sh([ \t]|$$)/) print FILENAME; nextfile }' 2>/dev/null))

.PHONY: lint shellcheck
shellcheck: venv
	$(PY) -m bootstrap shellcheck

# actionlint runs shellcheck over the workflows' `run:` scripts when one is on PATH, and skips them silently when
# none is: with this, it always does, with the pinned one.
workflow-lint: shellcheck

# Every check runs, so one run shows all findings; the target fails if any check found something.
lint: venv shellcheck ##@tests ruff check, ruff format --check, mypy (strict on contract/, stacks/environments/), shellcheck
	@failed=""; \
	ruff check . || failed="$$failed ruff-check"; \
	ruff format --check . || failed="$$failed ruff-format"; \
	mypy || failed="$$failed mypy"; \
	shellcheck $(SHELL_SCRIPTS) && echo "shellcheck: $(words $(SHELL_SCRIPTS)) scripts, no findings" \
		|| failed="$$failed shellcheck"; \
	if [ -n "$$failed" ]; then \
		echo "make lint: findings from:$$failed. Fix them, or run \`ruff check --fix .\` and \`ruff format .\`" \
			"for what those fix themselves; a waiver says why (pyproject.toml, # noqa, # shellcheck disable)" >&2; \
		exit 1; \
	fi
