"""The anonymisation's per-app services (each app erases its own rows, called by
workflow/personal_data.py): each touches the given volunteer's rows and no one else's.
Table-driven: one row per service."""

from collections.abc import Callable
from typing import Any

import pytest

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.applications.models import Application
from reciprocity.applications.services import applications_anonymise_for_volunteer
from reciprocity.applications.tests.factories import ApplicationFactory
from reciprocity.notifications.models import Notification
from reciprocity.notifications.services import notifications_anonymise_for_volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _applications() -> tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any]]:
    def make(volunteer: Any) -> Any:
        return ApplicationFactory(volunteer=volunteer, motivation="Because I speak Wolof.")

    def erase(volunteer: Any) -> Any:
        return applications_anonymise_for_volunteer(volunteer_id=volunteer.pk)

    def left(volunteer: Any) -> Any:
        return list(Application.objects.filter(volunteer=volunteer).values_list("motivation", flat=True))

    return make, erase, left


def _notifications() -> tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any]]:
    def make(volunteer: Any) -> Any:
        return Notification.objects.create(user=volunteer.user, subject="Accepted", text="You go to Dakar.")

    def erase(volunteer: Any) -> Any:
        return notifications_anonymise_for_volunteer(user_id=volunteer.user_id)

    def left(volunteer: Any) -> Any:
        return list(Notification.objects.filter(user=volunteer.user).values_list("subject", flat=True))

    return make, erase, left


@pytest.mark.parametrize(
    ("service", "erased", "kept"),
    [
        (_applications, [""], ["Because I speak Wolof."]),
        (_notifications, [], ["Accepted"]),
    ],
    ids=["applications", "notifications"],
)
def test_each_app_erases_only_the_volunteers_own_rows(service, erased, kept):
    make, erase, left = service()
    volunteer = VolunteerFactory(user=UserFactory())
    other = VolunteerFactory(user=UserFactory())
    make(volunteer)
    make(other)

    assert erase(volunteer) == 1
    assert (left(volunteer), left(other)) == (erased, kept)
