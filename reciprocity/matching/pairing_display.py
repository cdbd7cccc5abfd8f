"""How a dissolved binôme reads to people: the sentence on a placement's page and the words of
the pairing run's export. Whole sentences per case, so that translators never assemble them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reciprocity.core.l10n import format_day
from reciprocity.matching.models import DissolutionCause, PairDissolution
from reciprocity.matching.pairing_selectors import FormerPartner


def _automatic_sentence(*, cause: str, ended_here: bool, who: str | None) -> str:
    """Dissolved because a placement of the pair ended; `who` made that move (None: the system,
    an expired offer for example, or withheld)."""
    cancelled = cause == DissolutionCause.PLACEMENT_CANCELLED
    if ended_here:
        if who is None:
            return (_("Dissolved automatically on %(day)s: this placement was cancelled") if cancelled
                    else _("Dissolved automatically on %(day)s: this placement was interrupted"))
        return (_("Dissolved automatically on %(day)s: %(who)s cancelled this placement") if cancelled
                else _("Dissolved automatically on %(day)s: %(who)s interrupted this placement"))
    if who is None:
        return (_("Dissolved automatically on %(day)s: the partner's placement was cancelled")
                if cancelled
                else _("Dissolved automatically on %(day)s: the partner's placement was interrupted"))
    return (_("Dissolved automatically on %(day)s: %(who)s cancelled the partner's placement")
            if cancelled
            else _("Dissolved automatically on %(day)s: %(who)s interrupted the partner's placement"))


def former_partner_sentence(former: FormerPartner) -> str:
    """When and by whom the pair was dissolved, and why when `former.details_shown`. A
    coordinator's name is always said, as on the placement's history; who ended the partner's
    placement, and the reason, only to who may see that placement."""
    d = former.dissolution
    day = format_day(d.occurred_at)
    if d.cause == DissolutionCause.COORDINATOR:
        if d.actor is None:  # the coordinator's account was removed since (SET_NULL)
            sentence = _("Dissolved on %(day)s by a coordinator") % {"day": day}
        else:
            sentence = _("Dissolved on %(day)s by %(who)s") % {"day": day, "who": str(d.actor)}
    else:
        who = str(d.actor) if d.actor is not None and former.details_shown else None
        template = _automatic_sentence(cause=d.cause, ended_here=former.ended_here, who=who)
        sentence = template % {"day": day, "who": who}
    reason = d.reason.strip() if former.details_shown else ""
    if reason:
        sentence = f"{sentence} — {reason}"
    # The reason is people's text: it may end a sentence itself.
    return sentence if sentence.endswith((".", "!", "?", "…")) else f"{sentence}."


def dissolved_by(dissolution: PairDissolution) -> str:
    """The export's "Dissolved by" cell: the person, or how the system did it."""
    if dissolution.actor is not None:
        return str(dissolution.actor)
    if dissolution.cause == DissolutionCause.COORDINATOR:
        return _("a coordinator")
    return _("automatically")
