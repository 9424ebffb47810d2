#!/bin/bash
# Style and static checks over the C sources listed in $LINT_SRCS:
# clang-format (the repository's .clang-format) and cppcheck.
# One check per file per tool; prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
srcs=${LINT_SRCS:-}
if [ -z "$srcs" ]; then
    # Run alone, without make's list, it would check nothing: say so.
    echo "SKIP lint: LINT_SRCS is empty (run it through make lint or make check)"
    echo "lint: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
for f in $srcs; do
    if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        pass=$((pass + 1))
    else
        echo "lint: $f is not clang-formatted (run: clang-format -i $f)"
        fail=$((fail + 1))
    fi
done
for f in $(printf '%s\n' $srcs | grep '\.c$'); do
    # System headers are not parsed (their #ifdef maze is not ours to check).
    if out=$(cppcheck -q --std=c11 --enable=warning,portability --error-exitcode=1 \
        --inline-suppr --suppress=missingIncludeSystem \
        --suppressions-list=tests/cppcheck-suppressions.txt -I hyp/include "$f" 2>&1); then
        pass=$((pass + 1))
    else
        echo "lint: cppcheck $f:"
        echo "$out"
        fail=$((fail + 1))
    fi
done
echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
