#!/bin/sh
# Run every benchmark target, one process each, with peak memory from /usr/bin/time -v.
# Usage: sh bench/placement/run_all.sh [targets...]   (default: all; output in /tmp/placement-bench-*.txt)
cd "$(dirname "$0")/../.." || exit 1
for t in ${*:-b1 b2 b3 b4 b5 side}; do
  /usr/bin/time -v .venv/bin/python bench/placement/bench.py "$t" > "/tmp/placement-bench-$t.txt" 2> "/tmp/placement-bench-$t.err"
  grep -h "Maximum resident" "/tmp/placement-bench-$t.err" >> "/tmp/placement-bench-$t.txt"
  cat "/tmp/placement-bench-$t.txt"
done
