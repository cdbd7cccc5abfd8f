"""Staff pages: review and edit rule rows, suspend a scheme, edit procedure rule documents.

Mounted under /procedures/rules/ (see `procedures/urls.py`). Platform staff only: everybody
else gets 403. They sit in procedures, above schemes, because they show and edit procedures'
rule documents beside the scheme rules (ADR 0005, ignore 5 removed); the scheme rules' writes
are schemes' services.
"""

import json
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import ApplicationError
from reciprocity.procedures.models import RuleDocument
from reciprocity.procedures.rulebooks import rule_document_edit
from reciprocity.schemes import services
from reciprocity.schemes.forms import (
    RuleDocumentForm,
    RuleEditForm,
    SuspensionEditForm,
    SuspensionForm,
)
from reciprocity.schemes.models import RuleChange, Scheme, SchemeRule, SchemeSuspension

View = Callable[..., HttpResponse]
CHANGE_LABELS = {
    "corrected": _lazy("corrected"),
    "new_version": _lazy("new version"),
    "created": _lazy("created"),
    "edited": _lazy("edited"),
}


def staff_only(view: View) -> View:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_platform_staff(request.user):
            raise PermissionDenied(_("Only platform staff may see and change the rules."))
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
def rules_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    versions: dict[tuple[str, str], list[SchemeRule]] = defaultdict(list)
    for rule in SchemeRule.objects.order_by("scheme_id", "key", "effective_from", "pk"):
        versions[(rule.scheme_id, rule.key)].append(rule)
    schemes = []
    for scheme in Scheme.objects.order_by("code"):
        keys = []
        for (code, key), rows in versions.items():
            if code != scheme.code:
                continue
            in_force = [r for r in rows if r.effective_from <= today]
            keys.append({"key": key, "rows": rows, "current": in_force[-1] if in_force else None})
        schemes.append({
            "scheme": scheme,
            "keys": keys,
            "suspensions": SchemeSuspension.objects.filter(scheme=scheme).order_by("-start"),
        })
    context = {
        "schemes": schemes,
        "today": today,
        "suspension_form": SuspensionForm(),
        "documents": RuleDocument.objects.select_related("updated_by").order_by("key"),
        "changes": [
            (change, CHANGE_LABELS.get(change.action, change.action))
            for change in RuleChange.objects.select_related("actor").order_by("-occurred_at", "-id")[:20]
        ],
    }
    return render(request, "procedures/rules/index.html", context)


@staff_only
def rule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rule = SchemeRule.objects.select_related("scheme").filter(pk=pk).first()
    if rule is None:
        raise Http404
    initial = {"value": json.dumps(rule.value, ensure_ascii=False), "effective_from": rule.effective_from,
               "source": rule.source, "confidence": rule.confidence, "note": rule.note}
    form = RuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.scheme_rule_edit(rule=rule, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(rule)s saved.") % {"rule": f"{saved.scheme_id}.{saved.key}"})
            return redirect("procedures:rules:index")
    history = SchemeRule.objects.filter(scheme_id=rule.scheme_id, key=rule.key).order_by("effective_from")
    return render(request, "procedures/rules/rule_edit.html",
                  {"rule": rule, "form": form, "history": history})


@staff_only
@require_POST
def suspension_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SuspensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("procedures:rules:index")
    data = form.cleaned_data
    try:
        services.scheme_suspend(scheme_code=data["scheme"], start=data["start"], end=data["end"],
                                reason=data["reason"], source=data["source"], actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The scheme is suspended."))
    return redirect("procedures:rules:index")


@staff_only
def suspension_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    suspension = SchemeSuspension.objects.select_related("scheme").filter(pk=pk).first()
    if suspension is None:
        raise Http404
    form = SuspensionEditForm(request.POST or None,
                              initial={"end": suspension.end, "reason": suspension.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_suspension_edit(suspension=suspension, actor=request.user,
                                            **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Suspension saved."))
            return redirect("procedures:rules:index")
    return render(request, "procedures/rules/suspension_edit.html",
                  {"suspension": suspension, "form": form})


@staff_only
def document_edit(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    document = RuleDocument.objects.filter(key=key).first()
    if document is None:
        raise Http404
    initial = {"content": json.dumps(document.content, ensure_ascii=False, indent=2),
               "source": document.source}
    form = RuleDocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule_document_edit(document=document, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(document)s saved.") % {"document": key})
            return redirect("procedures:rules:index")
    return render(request, "procedures/rules/document_edit.html", {"document": document, "form": form})
