"""Benchmark: `reciprocity import missions` of 20,000 missions (bench/imports/README.md).

Builds a fresh SQLite database once (migrate + 20 host organisations), then for each run:
copies it, imports the file (a new process: `reciprocity import missions FILE`), then imports it
again (all unchanged). Prints wall time and peak memory (max RSS of the process) per run, and
the worst of the runs.

    .venv/bin/python bench/imports/bench.py [--rows 20000] [--runs 3] [--keep DIR]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "reciprocity.manage"]
HOSTS = 20
COLUMNS = ["mission_ref", "host_org", "host_country", "scheme", "title", "theme", "country",
           "city", "start_date", "end_date", "capacity", "weekly_hours", "age_min", "age_max",
           "languages", "description", "status"]


def write_file(path: Path, rows: int) -> None:
    lines = [";".join(COLUMNS)]
    for n in range(rows):
        month = 1 + n % 12
        lines.append(";".join([
            f"M-{n:06d}", f"Bench host {n % HOSTS}", "FR", "workcamp", f"Chantier {n}",
            "heritage", "", "Lyon", f"2027-{month:02d}-01", f"2027-{month:02d}-21",
            str(5 + n % 20), "", "", "", "fr en", "Restauration d'un lavoir", "published",
        ]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(args: list[str], env: dict[str, str]) -> None:
    """A setup step (migrate, the host organisations); stops the benchmark if it fails."""
    done = subprocess.run(CLI + args, env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def measure_one(template: Path, data: Path, work: Path) -> tuple[float, int, float, int, str]:
    db = work / "run.sqlite3"
    shutil.copy(template, db)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MEDIA_ROOT": str(work / "media")}
    # A fresh interpreter per measure, so that each max RSS is that import's own.
    first = _child_measure(["import", "missions", str(data)], env)
    again = _child_measure(["import", "missions", str(data)], env)
    return first[0], first[1], again[0], again[1], again[2]


def _child_measure(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time (s), peak memory (MiB) and output of one import: a wrapper process runs it,
    so that RUSAGE_CHILDREN's max RSS is that import's alone."""
    code = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        f"p = subprocess.run({CLI + args!r}, capture_output=True, text=True);"
        "e = time.perf_counter() - t;"
        "print(p.returncode, e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(p.stdout[-500:]); print(p.stderr[-2000:], file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)
    head, _, rest = done.stdout.partition("\n")
    returncode, elapsed, rss = head.split()
    if returncode != "0":
        sys.exit(f"import failed ({returncode}):\n{done.stderr[-3000:]}")
    return float(elapsed), int(rss) // 1024, rest.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the work folder here")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="bench-imports-"))
    work.mkdir(parents=True, exist_ok=True)
    template, data = work / "template.sqlite3", work / "missions.csv"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{template}"}
    run(["migrate", "--no-input", "-v", "0"], env)
    setup = ("from reciprocity.partners.models import Organisation\n"
             f"for n in range({HOSTS}):\n"
             "    Organisation.objects.get_or_create(name=f'Bench host {n}', country='FR',"
             " defaults={'is_host': True, 'city': 'Lyon'})\n")
    run(["shell", "-c", setup], env)
    write_file(data, options.rows)
    print(f"{options.rows} missions, {data.stat().st_size / 1e6:.1f} MB CSV, "
          f"{options.runs} runs, SQLite at {work}")
    results = []
    for n in range(1, options.runs + 1):
        first_s, first_mb, again_s, again_mb, again_out = measure_one(template, data, work)
        results.append((first_s, first_mb, again_s, again_mb))
        print(f"run {n}: import {first_s:.1f} s, peak {first_mb} MiB; "
              f"re-import {again_s:.1f} s, peak {again_mb} MiB ({again_out.splitlines()[-1]})")
    worst = [max(r[i] for r in results) for i in range(4)]
    print(f"worst of {options.runs}: import {worst[0]:.1f} s, peak {worst[1]} MiB; "
          f"re-import {worst[2]:.1f} s, peak {worst[3]} MiB")
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
