"""Scheme rules: which version is in force on a day, how a change takes effect, suspensions.

Staff edits through the pages and their effect on procedures are tested in
procedures/tests/test_staff_rules.py; here, the scheme rules' own tables.
"""

import datetime
import json

import pytest
from django.utils import translation

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.core.exceptions import ApplicationError
from reciprocity.schemes.models import Confidence, RuleChange, Scheme, SchemeRule, SchemeSuspension
from reciprocity.schemes.services import (
    rules_load_from_files,
    scheme_rule_edit,
    scheme_suspend,
    scheme_suspension_check,
    scheme_suspension_edit,
)

pytestmark = pytest.mark.django_db
D = datetime.date
SCHEME = "esc"  # seeded by the schemes migration; its rule rows are created per test


@pytest.fixture
def age_max_versions():
    """age_max: 30 from 2018, 35 from 2024-07-01, and min age 18 from 2018 (another key)."""
    for value, day in [(30, D(2018, 1, 1)), (35, D(2024, 7, 1))]:
        SchemeRule.objects.create(scheme_id=SCHEME, key="age_max", value=value, effective_from=day)
    SchemeRule.objects.create(scheme_id=SCHEME, key="age_min", value=18, effective_from=D(2018, 1, 1))


# (the day, age_max in force, age_min in force); None: no version yet
IN_FORCE = [
    (D(2017, 12, 31), None, None),
    (D(2018, 1, 1), 30, 18),
    (D(2024, 6, 30), 30, 18),
    (D(2024, 7, 1), 35, 18),
    (D(2030, 1, 1), 35, 18),
]


@pytest.mark.parametrize(("day", "age_max", "age_min"), IN_FORCE)
def test_the_rule_in_force_is_the_latest_version_not_after_the_day(age_max_versions, day, age_max, age_min):
    rules = SchemeRule.objects.in_force(scheme_code=SCHEME, on=day)

    assert (rules["age_max"].value if "age_max" in rules else None) == age_max
    assert (rules["age_min"].value if "age_min" in rules else None) == age_min


def test_rules_in_force_are_those_of_the_asked_scheme(age_max_versions):
    assert SchemeRule.objects.in_force(scheme_code="vsi", on=D(2030, 1, 1)) == {}


# (the change's effective date, age_max in force on each day of DAYS after the change)
DAYS = [D(2020, 1, 1), D(2024, 7, 1), D(2025, 1, 1), D(2026, 1, 1)]
CHANGES = [
    # Same date as the 2024 version: corrected in place, earlier days unchanged.
    (D(2024, 7, 1), "corrected", [30, 40, 40, 40]),
    # A later date: a new version; the days before it keep 35.
    (D(2025, 1, 1), "new_version", [30, 35, 40, 40]),
    # Between the two versions: a new version that ends the 2018 one earlier.
    (D(2020, 1, 1), "new_version", [40, 35, 35, 35]),
]


@pytest.mark.parametrize(("effective_from", "action", "expected"), CHANGES)
def test_a_rule_change_takes_effect_from_its_date(age_max_versions, effective_from, action, expected):
    current = SchemeRule.objects.get(scheme_id=SCHEME, key="age_max", effective_from=D(2024, 7, 1))
    staff = StaffFactory()

    scheme_rule_edit(rule=current, value=40, effective_from=effective_from, source="the act",
                     confidence=Confidence.VERIFIED, actor=staff)

    assert [SchemeRule.objects.in_force(scheme_code=SCHEME, on=day)["age_max"].value
            for day in DAYS] == expected
    change = RuleChange.objects.get()
    assert (change.action, change.actor, change.label) == (action, staff, "esc.age_max")
    assert change.before["value"] == 35 and change.after["value"] == 40


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"confidence": "certain"}, "invalid_confidence"), ({"value": "forty"}, "invalid_value"),
     ({"effective_from": D(2018, 1, 1)}, "rule_version_exists")],
)
def test_a_refused_rule_change_changes_nothing(age_max_versions, changes, code):
    current = SchemeRule.objects.get(scheme_id=SCHEME, key="age_max", effective_from=D(2024, 7, 1))
    data = {"value": 40, "effective_from": D(2024, 7, 1), "source": "",
            "confidence": Confidence.VERIFIED} | changes

    with pytest.raises(ApplicationError) as refused:
        scheme_rule_edit(rule=current, actor=StaffFactory(), **data)

    assert refused.value.code == code
    assert sorted(SchemeRule.objects.filter(key="age_max").values_list("effective_from", "value")) == [
        (D(2018, 1, 1), 30), (D(2024, 7, 1), 35)]
    assert not RuleChange.objects.exists()


# (suspension start, end, the day asked, refused)
SUSPENDED = [
    (D(2026, 1, 1), D(2026, 2, 20), D(2025, 12, 31), False),
    (D(2026, 1, 1), D(2026, 2, 20), D(2026, 1, 1), True),   # first day included
    (D(2026, 1, 1), D(2026, 2, 20), D(2026, 2, 20), True),  # last day included
    (D(2026, 1, 1), D(2026, 2, 20), D(2026, 2, 21), False),
    (D(2026, 1, 1), None, D(2040, 1, 1), True),            # open-ended: every day from its start
    (D(2026, 1, 1), None, D(2025, 12, 31), False),
]


@pytest.mark.parametrize(("start", "end", "day", "refused"), SUSPENDED)
def test_a_suspension_covers_its_days(start, end, day, refused):
    suspension = SchemeSuspension.objects.create(scheme_id=SCHEME, start=start, end=end, reason="budget")

    assert suspension.covers(day) is refused
    if refused:
        with pytest.raises(ApplicationError) as error:
            scheme_suspension_check(scheme_code=SCHEME, on=day)
        assert error.value.code == "scheme_suspended"
    else:
        assert scheme_suspension_check(scheme_code=SCHEME, on=day) is None
    # Another scheme is never refused by it.
    assert scheme_suspension_check(scheme_code="vsi", on=day) is None


def test_a_suspension_gets_its_end_once_known():
    staff = StaffFactory()
    suspension = scheme_suspend(scheme_code=SCHEME, start=D(2026, 1, 1), end=None,
                                reason="no budget", actor=staff)

    scheme_suspension_edit(suspension=suspension, end=D(2026, 2, 20), reason=" budget voted ", actor=staff)

    suspension.refresh_from_db()
    assert (suspension.end, suspension.reason) == (D(2026, 2, 20), "budget voted")
    assert scheme_suspension_check(scheme_code=SCHEME, on=D(2026, 2, 21)) is None
    assert [c.action for c in RuleChange.objects.order_by("pk")] == ["created", "edited"]


def test_loading_the_files_twice_creates_nothing_and_keeps_staff_edits(tmp_path):
    (tmp_path / "esc.json").write_text(json.dumps({
        "code": SCHEME, "name_en": "European Solidarity Corps", "name_fr": "Corps européen de solidarité",
        "rules": [{"key": "age_max", "effective_from": "2018-01-01", "value": 30}],
        "suspensions": [{"start": "2026-01-01", "end": None, "reason": "budget"}],
    }))
    first = rules_load_from_files(directory=tmp_path)
    SchemeRule.objects.filter(key="age_max").update(value=31)  # a staff correction

    second = rules_load_from_files(directory=tmp_path)

    assert (first.rules_created, first.suspensions_created, first.files) == (1, 1, 1)
    assert (second.rules_created, second.suspensions_created) == (0, 0)
    assert SchemeRule.objects.get(key="age_max").value == 31


@pytest.mark.parametrize(("language", "name"), [("en", "European Solidarity Corps"), ("fr", "Corps FR")])
def test_a_scheme_is_named_in_the_readers_language(language, name):
    scheme = Scheme.objects.get(pk=SCHEME)
    scheme.name_en, scheme.name_fr = "European Solidarity Corps", "Corps FR"

    with translation.override(language):
        assert scheme.name == name == str(scheme)
