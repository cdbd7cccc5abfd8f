"""Evaluations during and after the mission, and the six-month follow-up."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.domain.dates import add_months
from reciprocity.placements import services
from reciprocity.placements.evaluations import evaluation_submit, follow_up_record
from reciprocity.placements.selectors import follow_up_cutoff, follow_ups_due
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(network):
    placement = services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])
    placement = workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)
    return workflow.placement_start(placement=placement, actor=network.host_officer)


def evaluate(placement, actor, stage="midterm", role="volunteer", rating=4):
    return evaluation_submit(
        actor=actor, placement=placement, stage=stage, author_role=role, mission_rating=rating,
        integration_rating=5, support_rating=3, comments=" Good team ",
    )


def test_volunteer_and_tutor_each_write_their_midterm_once(network, running):
    mine = evaluate(running, network.volunteer_user)
    tutor = evaluate(running, network.host_officer, role="tutor")

    assert (mine.comments, tutor.author_role) == ("Good team", "tutor")
    with pytest.raises(ApplicationError) as twice:
        evaluate(running, network.volunteer_user)
    assert twice.value.code == "already_written"


def test_each_side_writes_only_its_own_evaluation(network, running):
    with pytest.raises(NotAllowed):
        evaluate(running, network.host_officer, role="volunteer")
    with pytest.raises(NotAllowed):
        evaluate(running, network.volunteer_user, role="tutor")
    with pytest.raises(NotAllowed):
        evaluate(running, UserFactory(), role="tutor")


def test_ratings_are_one_to_five(network, running):
    with pytest.raises(ApplicationError) as bad:
        evaluate(running, network.volunteer_user, rating=6)
    assert bad.value.code == "bad_rating"


def test_midterm_only_while_running_final_also_after(network, running):
    done = workflow.placement_complete(placement=running, actor=network.host_officer)
    with pytest.raises(InvalidTransition):
        evaluate(done, network.volunteer_user, stage="midterm")
    assert evaluate(done, network.volunteer_user, stage="final").stage == "final"


def test_follow_up_from_six_months_after_the_end(network, running):
    done = workflow.placement_complete(
        placement=running, actor=network.host_officer, on=datetime.date(2027, 8, 31)
    )
    with pytest.raises(InvalidTransition) as early:
        follow_up_record(actor=network.sender_officer, placement=done, situation="studies",
                         today=datetime.date(2028, 2, 27))
    assert early.value.details == {"due_on": "2028-02-29"}
    assert list(follow_ups_due(user=network.sender_officer, today=datetime.date(2028, 2, 29))) == [done]

    follow_up = follow_up_record(actor=network.sender_officer, placement=done,
                                 situation="studies", details="Master", today=datetime.date(2028, 3, 1))
    corrected = follow_up_record(actor=network.volunteer_user, placement=done,
                                 situation="work", today=datetime.date(2028, 3, 2))

    assert corrected.pk == follow_up.pk and corrected.situation == "work"
    assert not follow_ups_due(user=network.sender_officer, today=datetime.date(2028, 3, 5)).exists()


def test_follow_up_refused_while_running_and_to_strangers(network, running):
    with pytest.raises(InvalidTransition):
        follow_up_record(actor=network.host_officer, placement=running, situation="work",
                         today=datetime.date(2030, 1, 1))
    with pytest.raises(NotAllowed):
        follow_up_record(actor=UserFactory(), placement=running, situation="work",
                         today=datetime.date(2030, 1, 1))
    with pytest.raises(ApplicationError):
        follow_up_record(actor=network.host_officer, placement=running, situation="retired",
                         today=datetime.date(2030, 1, 1))


def test_evaluation_through_the_page(client, network, running):
    client.force_login(network.volunteer_user)
    client.post(f"/placements/{running.pk}/evaluation/", {
        "stage": "midterm", "author_role": "volunteer", "mission_rating": "5",
        "integration_rating": "4", "support_rating": "4", "comments": "Fine",
    })
    assert running.evaluations.get().mission_rating == 5
    page = client.get(f"/placements/{running.pk}/").content.decode()
    assert "5/5" in page


@given(last_day=st.dates(datetime.date(2020, 1, 1), datetime.date(2035, 12, 31)),
       today=st.dates(datetime.date(2020, 1, 1), datetime.date(2036, 12, 31)))
def test_the_due_list_and_the_due_date_agree(last_day, today):
    assert (add_months(last_day, 6) <= today) == (last_day <= follow_up_cutoff(today))
