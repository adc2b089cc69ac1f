#!/usr/bin/env bash
# The fuzz's two passes at once, one pytest each (schemathesis's generated cases do not spread
# over xdist workers); each prints when done, and the exit code fails if either pass failed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
logs=$(mktemp -d)
pids=()
for pass in edge deep; do
  "$PY" -m pytest -q -p no:cacheprovider "tests/api/test_fuzz_$pass.py" "$@" >"$logs/$pass" 2>&1 &
  pids+=($!)
done
rc=0
for i in 0 1; do
  wait "${pids[$i]}" || rc=1
done
for pass in edge deep; do
  echo "--- fuzz, $pass pass"
  cat "$logs/$pass"
done
rm -rf "$logs"
exit $rc
