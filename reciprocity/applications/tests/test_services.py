"""Applications: submitting, nominating, the host's decisions, withdrawal, the state machine."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory, UserFactory
from reciprocity.agreements.tests.factories import ProgrammeFactory
from reciprocity.applications import services
from reciprocity.applications.models import (
    ApplicationKind,
    ApplicationStatus,
    ApplicationStatusChange,
    ChoiceStatus,
)
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.notifications.models import Notification
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


def apply(network, missions=None, actor=None):
    return applying.application_submit(now=timezone.now(),
        actor=actor or network.volunteer_user, volunteer=network.volunteer,
        missions=[network.missions[0], network.other_mission] if missions is None else missions,
        motivation="  Keen. ",
    )


class TestSubmit:
    def test_ranks_choices_keeps_the_eligibility_and_tells_each_host(
        self, network, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            application = apply(network)

        choices = list(application.choices.order_by("rank"))
        assert [c.mission for c in choices] == [network.missions[0], network.other_mission]
        assert application.status == ApplicationStatus.SUBMITTED
        assert application.motivation == "Keen."
        assert application.submitted_at is not None
        assert all(c.eligibility["checked"] for c in choices)
        assert ApplicationStatusChange.objects.filter(
            application=application, to_status=ApplicationStatus.SUBMITTED
        ).exists()
        assert Notification.objects.filter(user=network.host_officer, verb="application.submitted").count() == 1
        assert Notification.objects.filter(user=network.other_host_officer).count() == 1
        assert {m.to[0] for m in mail.outbox} == {
            network.host_officer.email, network.other_host_officer.email
        }

    def test_ineligible_volunteer_can_apply_and_the_verdict_says_why(self, network):
        network.volunteer.prior_service_civique = True
        network.volunteer.save()

        choice = apply(network, missions=[network.missions[0]]).choices.get()

        assert choice.eligibility["eligible"] is False
        assert "already_did_service_civique" in {r["code"] for r in choice.eligibility["reasons"]}

    def test_an_officer_of_the_sending_organisation_applies_on_behalf(self, network):
        application = apply(network, actor=network.sender_officer)
        assert application.created_by == network.sender_officer
        assert application.sending_organisation == network.sender

    @pytest.mark.parametrize("who", ["stranger", "sender_viewer", "host_officer"])
    def test_others_may_not_apply_on_behalf(self, network, who):
        actor = UserFactory() if who == "stranger" else getattr(network, who)
        with pytest.raises(NotAllowed):
            apply(network, actor=actor)

    def test_at_most_six_distinct_published_choices(self, network):
        seven = [MissionFactory() for _ in range(7)]
        with pytest.raises(ApplicationError) as too_many:
            apply(network, missions=seven)
        assert too_many.value.code == "too_many_choices"
        apply(network, missions=seven[:6])  # six is fine

        with pytest.raises(ApplicationError) as duplicate:
            apply(network, missions=[network.missions[1], network.missions[1]])
        assert duplicate.value.code == "duplicate_choice"

        draft = MissionFactory(status=MissionStatus.DRAFT)
        with pytest.raises(ApplicationError) as closed:
            apply(network, missions=[draft])
        assert closed.value.code == "mission_not_open"

        with pytest.raises(ApplicationError) as empty:
            apply(network, missions=[])
        assert empty.value.code == "no_choice"

    def test_no_second_open_application_for_the_same_mission(self, network):
        apply(network, missions=[network.missions[0]])
        with pytest.raises(ApplicationError) as again:
            apply(network, missions=[network.missions[0]])
        assert again.value.code == "already_applied"


class TestNominate:
    def test_agency_nominates_its_volunteers_for_a_programme_cohort(self, network):
        programme = ProgrammeFactory()
        second = VolunteerFactory(sending_organisation=network.sender)

        applications = applying.application_nominate(now=timezone.now(),
            actor=network.sender_officer, organisation=network.sender,
            volunteers=[network.volunteer, second], programme=programme,
        )

        assert [a.kind for a in applications] == [ApplicationKind.NOMINATION] * 2
        assert all(a.programme == programme and not a.choices.exists() for a in applications)

    def test_nomination_for_missions(self, network):
        (application,) = applying.application_nominate(now=timezone.now(),
            actor=network.sender_officer, organisation=network.sender,
            volunteers=[network.volunteer], missions=[network.missions[0]],
        )
        assert application.choices.get().mission == network.missions[0]

    def test_an_agency_nominates_only_the_volunteers_it_sends(self, network):
        foreign = VolunteerFactory()
        with pytest.raises(NotAllowed):
            applying.application_nominate(now=timezone.now(),
                actor=network.sender_officer, organisation=network.sender,
                volunteers=[foreign], missions=[network.missions[0]],
            )

    def test_outsiders_may_not_nominate_and_something_must_be_chosen(self, network):
        with pytest.raises(NotAllowed):
            applying.application_nominate(now=timezone.now(),
                actor=network.host_officer, organisation=network.sender,
                volunteers=[network.volunteer], missions=[network.missions[0]],
            )
        with pytest.raises(ApplicationError) as nothing:
            applying.application_nominate(now=timezone.now(),
                actor=network.sender_officer, organisation=network.sender,
                volunteers=[network.volunteer],
            )
        assert nothing.value.code == "no_choice"

    def test_missions_must_belong_to_the_programme(self, network):
        with pytest.raises(ApplicationError) as outside:
            applying.application_nominate(now=timezone.now(),
                actor=network.sender_officer, organisation=network.sender,
                volunteers=[network.volunteer], missions=[network.missions[0]],
                programme=ProgrammeFactory(),
            )
        assert outside.value.code == "mission_not_in_programme"


class TestDecisions:
    def test_shortlist_then_accept_creates_a_proposed_placement(self, network):
        application = apply(network)
        choice = application.choices.get(mission=network.missions[0])

        services.application_choice_shortlist(actor=network.host_officer, choice=choice)
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SHORTLISTED

        workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=choice)

        choice.refresh_from_db()
        application.refresh_from_db()
        assert choice.status == ChoiceStatus.ACCEPTED and choice.decided_at is not None
        assert application.status == ApplicationStatus.ACCEPTED
        placement = Placement.objects.get(application=application)
        assert placement.status == PlacementStatus.PROPOSED
        assert placement.mission == network.missions[0]
        assert [h.to_status for h in placement.history.all()] == [PlacementStatus.PROPOSED]

    def test_refusal_needs_a_reason_and_the_last_refusal_refuses_the_application(self, network):
        application = apply(network)
        mine = application.choices.get(mission=network.missions[0])
        theirs = application.choices.get(mission=network.other_mission)

        with pytest.raises(ApplicationError) as no_reason:
            services.application_choice_refuse(actor=network.host_officer, choice=mine, reason=" ", now=timezone.now())
        assert no_reason.value.code == "reason_required"

        services.application_choice_refuse(actor=network.host_officer, choice=mine, reason="Full.", now=timezone.now())
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED  # the other choice is pending
        services.application_choice_refuse(
            actor=network.other_host_officer, choice=theirs, reason="Profile.", now=timezone.now()
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.REFUSED
        mine.refresh_from_db()
        assert mine.decision_reason == "Full."
        assert Notification.objects.filter(
            user=network.volunteer_user, verb="application.refused"
        ).count() == 2

    def test_a_host_decides_only_on_its_own_missions(self, network):
        application = apply(network)
        theirs = application.choices.get(mission=network.other_mission)
        for actor in (network.host_officer, network.sender_officer, network.volunteer_user):
            with pytest.raises(NotAllowed):
                workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=actor, choice=theirs)

    def test_a_refused_choice_cannot_be_accepted(self, network):
        choice = apply(network).choices.get(mission=network.missions[0])
        services.application_choice_refuse(actor=network.host_officer, choice=choice, reason="No.", now=timezone.now())
        with pytest.raises(InvalidTransition):
            workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=choice)

    def test_staff_may_decide(self, network):
        choice = apply(network).choices.get(mission=network.missions[0])
        services.application_choice_shortlist(actor=StaffFactory(), choice=choice)
        choice.refresh_from_db()
        assert choice.status == ChoiceStatus.SHORTLISTED


class TestWithdraw:
    def test_withdrawal_before_confirmation_cancels_the_proposal(self, network):
        application = apply(network)
        choice = application.choices.get(mission=network.missions[0])
        workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=choice)

        workflow.application_withdraw(today=timezone.localdate(),
            actor=network.volunteer_user, application=application, reason="Found a job"
        )

        application.refresh_from_db()
        assert application.status == ApplicationStatus.WITHDRAWN
        assert set(application.choices.values_list("status", flat=True)) == {ChoiceStatus.WITHDRAWN}
        assert Placement.objects.get(application=application).status == PlacementStatus.CANCELLED
        with pytest.raises(InvalidTransition):
            services.application_choice_shortlist(
                actor=network.other_host_officer,
                choice=application.choices.get(mission=network.other_mission),
            )
        with pytest.raises(InvalidTransition):
            workflow.application_withdraw(today=timezone.localdate(), actor=network.volunteer_user, application=application)

    def test_no_withdrawal_once_a_placement_is_confirmed(self, network):
        from reciprocity.applications.offers import offer_accept
        from reciprocity.workflow.services import placement_confirm

        application = apply(network)
        choice = application.choices.get(mission=network.missions[0])
        workflow.application_choice_accept(today=timezone.localdate(), now=timezone.now(), actor=network.host_officer, choice=choice)
        placement = Placement.objects.get(application=application)
        # The volunteer accepts the place offered (issue 12: offers) before the confirmation.
        offer_accept(actor=network.volunteer_user, offer=placement.offer, today=TODAY, now=timezone.now())
        placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)

        with pytest.raises(InvalidTransition) as refused:
            workflow.application_withdraw(today=timezone.localdate(), actor=network.volunteer_user, application=application)
        assert refused.value.code == "already_confirmed"

    def test_only_the_applicant_side_withdraws(self, network):
        application = apply(network)
        with pytest.raises(NotAllowed):
            workflow.application_withdraw(today=timezone.localdate(), actor=network.host_officer, application=application)
        workflow.application_withdraw(today=timezone.localdate(), actor=network.sender_officer, application=application)


def test_transition_tables_are_closed_over_their_statuses():
    assert set(services.APPLICATION_TRANSITIONS) == set(ApplicationStatus.values)
    assert set().union(*services.APPLICATION_TRANSITIONS.values()) <= set(ApplicationStatus.values)
    assert set(services.CHOICE_TRANSITIONS) == set(ChoiceStatus.values)


def test_a_scheme_suspended_today_takes_no_new_application(network):
    from django.utils import timezone

    from reciprocity.schemes.models import SchemeSuspension

    mission = network.missions[0]
    SchemeSuspension.objects.create(scheme_id=mission.scheme_id, start=timezone.localdate(),
                                    reason="Budget freeze")
    with pytest.raises(ApplicationError) as refused:
        apply(network, missions=[mission])
    assert refused.value.code == "scheme_suspended"
    assert "Budget freeze" in refused.value.message
    assert not network.volunteer.applications.exists()
