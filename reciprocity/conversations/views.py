"""Conversation pages: the list of a person's threads, one thread with its reply form, the
entry pages of a placement's and an application's thread, and attachment downloads.

A thread is written to the database with its first message (or event): opening the page of a
placement nobody wrote about yet shows an empty thread and creates nothing."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.applications.selectors import applications_visible_to
from reciprocity.conversations import permissions, selectors, services
from reciprocity.conversations.forms import MessageForm
from reciprocity.conversations.models import Thread
from reciprocity.conversations.selectors import (
    application_host_ids,
    attachment_get_visible,
    thread_get_visible,
    thread_list,
    thread_messages,
)
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.partners.models import Organisation
from reciprocity.placements.selectors import placements_visible_to
from reciprocity.volunteers.services import personal_data_access_record


@login_required
def thread_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, thread_list(user=request.user, unread_only=unread_only))
    return render(request, "conversations/thread_list.html",
                  {"page": page, "unread_only": unread_only})


def _show(request: AuthenticatedHttpRequest, thread: Thread, form: MessageForm | None = None,
          ) -> HttpResponse:
    if thread.pk is not None:
        services.thread_mark_read(thread=thread, user=request.user)
        items = list(thread_messages(thread=thread))
    else:
        items = []
    return render(request, "conversations/thread_detail.html", {
        "thread": thread,
        "items": items,
        "may_write": permissions.can_write(request.user, thread),
        "form": form or MessageForm(),
    })


def _post(request: AuthenticatedHttpRequest, thread: Thread) -> HttpResponse:
    """Post the form's message in `thread` (created first if it is new); back to the thread."""
    form = MessageForm(request.POST, request.FILES)
    if not permissions.can_read(request.user, thread):
        raise Http404
    if not permissions.can_write(request.user, thread):
        raise PermissionDenied  # a viewer: reads the thread, writes nothing
    if not form.is_valid():
        return _show(request, thread, form)
    try:
        if thread.pk is None:
            thread = (services.thread_for_placement(placement=thread.placement)
                      if thread.placement is not None else services.thread_for_application(
                          application=thread.application, host_id=thread.host_id))
        services.message_post(thread=thread, author=request.user,
                              text=form.cleaned_data["text"], files=form.cleaned_data["attachments"],
                              now=timezone.now())
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _show(request, thread, form)
    return redirect("conversations:thread", thread.pk)


@login_required
def thread_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thread = thread_get_visible(user=request.user, thread_id=pk)
    if thread is None:
        raise Http404
    if request.method == "POST":
        return _post(request, thread)
    return _show(request, thread)


@login_required
def placement_thread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(
        placements_visible_to(request.user).select_related("mission__host", "volunteer"), pk=pk)
    thread = selectors.placement_thread(placement=placement) or Thread(placement=placement)
    if not permissions.can_read(request.user, thread):
        raise Http404
    if request.method == "POST":
        return _post(request, thread)
    if thread.pk is not None:
        return redirect("conversations:thread", thread.pk)
    return _show(request, thread)


@login_required
def application_thread(request: AuthenticatedHttpRequest, pk: int, host_id: int) -> HttpResponse:
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("volunteer"), pk=pk)
    if host_id not in application_host_ids(application=application):
        raise Http404
    thread = selectors.application_thread(application=application, host_id=host_id) or Thread(
        application=application, host=get_object_or_404(Organisation, pk=host_id))
    # A host reaches only its own thread; the applicant's side reaches each host's.
    if not permissions.can_read(request.user, thread):
        raise Http404
    if request.method == "POST":
        return _post(request, thread)
    if thread.pk is not None:
        return redirect("conversations:thread", thread.pk)
    return _show(request, thread)


@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """Served only to the thread's parties (never from a public URL); logged as an access to
    the volunteer's personal data."""
    attachment = attachment_get_visible(user=request.user, attachment_id=pk)
    if attachment is None:
        raise Http404
    thread = attachment.message.thread
    subject = thread.placement if thread.placement_id else thread.application
    assert subject is not None
    personal_data_access_record(volunteer=subject.volunteer, actor=request.user,
                                action="document_download", channel="page",
                                detail=f"conversation attachment {attachment.pk}")
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)
