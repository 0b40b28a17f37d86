# Quick start:  make run   (install what is missing, start the desktop app)
#               make test  (install what is missing, run the whole test suite)
#               make dist  (the installable app in dist/: a one-folder bundle, a .deb, a tarball)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-fast setup dist smoke-dist eval eval-recall eval-qa eval-guard replay-memorybank bench clean

setup:
	@bash scripts/bootstrap.sh

run: setup
	$(VENV)/bin/mnemo-gui

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

test-fast: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not real"

# packaging/build_dist.sh: PyInstaller (installed into .venv when missing), dpkg-deb, tar;
# packaging/README.md says what each file is. scripts/smoke_dist.sh tries them outside the venv.
dist: setup
	bash packaging/build_dist.sh

smoke-dist:
	bash scripts/smoke_dist.sh

eval: eval-recall eval-qa
	$(PY) scripts/eval_report.py

eval-recall: setup
	$(PY) scripts/eval_locomo_recall.py --json docs/locomo_recall.json
	$(PY) scripts/eval_memorybank_recall.py --json docs/memorybank_recall.json

eval-qa: setup
	$(PY) scripts/eval_locomo_qa.py --per-conversation 25 --json docs/locomo_qa.json

bench: setup
	$(PY) scripts/bench_first_token.py
	QT_QPA_PLATFORM=offscreen $(PY) scripts/bench_startup.py
	$(PY) scripts/bench_decay.py
	$(PY) scripts/bench_guard.py
	$(PY) scripts/bench_retrieval.py
	$(PY) scripts/bench_keywords.py
	$(PY) scripts/bench_capture.py

eval-guard: setup
	$(PY) scripts/eval_guard.py --json docs/guard_eval.json

replay-memorybank: setup
	$(PY) scripts/replay_memorybank.py --transcript docs/memorybank_replay.md

clean:
	rm -rf $(VENV) .pytest_cache build dist
