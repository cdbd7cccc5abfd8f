"""Helpers for the engine tests: run the CLI in-process, build small instances."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest

from reciprocity.placements.engine.cli import main


@pytest.fixture
def run_cli(tmp_path: Path):
    """run_cli(argv, data=None) -> (exit code, stdout, stderr); data is written to a file."""

    def run(argv: list[str], data: Any = None) -> tuple[int, str, str]:
        if data is not None:
            path = tmp_path / "data.json"
            path.write_text(data if isinstance(data, str) else json.dumps(data))
            argv = [a if a != "@" else str(path) for a in argv]
        out, err = io.StringIO(), io.StringIO()
        code = main(argv, stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    return run


def random_instance(
    seed: int,
    n_vol: int = 30,
    n_mis: int = 6,
    countries: tuple[str, ...] = ("FR", "SN", "DE", "JP"),
    max_choices: int = 4,
    requirements: bool = False,
) -> dict[str, Any]:
    """A small random instance with tight rules (used by mode tests and hypothesis).

    With `requirements`, missions get age bounds and required languages and volunteers birth
    dates (29 February among them, some missing) and languages with CEFR or VEF levels.
    """
    rng = random.Random(seed)
    missions = [
        {
            "id": f"m{i}",
            "capacity": rng.randint(0, 5),
            "host_country": rng.choice(countries),
            "max_per_nationality": rng.choice([1, 2, 2, 3]),
            "gender_tolerance": rng.choice([None, 0, 1, 2]),
        }
        for i in range(n_mis)
    ]
    volunteers = [
        {
            "id": f"v{i}",
            "nationality": rng.choice(countries),
            "gender": rng.choice("FFMMX"),
            "choices": rng.sample(
                [m["id"] for m in missions], rng.randint(0, min(max_choices, n_mis))
            ),
        }
        for i in range(n_vol)
    ]
    if requirements:
        _add_requirements(rng, missions, volunteers)
    agreements = []
    for i, a in enumerate(countries):
        for b in countries[i + 1 :]:
            if rng.random() < 0.6:
                ag: dict[str, Any] = {"countries": [a, b], "tolerance": rng.randint(0, 2)}
                if rng.random() < 0.4:
                    ag["max"] = [rng.choice([None, 0, 1, 3]), rng.choice([None, 1, 3])]
                agreements.append(ag)
    return {
        "missions": missions,
        "volunteers": volunteers,
        "agreements": agreements,
        "unplaced_penalty": rng.choice([100, 100, 3]),
    }


STARTS = ("2027-02-28", "2027-03-01", "2028-02-29", "2027-07-05")
BIRTHS = ("2009-02-28", "2009-03-01", "2008-02-29", "2010-07-05", "1996-07-06", "1990-01-01", None)
LEVELS = (None, "A1", "a2", "B1", "B2", "C1", "C2", 1, 2, 3, 4)


def _add_requirements(
    rng: random.Random, missions: list[dict[str, Any]], volunteers: list[dict[str, Any]]
) -> None:
    for m in missions:
        m["start_date"] = rng.choice(STARTS)
        if rng.random() < 0.5:
            m["age_min"] = rng.choice([None, 17, 18])
            m["age_max"] = rng.choice([None, 30, 31])
        m["languages"] = [
            {"code": code, "level": rng.choice(LEVELS)}
            for code in rng.sample(["en", "fr", "de"], rng.choice([0, 0, 1, 1, 2]))
        ]
    for v in volunteers:
        born = rng.choice(BIRTHS)
        if born is not None:
            v["birth_date"] = born
        v["languages"] = [
            code if rng.random() < 0.2 else {"code": code, "level": rng.choice(LEVELS)}
            for code in rng.sample(["en", "fr", "de", "wo"], rng.randint(0, 3))
        ]
