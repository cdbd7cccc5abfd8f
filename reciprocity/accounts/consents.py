"""The processing purposes a person is asked to consent to, with the version of the text they
read. A new wording is a new version (the old one stays here, so that every recorded consent
still says what was agreed to); a purpose marked `required` must be accepted to sign up.
docs/accounts.md explains how to add a version."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PurposeText:
    purpose: str
    version: str
    title: str | Promise
    text: str | Promise
    required: bool


TEXTS: list[PurposeText] = [
    PurposeText(
        purpose="applications",
        version="2026-11",
        title=_("Handling my applications"),
        text=_("Reciprocity and the organisations I apply to (and my sending organisation) use "
               "my profile, my applications and the documents I give to examine my "
               "applications, place me and prepare my stay (visa, insurance, contract)."),
        required=True,
    ),
    PurposeText(
        purpose="statistics",
        version="2026-11",
        title=_("Anonymous statistics"),
        text=_("My data may be counted, without my name, in the reciprocity balance and the "
               "reports of the network."),
        required=False,
    ),
    PurposeText(
        purpose="news",
        version="2026-11",
        title=_("News of new missions"),
        text=_("I agree to receive e-mails about new missions that may interest me."),
        required=False,
    ),
]


def current_texts() -> list[PurposeText]:
    """The latest version of each purpose, in the order above."""
    latest: dict[str, PurposeText] = {}
    for text in TEXTS:
        if text.purpose not in latest or text.version > latest[text.purpose].version:
            latest[text.purpose] = text
    return list(latest.values())


def text_of(purpose: str, version: str) -> PurposeText | None:
    return next((t for t in TEXTS if t.purpose == purpose and t.version == version), None)
