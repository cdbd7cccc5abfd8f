import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.missions.services import MissionData
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.schemes.models import SchemeRule

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def host(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Maison des Solidarités", country="FR")


@pytest.fixture
def other_host(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Association Ailleurs", country="FR")


@pytest.fixture
def officer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.OFFICER).user


@pytest.fixture
def viewer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.VIEWER).user


@pytest.fixture
def other_officer(other_host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=other_host, role=MembershipRole.ADMIN).user


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return StaffFactory()


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return UserFactory()


@pytest.fixture
def sc_rules(db):  # type: ignore[no-untyped-def]
    """Service Civique rules as the rules engineer's data files give them (6–12 months,
    24–48 h/week, 16–25 years or 30 with a disability)."""
    values = {
        "duration_min_months": 6, "duration_max_months": 12, "weekly_hours_min": 24,
        "weekly_hours_max": 48, "age_min": 16, "age_max": 25, "age_max_disability": 30,
    }
    for key, value in values.items():
        SchemeRule.objects.create(
            scheme_id="service_civique", key=key, value=value,
            effective_from=datetime.date(2010, 3, 10),
        )


def sc_data(**changes) -> MissionData:  # type: ignore[no-untyped-def]
    """A valid six-month Service Civique mission starting in March 2027."""
    data = MissionData(
        scheme_code="service_civique", title="Youth activities", theme="solidarity",
        country="FR", city="Lyon", start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 8, 31), capacity=2, weekly_hours=28, languages=["fr"],
        age_min=18, age_max=25,
    )
    return data.replace(**changes)
