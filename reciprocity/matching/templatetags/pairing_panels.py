"""Matching's panels on other apps' pages: the placement page names the placement, matching
reads its dissolved binômes.

The placement page (placements, below matching) cannot import matching's selectors without an
arrow up (ADR 0005); its template loads this library instead, as it does procedures'.
"""

from typing import Any

from django import template

from reciprocity.matching.pairing_display import former_partner_sentence
from reciprocity.matching.pairing_selectors import FormerPartner, placement_former_partners

register = template.Library()


@register.simple_tag(takes_context=True)
def former_partners(context: template.Context, placement: Any) -> list[tuple[FormerPartner, str]]:
    """The placement's dissolved binômes the reader sees, each with its sentence, for
    `{% former_partners placement as formers %}` in `placements/_pairing.html`."""
    formers = placement_former_partners(placement=placement, user=context["request"].user)
    return [(former, former_partner_sentence(former)) for former in formers]
