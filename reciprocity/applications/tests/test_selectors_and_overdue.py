"""Who sees which applications, and the overdue flags (selector, service, command)."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory, UserFactory
from reciprocity.applications import services
from reciprocity.applications.models import Application
from reciprocity.applications.selectors import (
    application_choices_for,
    applications_visible_to,
    choices_overdue,
    host_inbox,
)
from reciprocity.notifications.models import Notification
from reciprocity.workflow import applying

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(network):
    return applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer,
        missions=[network.missions[0], network.other_mission], motivation="Keen",
    )


def test_each_party_sees_the_application_but_a_host_only_its_own_choice(network, application):
    for user in (network.volunteer_user, network.sender_officer, network.sender_viewer,
                 network.host_officer, network.other_host_officer, StaffFactory()):
        assert applications_visible_to(user).filter(pk=application.pk).exists()

    host_view = application_choices_for(user=network.host_officer, application=application)
    sender_view = application_choices_for(user=network.sender_officer, application=application)

    assert [c.mission for c in host_view] == [network.missions[0]]
    assert len(sender_view) == 2


def test_strangers_and_anonymous_see_nothing(network, application):
    from django.contrib.auth.models import AnonymousUser

    assert not applications_visible_to(UserFactory()).exists()
    assert not applications_visible_to(AnonymousUser()).exists()


def test_inbox_lists_open_choices_of_own_missions(network, application):
    assert [c.mission for c in host_inbox(user=network.host_officer)] == [network.missions[0]]
    assert not host_inbox(user=network.sender_officer).exists()


def test_overdue_is_flagged_once_to_host_and_sender(network, application):
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=30)
    )
    decided = application.choices.get(mission=network.other_mission)
    services.application_choice_refuse(actor=network.other_host_officer, choice=decided, reason="No", now=timezone.now())

    overdue = choices_overdue(days=21, now=timezone.now())
    assert [c.mission for c in overdue] == [network.missions[0]]
    assert not choices_overdue(days=31, now=timezone.now()).exists()

    first = services.applications_flag_overdue(days=21, now=timezone.now())
    second = services.applications_flag_overdue(days=21, now=timezone.now())

    assert len(first) == 1 and second == []
    for user in (network.host_officer, network.sender_officer):
        assert Notification.objects.filter(user=user, verb="application.overdue").count() == 1
    assert not Notification.objects.filter(user=network.other_host_officer, verb="application.overdue").exists()


def test_fresh_applications_are_not_overdue(network, application):
    assert services.applications_flag_overdue(days=21, now=timezone.now()) == []


def test_command_flags_and_reports_in_json(network, application, capsys):
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=40)
    )

    call_command("applications", "flag-overdue", "--json")
    body = json.loads(capsys.readouterr().out)
    call_command("applications", "flag-overdue")
    again = capsys.readouterr().out

    assert body["days"] == 21 and len(body["flagged"]) == 2
    assert body["flagged"][0]["application"] == application.pk
    assert "No new application" in again


def test_command_refuses_a_nonsense_delay():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("applications", "flag-overdue", "--days", "0")
    assert refused.value.returncode == 2
