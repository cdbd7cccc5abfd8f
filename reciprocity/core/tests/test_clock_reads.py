"""No clock read inside services, selectors or the pure modules: the edges pass `today`/`now` in.

A view, an API operation, a command or a task reads the clock once and hands the value down, so
that a service answers the same on any day it is given and tests never depend on the real date
(shared/style.md, docs/decisions/0005-layers-and-import-contracts.md). This walks the syntax tree
of every services.py and selectors.py (and `*_services.py`/`*_selectors.py` modules such as
matching/pairing_services.py, and modules of `services`/`selectors` packages), of the workflow,
of the use-case modules named below, of the engines and reciprocity.domain, and refuses any call
of the clock not in the allow-list below.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # reciprocity/

# Use-case modules not named services: the offers' state machine (the answers' responded_at)
# is applications' services split by topic; the daily reminder (its "already reminded" window)
# and the calendars (each event's DTSTAMP) are procedures' use-cases; the documents (the day
# printed on them) and their signatures (signed_at, a new version's issue day) are placements';
# the PLATO pull (the free places' stamp) and the webhooks (an event's occurred_at, a delivery's
# attempt and retry times) are exchange's.
USE_CASE_MODULES = {
    "applications/offers.py",
    "procedures/reminders.py",
    "procedures/calendars.py",
    "placements/documents.py",
    "placements/signatures.py",
    "exchange/plato.py",
    "exchange/webhooks.py",
    "demo/builder.py",
    "demo/season.py",
}

# The calls that read the clock. `timezone.localdate(value)` and `timezone.localtime(value)`
# convert a given moment and are allowed; without an argument they read the clock.
CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("time", "time"),
}

# The reads left, file -> call -> how many (31 reads in 11 files when this test came; each other
# one was removed by passing the value in from the edge). The count may only go down (a new read
# fails the test).
ALLOWED: dict[str, dict[str, int]] = {
    # Seconds left of a django-otp lock-out. django-otp decides the lock-out on its own clock
    # (ThrottlingMixin.verify_is_allowed reads timezone.now(), as do its failure stamps), so the
    # seconds left must be measured on that same clock: a `now` handed in by the view would only
    # disguise the read (the service would still answer by the real clock) and could contradict
    # the lock it reports. Kept on purpose, not pending.
    "accounts/two_factor/services.py": {"timezone.now()": 1},
    # The X-Reciprocity-Timestamp of a webhook request: the moment the request leaves, which it
    # signs and the receiving system compares with its own clock to refuse a replay. One run of
    # `webhooks deliver` hands in one `now` and may then wait up to TIMEOUT_SECONDS per slow
    # endpoint before the next request: that `now` would sign a stale time. Transport, like a
    # Date header; kept on purpose, not pending.
    "exchange/webhooks.py": {"time.time()": 1},
}


def _checked_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        in_layer_module = path.name.endswith(("services.py", "selectors.py")) or {
            "services", "selectors"
        } & set(parts[:-1])
        pure = parts[0] == "domain" or parts[:2] in {("placements", "engine"), ("procedures", "engine")}
        # The workflow's modules are use-cases (services by another name), except its faces:
        # the pages, API operations, URLs and commands that drive them are edges and read the
        # clock once, like any view (ADR 0005, "faces").
        workflow_face = path.name.endswith(("views.py", "apis.py", "urls.py")) or (
            "management" in parts
        )
        in_layer_module = in_layer_module or (parts[0] == "workflow" and not workflow_face)
        in_layer_module = in_layer_module or "/".join(parts) in USE_CASE_MODULES
        if in_layer_module or pure:
            files.append(path)
    return files


def clock_reads(source: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        base = node.func.value
        owner = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
        if (owner, node.func.attr) not in CLOCK_CALLS:
            continue
        if node.func.attr in {"localdate", "localtime"} and (node.args or node.keywords):
            continue  # a conversion of the moment given, not a read of the clock
        found[f"{owner}.{node.func.attr}()"] += 1
    return found


def test_the_checker_sees_every_form_of_clock_read():
    source = (
        "date.today(); datetime.now(); datetime.datetime.now(); timezone.now(); "
        "timezone.localdate(); timezone.localdate(moment); timezone.localtime(value=x)"
    )
    assert clock_reads(source) == Counter(
        {"date.today()": 1, "datetime.now()": 2, "timezone.now()": 1, "timezone.localdate()": 1}
    )


def test_the_walk_covers_services_selectors_engines_and_domain():
    names = {path.relative_to(PACKAGE).as_posix() for path in _checked_files()}
    assert {"missions/services.py", "placements/selectors.py", "domain/dates.py",
            "placements/engine/solve.py", "procedures/engine/planner.py",
            "matching/pairing_services.py", "balance/visa_selectors.py",
            "workflow/applying.py", "applications/offers.py"} <= names
    assert not any("/tests/" in name for name in names)
    # The workflow's faces read the clock once, like the apps' views and commands.
    assert not names & {"workflow/application_views.py", "workflow/apis.py",
                        "workflow/management/commands/applications.py"}


def test_no_new_clock_read_in_services_selectors_or_engines():
    new = {}
    for path in _checked_files():
        name = path.relative_to(PACKAGE).as_posix()
        allowed = ALLOWED.get(name, {})
        for call, count in clock_reads(path.read_text(encoding="utf-8")).items():
            if count > allowed.get(call, 0):
                new[name] = f"{call} x{count} (allowed {allowed.get(call, 0)})"
    assert not new, (
        "Read the clock at the edge (view, API, command, task) and pass `today`/`now` in: "
        f"{new}"
    )
