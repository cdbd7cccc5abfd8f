"""Alerts to the parties of an agreement that has left its tolerance.

The notifications app belongs to the workflow; this module mails the members of both parties
directly (django.core.mail, after commit) and keeps a `BalanceAlert` row per finding so that a
daily run does not repeat itself.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from reciprocity.accounts.models import Membership
from reciprocity.balance.models import BalanceAlert
from reciprocity.balance.selectors import AgreementBalance, agreements_out_of_tolerance


@dataclass(frozen=True)
class AlertOutcome:
    balance: AgreementBalance
    recipients: list[str]
    new: bool


def _recipients(balance: AgreementBalance) -> dict[str, list[str]]:
    """The members' addresses by their preferred language (the site's when not chosen): each
    language gets its own e-mail (docs/accounts.md, "Language")."""
    agreement = balance.agreement
    rows = Membership.objects.filter(
        organisation_id__in=[agreement.party_a_id, agreement.party_b_id], user__is_active=True,
    ).exclude(user__email="").values_list("user__email", "user__preferred_language")
    by_language: dict[str, set[str]] = {}
    for email, language in rows:
        by_language.setdefault(language or settings.LANGUAGE_CODE, set()).add(email)
    return {language: sorted(emails) for language, emails in sorted(by_language.items())}


def _message(balance: AgreementBalance) -> tuple[str, str]:
    agreement, year = balance.agreement, balance.planned
    assert year is not None
    subject = _("Reciprocity balance outside tolerance: %(title)s") % {"title": agreement.title}
    ahead = agreement.party_a if year.position > 0 else agreement.party_b
    body = _(
        "In %(year)s, the agreement “%(title)s” stands at %(position)s (%(unit)s) against a "
        "tolerance of %(tolerance)s, past years carried over.\n"
        "%(a)s → %(b)s: %(a_to_b)s planned this year (quota %(quota_ab)s); "
        "%(b)s → %(a)s: %(b_to_a)s (quota %(quota_ba)s).\n"
        "%(ahead)s has hosted more than it sent: the next placements should go the other way."
    ) % {
        "year": year.year, "title": agreement.title, "position": year.position,
        "unit": agreement.get_unit_display(), "tolerance": year.tolerance,
        "a": agreement.party_a, "b": agreement.party_b, "a_to_b": year.a_to_b,
        "b_to_a": year.b_to_a, "quota_ab": year.quota_a_to_b, "quota_ba": year.quota_b_to_a,
        "ahead": agreement.party_b if ahead == agreement.party_a else agreement.party_a,
    }
    return subject, body


@transaction.atomic
def balance_alerts_send(*, year: int, notify: bool = True) -> list[AlertOutcome]:
    """Find the agreements outside tolerance for `year`; mail the new findings (after commit)."""
    outcomes = []
    for balance in agreements_out_of_tolerance(year=year):
        assert balance.planned is not None
        by_language = _recipients(balance)
        recipients = sorted({email for emails in by_language.values() for email in emails})
        position = balance.planned.position.quantize(Decimal("0.01"))
        exists = BalanceAlert.objects.filter(
            agreement=balance.agreement, year=year, position=position).exists()
        if notify and not exists:
            BalanceAlert.objects.create(
                agreement=balance.agreement, year=year, position=position,
                tolerance=balance.planned.tolerance, recipients=recipients)
            for language, emails in by_language.items():
                with translation.override(language):
                    subject, body = _message(balance)
                transaction.on_commit(partial(
                    send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, emails,
                    fail_silently=False))
        outcomes.append(AlertOutcome(balance, recipients, not exists))
    return outcomes
