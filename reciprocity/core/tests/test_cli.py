"""Exit codes of the `reciprocity` command: 0 success, 1 refused or invalid data, 2 usage."""

import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reciprocity.manage", *args], capture_output=True, text=True
    )


def test_unknown_subcommand_is_a_usage_error():
    result = run("no-such-command")
    assert result.returncode == 2
    assert "Unknown command" in result.stderr


@pytest.mark.parametrize("args", [["demo", "--seed", "abc"], ["rules"], ["demo", "--today", "2026-13-45"]])
def test_bad_arguments_are_usage_errors(args):
    assert run(*args).returncode == 2


def test_help_works():
    result = run("help")
    assert result.returncode == 0 and "demo" in result.stdout
