#!/usr/bin/env bash
# CI's packaging step, after the tests (.ci/run): PyInstaller into .venv when missing, `make dist`
# (the bundle, the .deb, the tarball), then scripts/smoke_dist.sh on what was built.
# About 3.5 minutes on 2 cores from a clean clone whose .venv bootstrap.sh has built (build ~170 s,
# smoke test ~45 s; the llama-cpp-python wheel comes from ~/.cache/mnemo/wheels).
set -euo pipefail
cd "$(dirname "$0")/.."
START=$SECONDS
[ -x .venv/bin/python ] || bash scripts/bootstrap.sh
if ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
  echo "ci_dist: installing PyInstaller (packaging/requirements-dist.txt)"
  .venv/bin/python -m pip install --quiet -r packaging/requirements-dist.txt
fi
make dist
BUILT=$SECONDS
bash scripts/smoke_dist.sh
echo "ci_dist: build $((BUILT - START)) s, smoke test $((SECONDS - BUILT)) s, total $((SECONDS - START)) s"
