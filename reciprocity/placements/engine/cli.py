"""`placement solve` and `placement pair`: the command-line contract of issue 6.

    placement solve INSTANCE.json [--time-limit SECONDS] [--mode optimal|preview|stable] [--json]
    placement pair COHORT.json [--json]

Exit codes: 0 success; 1 invalid instance or cohort (bad JSON included), every
problem listed on stderr (and, with --json, as {"errors": [...]} on stdout);
2 invalid arguments or a file that cannot be read.  With --json, stdout holds
only the JSON object.  No database, no environment variable.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from .instance import InvalidInstance, parse_instance
from .pairing import InvalidCohort, pair_cohort, parse_cohort
from .solve import MODES, Result, solve

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _time_limit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative number of seconds, got {text!r}")
    return value


def build_parser(prog: str = "placement") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Place volunteers in missions, or pair a cohort."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="place a whole instance under every rule")
    s.add_argument("instance", metavar="INSTANCE.json")
    s.add_argument(
        "--time-limit",
        type=_time_limit,
        default=60.0,
        metavar="SECONDS",
        help="wall-time limit of the solve (default 60)",
    )
    s.add_argument(
        "--mode",
        choices=MODES,
        default="optimal",
        help="optimal (default), preview (about a second) or stable",
    )
    s.add_argument("--json", action="store_true", help="print only a JSON object on stdout")
    p = sub.add_parser("pair", help="pair French and foreign volunteers of a cohort")
    p.add_argument("cohort", metavar="COHORT.json")
    p.add_argument("--json", action="store_true", help="print only a JSON object on stdout")
    return parser


def _load(path: str, err: TextIO) -> tuple[Any, int | None, str | None]:
    """(data, exit code on failure, JSON error message)."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=err)
        return None, EXIT_USAGE, None
    except UnicodeDecodeError as exc:
        return None, EXIT_INVALID, f"{path} is not UTF-8 text: {exc}"
    try:
        return json.loads(text), None, None
    except json.JSONDecodeError as exc:
        return None, EXIT_INVALID, f"{path} is not valid JSON: {exc}"


def _invalid(errors: list[str], what: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    print(f"invalid {what}: {len(errors)} problem(s)", file=err)
    for e in errors:
        print(f"  - {e}", file=err)
    if as_json:
        print(json.dumps({"errors": errors}), file=out)
    return EXIT_INVALID


@contextlib.contextmanager
def _native_stdout_to_stderr() -> Iterator[None]:
    """Send what native libraries write on file descriptor 1 to stderr meanwhile.

    HiGHS prints a banner from C++ on its first use; with --json, stdout must
    hold only the JSON object, whatever the solver libraries print.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no real stdout (embedded use): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        with contextlib.suppress(Exception):
            ctypes.CDLL(None).fflush(None)  # flush C stdio buffers before switching back
        os.dup2(saved, 1)
        os.close(saved)


def main(
    argv: list[str] | None = None,
    *,
    prog: str = "placement",
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command; returns the exit code (argparse usage errors return 2)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help exits 0, usage errors exit 2
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    path = args.instance if args.command == "solve" else args.cohort
    data, code, message = _load(path, err)
    if code == EXIT_USAGE:
        return code
    what = "instance" if args.command == "solve" else "cohort"
    if message is not None:
        return _invalid([message], what, args.json, out, err)
    if args.command == "pair":
        try:
            cohort = parse_cohort(data)
        except InvalidCohort as exc:
            return _invalid(exc.errors, what, args.json, out, err)
        pairing = pair_cohort(cohort)
        if args.json:
            print(json.dumps(pairing.to_json()), file=out)
        else:
            print(pairing.summary(), file=out)
        return EXIT_OK
    try:
        instance = parse_instance(data)
    except InvalidInstance as exc:
        return _invalid(exc.errors, what, args.json, out, err)
    with _native_stdout_to_stderr():
        result = solve(instance, mode=args.mode, time_limit=args.time_limit)
    if args.json:
        print(json.dumps(result.to_json()), file=out)
    else:
        print(summary(result, args.mode), file=out)
    return EXIT_OK


def summary(result: Result, mode: str) -> str:
    """A readable report for people (the default output)."""
    n = len(result.assignments) + len(result.unplaced)
    placed = len(result.assignments)
    lines = [
        f"mode {mode}: {result.status}, objective {result.objective:g}, "
        + (
            f"bound {result.bound:g} ({result.bound_source}), gap {100 * result.gap:.2f} %"
            if result.bound is not None and result.gap is not None
            else "no bound"
        ),
        f"placed {placed} of {n} volunteers ({100 * placed / max(n, 1):.1f} %) "
        f"in {result.seconds:.2f} s",
    ]
    if result.assignments:
        first = sum(1 for a in result.assignments if a.rank == 1)
        mean = sum(a.rank for a in result.assignments) / placed
        lines.append(
            f"first choices {first} ({100 * first / placed:.1f} % of placed), mean rank {mean:.2f}"
        )
        lines.append("assignments:")
        lines += [
            f"  {a.volunteer} -> {a.mission} (choice {a.rank}{', fixed' if a.fixed else ''})"
            for a in result.assignments
        ]
    if result.unplaced:
        reasons = Counter(u.reason for u in result.unplaced)
        lines.append(
            "unplaced by reason: " + ", ".join(f"{k} {n}" for k, n in reasons.most_common())
        )
        lines.append("unplaced:")
        lines += [f"  {u.volunteer} [{u.reason}] {u.explanation}" for u in result.unplaced]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
