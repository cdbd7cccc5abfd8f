"""Conversations: who reads and writes, attachments, unread counts, batched e-mails, events,
personal data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory
from reciprocity.conversations import permissions
from reciprocity.conversations.models import EventCode, MessageKind, ThreadRead
from reciprocity.conversations.selectors import thread_list, threads_visible_to, unread_total
from reciprocity.conversations.services import (
    conversation_digests_send,
    conversations_erase_for_volunteer,
    conversations_export_for_volunteer,
    message_post,
    overdue_step_events,
    thread_for_application,
    thread_for_placement,
    thread_mark_read,
)
from reciprocity.core.exceptions import ApplicationError, NotAllowed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def post(thread, author, text="Hello", **kw):  # type: ignore[no-untyped-def]
    return message_post(thread=thread, author=author, text=text, now=timezone.now(), **kw)


class TestWhoReadsAndWrites:
    def test_the_parties_read_and_write_viewers_only_read(self, parties):
        thread = thread_for_placement(placement=parties.placement)
        for user in (parties.volunteer, parties.host_officer, parties.sender_officer, StaffFactory()):
            assert permissions.can_read(user, thread) and permissions.can_write(user, thread)
            post(thread, user)
        assert permissions.can_read(parties.host_viewer, thread)
        assert not permissions.can_write(parties.host_viewer, thread)
        with pytest.raises(NotAllowed):
            post(thread, parties.host_viewer)

    def test_an_outsider_neither_reads_nor_writes_nor_sees_the_thread(self, parties):
        thread = thread_for_placement(placement=parties.placement)
        post(thread, parties.volunteer, "My passport number is in the file.")
        assert not permissions.can_read(parties.outsider, thread)
        assert not threads_visible_to(parties.outsider).exists()
        with pytest.raises(NotAllowed):
            post(thread, parties.outsider)
        assert unread_total(user=parties.outsider) == 0

    def test_each_host_of_an_application_has_its_own_thread(self, two_hosts):
        application = two_hosts["application"]
        with_a = thread_for_application(application=application, host_id=two_hosts["host_a"].pk)
        with_b = thread_for_application(application=application, host_id=two_hosts["host_b"].pk)
        post(with_a, two_hosts["officer_a"], "Host A here")
        assert set(threads_visible_to(two_hosts["officer_a"])) == {with_a}
        assert set(threads_visible_to(two_hosts["officer_b"])) == {with_b}
        assert set(threads_visible_to(two_hosts["sender"])) == {with_a, with_b}
        assert not permissions.can_read(two_hosts["officer_b"], with_a)

    def test_an_application_thread_only_with_a_host_of_its_choices(self, two_hosts, parties):
        with pytest.raises(ApplicationError) as refused:
            thread_for_application(application=two_hosts["application"],
                                   host_id=parties.placement.mission.host_id)
        assert refused.value.code == "invalid_host"


class TestMessages:
    def test_attachments_pass_the_upload_checks(self, parties, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        thread = thread_for_placement(placement=parties.placement)
        message = post(thread, parties.volunteer, "Visa scan",
                       files=[SimpleUploadedFile("visa.pdf", PDF)])
        [attachment] = message.attachments.all()
        assert attachment.original_name == "visa.pdf" and attachment.content_type == "application/pdf"
        assert "visa" not in attachment.file.name  # a random stored name
        for upload, code in ((SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"), "file_type_refused"),
                             (SimpleUploadedFile("x.exe", PDF), "file_type_refused"),
                             (SimpleUploadedFile("x.pdf", b""), "file_empty")):
            with pytest.raises(ApplicationError) as refused:
                post(thread, parties.volunteer, files=[upload])
            assert refused.value.code == code
        with pytest.raises(ApplicationError) as refused:
            post(thread, parties.volunteer, files=[SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)])
        assert refused.value.code == "too_many_files"

    def test_an_empty_message_is_refused(self, parties):
        thread = thread_for_placement(placement=parties.placement)
        with pytest.raises(ApplicationError) as refused:
            post(thread, parties.volunteer, "  \x00 ")
        assert refused.value.code == "empty_message"

    def test_unread_counts_move_with_reading(self, parties):
        thread = thread_for_placement(placement=parties.placement)
        post(thread, parties.host_officer, "Welcome")
        post(thread, parties.host_officer, "Your room is ready")
        assert unread_total(user=parties.volunteer) == 2
        assert unread_total(user=parties.host_officer) == 0  # one's own messages are read
        assert thread_list(user=parties.volunteer).get().unread == 2
        thread_mark_read(thread=thread, user=parties.volunteer)
        assert unread_total(user=parties.volunteer) == 0
        post(thread, parties.volunteer, "Thanks")
        assert unread_total(user=parties.host_officer) == 1
        assert unread_total(user=parties.host_viewer) == 3  # viewers read, so they count too

    def test_staff_count_only_the_threads_they_follow(self, parties):
        staff = StaffFactory()
        thread = thread_for_placement(placement=parties.placement)
        post(thread, parties.volunteer)
        assert unread_total(user=staff) == 0
        post(thread, staff, "Platform support here")
        post(thread, parties.volunteer, "Thank you")
        assert unread_total(user=staff) == 1


@pytest.fixture
def post_and_commit(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Post, then run what waits for the commit (the e-mails), as a real request would."""
    def run(thread, author, text="Hello"):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return post(thread, author, text)
    return run


class TestBatchedEmails:
    def test_at_most_one_email_per_thread_and_person_per_15_minutes(self, parties, _frozen_clock,
                                                                    mailoutbox, post_and_commit):
        thread = thread_for_placement(placement=parties.placement)
        volunteer_address = parties.volunteer.email

        def to_volunteer() -> list:
            return [m for m in mailoutbox if m.to == [volunteer_address]]

        post_and_commit(thread, parties.host_officer, "First")
        assert len(to_volunteer()) == 1  # nobody e-mailed recently: at once
        assert "First" in to_volunteer()[0].body
        assert f"/conversations/{thread.pk}/" in to_volunteer()[0].body

        _frozen_clock.shift(timedelta(minutes=5))
        post_and_commit(thread, parties.host_officer, "Second")
        _frozen_clock.shift(timedelta(minutes=5))
        post_and_commit(thread, parties.host_officer, "Third")
        assert len(to_volunteer()) == 1  # held back
        assert conversation_digests_send(now=timezone.now()) == 0  # not due yet (10 minutes)

        _frozen_clock.shift(timedelta(minutes=5, seconds=1))
        assert conversation_digests_send(now=timezone.now()) == 2  # the volunteer, the sender
        [_first, digest] = to_volunteer()
        assert "Second" in digest.body and "Third" in digest.body and "First" not in digest.body
        assert conversation_digests_send(now=timezone.now()) == 0  # sent once

        _frozen_clock.shift(timedelta(minutes=20))
        post_and_commit(thread, parties.host_officer, "Fourth")
        assert len(to_volunteer()) == 3  # the interval passed: at once again

    def test_a_message_read_before_the_batch_leaves_is_not_emailed(self, parties, _frozen_clock,
                                                                   mailoutbox, post_and_commit):
        thread = thread_for_placement(placement=parties.placement)
        post_and_commit(thread, parties.host_officer, "First")
        _frozen_clock.shift(timedelta(minutes=1))
        post_and_commit(thread, parties.host_officer, "Second")
        thread_mark_read(thread=thread, user=parties.volunteer)
        _frozen_clock.shift(timedelta(minutes=15))
        mail.outbox.clear()
        conversation_digests_send(now=timezone.now())
        assert not [m for m in mailoutbox if m.to == [parties.volunteer.email]]

    def test_who_is_emailed(self, parties, mailoutbox, post_and_commit):
        thread = thread_for_placement(placement=parties.placement)
        post_and_commit(thread, parties.volunteer, "Hello")
        told = {tuple(m.to) for m in mailoutbox}
        # The host's and the sender's officers; not the author, not a viewer nor an outsider.
        assert told == {(parties.host_officer.email,), (parties.sender_officer.email,)}
        assert ThreadRead.objects.get(thread=thread, user=parties.host_officer).last_notified_at


class TestEvents:
    def test_status_changes_appear_in_the_placement_thread(self, parties):
        from reciprocity.placements.models import PlacementStatusChange

        PlacementStatusChange.objects.create(placement=parties.placement, from_status="proposed",
                                             to_status="confirmed")
        PlacementStatusChange.objects.create(placement=parties.placement, from_status="confirmed",
                                             to_status="cancelled", reason="Visa refused")
        thread = thread_for_placement(placement=parties.placement)
        events = list(thread.messages.order_by("pk").values_list("kind", "event", "detail"))
        assert events == [(MessageKind.EVENT, EventCode.CONFIRMED, ""),
                          (MessageKind.EVENT, EventCode.CANCELLED, "Visa refused")]
        assert unread_total(user=parties.volunteer) == 0  # events are shown, not counted

    def test_acceptance_and_withdrawal_appear_in_the_application_thread(self, two_hosts):
        from reciprocity.applications.models import ApplicationStatusChange

        application = two_hosts["application"]
        choice = application.choices.get(rank=1)
        ApplicationStatusChange.objects.create(application=application, choice=choice,
                                               from_status="pending", to_status="accepted")
        thread = thread_for_application(application=application, host_id=two_hosts["host_a"].pk)
        assert thread.messages.get().event == EventCode.ACCEPTED
        ApplicationStatusChange.objects.create(application=application, from_status="accepted",
                                               to_status="withdrawn")
        assert list(thread.messages.values_list("event", flat=True).order_by("pk")) == [
            EventCode.ACCEPTED, EventCode.WITHDRAWN]

    def test_an_overdue_step_is_an_event_once(self, parties):
        import datetime

        from reciprocity.procedures.services import procedure_open_for_placement

        procedure = procedure_open_for_placement(placement=parties.placement,
                                                 today=datetime.date(2026, 11, 26), now=timezone.now())
        assert procedure is not None
        step = procedure.steps.order_by("position").first()
        step.due_by = datetime.date(2026, 11, 20)
        step.save(update_fields=["due_by"])
        today = datetime.date(2026, 11, 26)
        assert overdue_step_events(today=today) >= 1
        assert overdue_step_events(today=today) == 0
        thread = thread_for_placement(placement=parties.placement)
        assert thread.messages.filter(event=EventCode.STEP_OVERDUE,
                                      event_key=f"step:{step.pk}:2026-11-20").exists()


class TestPersonalData:
    def test_export_and_erasure(self, parties, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        thread = thread_for_placement(placement=parties.placement)
        message = post(thread, parties.volunteer, "I am diabetic",
                       files=[SimpleUploadedFile("note.pdf", PDF)])
        [exported] = conversations_export_for_volunteer(volunteer_id=parties.placement.volunteer_id)
        assert exported["messages"][0]["text"] == "I am diabetic"
        assert exported["messages"][0]["files"] == ["note.pdf"]
        stored = message.attachments.get().file.path

        assert conversations_erase_for_volunteer(volunteer_id=parties.placement.volunteer_id,
                                                 now=timezone.now()) == 1
        message.refresh_from_db()
        assert message.text == "" and message.erased_at is not None
        assert not message.attachments.exists()
        import os

        assert not os.path.exists(stored)

    def test_anonymising_the_volunteer_erases_the_messages(self, parties):
        from reciprocity.volunteers.models import Volunteer

        thread = thread_for_placement(placement=parties.placement)
        message = post(thread, parties.volunteer, "Private")
        volunteer = Volunteer.objects.get(pk=parties.placement.volunteer_id)
        volunteer.anonymised_at = timezone.now()
        volunteer.save(update_fields=["anonymised_at"])
        message.refresh_from_db()
        assert message.text == ""

    def test_the_personal_data_export_signal_answers(self, parties):
        from reciprocity.volunteers.signals import personal_data_export

        post(thread_for_placement(placement=parties.placement), parties.volunteer, "Hi")
        answers = personal_data_export.send(sender=None, volunteer=parties.placement.volunteer,
                                            clear_number=False)
        sections = [r for _rx, r in answers if isinstance(r, dict) and "conversations" in r]
        assert sections[0]["conversations"][0]["messages"][0]["text"] == "Hi"
