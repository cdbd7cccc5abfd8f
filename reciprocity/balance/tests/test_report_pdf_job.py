"""The annual report's PDF made as a task when a worker is there: progress page, then the file,
for the reader who asked only. (Celery runs the task in the process here: no Redis.)"""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.balance import reports
from reciprocity.balance.services import ledger_backfill
from reciprocity.balance.tests.helpers import make_placement

pytestmark = pytest.mark.django_db

PARAMS = {"year": 2019, "host_country": "FR", "scheme": "", "basis": "start", "format": "pdf"}


@pytest.fixture
def member(settings):  # type: ignore[no-untyped-def]
    settings.REPORT_PDF_IN_BACKGROUND = True
    cache.clear()
    agreement = AgreementFactory(start_date=date(2019, 1, 1))
    make_placement(origin="SN", host="FR", start=date(2019, 3, 1), end=date(2019, 8, 31),
                   agreement=agreement, host_org=agreement.party_a)
    ledger_backfill()
    return MembershipFactory(organisation=agreement.party_a).user


def test_the_pdf_is_made_by_the_task_and_served_to_its_reader(client, member,
                                                              django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("balance:annual"), PARAMS)
    assert asked.status_code == 302
    job_page = asked["Location"]
    token = job_page.rstrip("/").rsplit("/", 1)[1]
    assert reports.job_get(token)["status"] == "done"
    page = client.get(job_page)
    assert "annual-report-FR-2019.pdf" in page.content.decode()
    pdf = client.get(job_page, {"download": 1})
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Another reader, even of the same organisation, does not get it.
    client.force_login(UserFactory())
    assert client.get(job_page, {"download": 1}).status_code == 404
    assert client.get(reverse("balance:annual_pdf", args=["no-such-token"])).status_code == 404


def test_a_queued_job_shows_its_progress_and_refreshes(client, member):
    client.force_login(member)
    # Outside a captured commit the task has not run yet: the job is queued.
    asked = client.get(reverse("balance:annual"), PARAMS)
    page = client.get(asked["Location"])
    assert 'http-equiv="refresh"' in page.content.decode()
    assert "<progress" in page.content.decode()


def test_a_job_run_twice_is_left_as_it_is(client, member, django_capture_on_commit_callbacks):
    from reciprocity.balance.tasks import annual_pdf_render

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("balance:annual"), PARAMS)
    token = asked["Location"].rstrip("/").rsplit("/", 1)[1]
    path = reports.job_get(token)["path"]
    assert annual_pdf_render(token) == "done"
    assert reports.job_get(token)["path"] == path
    assert annual_pdf_render("expired-token") == "missing"


def test_without_a_worker_the_pdf_comes_in_the_response(client, member, settings):
    settings.REPORT_PDF_IN_BACKGROUND = None  # the default: tasks run eagerly here, no worker
    client.force_login(member)
    response = client.get(reverse("balance:annual"), PARAMS)
    assert response["Content-Type"] == "application/pdf"
