"""Recording a visa outcome from the procedure page (the panel: templatetags/visas.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.exceptions import ApplicationError
from reciprocity.procedures import visas
from reciprocity.procedures.forms import VisaOutcomeForm
from reciprocity.procedures.models import VISA_STEP_CODE
from reciprocity.procedures.selectors import steps_visible_to


@login_required
@require_POST
def visa_outcome_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    step = (steps_visible_to(request.user).select_related("procedure")
            .filter(pk=pk, code=VISA_STEP_CODE).first())
    if step is None:
        raise Http404
    grounds = [(g.code, g.label) for g in visas.grounds_offered()]
    form = VisaOutcomeForm(request.POST, grounds=grounds)
    target = reverse("procedures:detail", args=[step.procedure_id]) + "#visa-outcome"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        visas.visa_outcome_record(
            step=step, facts=visas.VisaFacts(**form.cleaned_data), actor=request.user,
            today=timezone.localdate(),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Visa outcome recorded."))
    return redirect(target)
