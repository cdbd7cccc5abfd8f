"""The command-line contract: exit codes, JSON shape, stdout discipline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .checker import check
from .conftest import random_instance

KEYS = {"status", "objective", "bound", "gap", "bound_source", "seconds", "assignments", "unplaced"}


def test_solve_json_prints_only_the_result_object(run_cli) -> None:
    data = random_instance(1)
    for mode in ("optimal", "preview", "stable"):
        code, out, _ = run_cli(["solve", "@", "--json", "--mode", mode, "--time-limit", "5"], data)
        assert code == 0
        result = json.loads(out)
        assert set(result) == KEYS
        assert check(data, result) == []
        for a in result["assignments"]:
            assert set(a) == {"volunteer", "mission", "rank"}
        for u in result["unplaced"]:
            assert set(u) == {"volunteer", "reason", "explanation"}


def test_solve_without_json_prints_a_summary(run_cli) -> None:
    code, out, _ = run_cli(["solve", "@"], random_instance(2))
    assert code == 0
    assert "placed" in out and "objective" in out
    assert not out.lstrip().startswith("{")


def test_invalid_instance_exits_1_with_every_problem(run_cli) -> None:
    data = {
        "missions": [
            {"id": "m1", "capacity": -1, "host_country": "XX"},
            {"id": "m1", "capacity": 1, "host_country": "FR"},
        ],
        "volunteers": [
            {"id": "v1", "nationality": "SN", "gender": "F", "choices": ["m9", "m1", "m1"]}
        ],
        "agreements": [{"countries": ["FR", "FR"], "tolerance": 1}],
    }
    code, out, err = run_cli(["solve", "@", "--json"], data)
    assert code == 1
    errors = json.loads(out)["errors"]
    for text in (
        "capacity must not be negative",
        "'XX' is not an ISO 3166-1",
        "duplicate mission id",
        "unknown mission 'm9'",
        "chosen more than once",
        "a country with itself",
    ):
        assert any(text in e for e in errors), text
        assert text in err
    code, out, err = run_cli(["solve", "@"], data)
    assert code == 1 and out == "" and "duplicate mission id" in err


def test_bad_json_is_1_and_missing_file_is_2(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli(["solve", "@", "--json"], "{not json")
    assert code == 1 and "not valid JSON" in err and json.loads(out)["errors"]
    code, out, err = run_cli(["solve", str(tmp_path / "missing.json"), "--json"])
    assert code == 2 and out == "" and "cannot read" in err


def test_invalid_arguments_exit_2(run_cli) -> None:
    data = random_instance(3)
    assert run_cli(["solve", "@", "--mode", "fast"], data)[0] == 2
    assert run_cli(["solve", "@", "--time-limit", "soon"], data)[0] == 2
    assert run_cli(["solve", "@", "--time-limit", "-3"], data)[0] == 2
    assert run_cli(["solve"], None)[0] == 2
    assert run_cli(["explode", "@"], data)[0] == 2
    assert run_cli([], None)[0] == 2
    assert run_cli(["--help"], None)[0] == 0


def test_pair_json(run_cli) -> None:
    cohort = {
        "french": [
            {
                "id": "f1",
                "languages": ["fr", "en"],
                "themes": ["environment"],
                "available_from": "2026-06-01",
                "available_to": "2026-08-31",
            }
        ],
        "foreign": [
            {
                "id": "g1",
                "nationality": "SN",
                "languages": ["fr", "wo"],
                "themes": ["environment"],
                "available_from": "2026-07-01",
                "available_to": "2026-09-30",
            }
        ],
    }
    code, out, _ = run_cli(["pair", "@", "--json"], cohort)
    assert code == 0
    result = json.loads(out)
    assert [(p["french"], p["foreign"]) for p in result["pairs"]] == [("f1", "g1")]
    assert run_cli(["pair", "@", "--json"], {"french": "nobody"})[0] == 1


def test_console_script_runs_without_database_or_environment(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    data = random_instance(4)
    path.write_text(json.dumps(data))
    env = {"PATH": "/usr/bin:/bin"}  # no DJANGO_SETTINGS_MODULE, no DATABASE_URL
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reciprocity.manage",
            "placement",
            "solve",
            str(path),
            "--json",
            "--time-limit",
            "5",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert check(data, json.loads(proc.stdout)) == []
    proc = subprocess.run(
        [sys.executable, "-m", "reciprocity.manage", "placement", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0 and "solve" in proc.stdout


def test_the_solver_says_nothing_in_a_fresh_process(tmp_path: Path) -> None:
    """HiGHS prints its banner, and with it its whole log, from C++ unless its log is off before
    its first call: a fresh process (the banner comes once per process) shows whether the engine's
    solver writes anything (the demo command's output, the worker's JSON log lines). The CLI
    sends native output to stderr, so both streams are read. 200 volunteers: HiGHS solves it."""
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(random_instance(3, n_vol=200, n_mis=40)))
    done = subprocess.run(
        [sys.executable, "-m", "reciprocity.placements.engine.cli", "solve", str(path), "--json",
         "--mode", "optimal", "--time-limit", "5"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "HiGHS" not in done.stdout + done.stderr
    assert json.loads(done.stdout)["bound_source"] == "mip"
