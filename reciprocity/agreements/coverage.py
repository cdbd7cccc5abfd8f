"""Which agreement covers a placement: the rule, written once.

An agreement covers a placement when, on the placement's start day,
- the agreement is active, the day falls within its dates and the scheme is one of its schemes;
- the sending side is one party, or affiliated to it (a valid `partners.Affiliation`: member of
  its network, hosted under its accreditation), and the host side is the other party or
  affiliated to it. Either party may be the sending one.

Affiliation counts one level (member → parent), not chains: a network member's own members are
not the network's. When the mission names its agreement, that agreement is the placement's and
nothing else is looked at (the host chose). Otherwise exactly one covering agreement attaches;
none leaves the placement without agreement; two or more are ambiguous and refused with every
candidate named, because picking one would count the placement against a quota nobody chose.

`decide` is pure (plain data in, plain data out) so the rule is tested table-driven without a
database; `CoverageIndex` loads the candidates once (one placement, a migration, the demo, an
import) and `agreement_covering` is what services call.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from reciprocity.agreements.models import Agreement, AgreementStatus
from reciprocity.core.exceptions import ApplicationError
from reciprocity.partners.models import Affiliation

# --- the rule over plain data -------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What the rule reads of an agreement."""

    id: int
    reference: str
    title: str
    party_a: int
    party_b: int
    schemes: frozenset[str]
    start: date
    end: date
    active: bool = True


@dataclass(frozen=True)
class Link:
    """`member` belongs to `parent` from `valid_from` to `valid_to` (inclusive; None: open)."""

    member: int
    parent: int
    valid_from: date
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Decision:
    """`agreement`: the covering agreement's id (None: no agreement). `candidates`: every
    agreement that covers, by id; more than one without a named agreement is `ambiguous`."""

    agreement: int | None
    candidates: tuple[int, ...] = ()
    named: bool = False

    @property
    def ambiguous(self) -> bool:
        return not self.named and len(self.candidates) > 1


def side(organisation: int, links: Iterable[Link], on: date) -> frozenset[int]:
    """The organisation and every organisation it is affiliated to on `on`."""
    return frozenset({organisation} | {
        link.parent for link in links if link.member == organisation and link.valid_on(on)
    })


def covers(terms: Terms, *, sender: frozenset[int], host: frozenset[int], scheme: str,
           on: date) -> bool:
    if not terms.active or not (terms.start <= on <= terms.end) or scheme not in terms.schemes:
        return False
    a, b = terms.party_a, terms.party_b
    return (a in sender and b in host) or (b in sender and a in host)


def decide(*, sender: int | None, host: int, scheme: str, on: date, agreements: Iterable[Terms],
           links: Iterable[Link], named: int | None = None) -> Decision:
    """The agreement of a placement sent by `sender`, hosted by `host` in `scheme` from `on`."""
    if named is not None:
        return Decision(agreement=named, candidates=(named,), named=True)
    if sender is None:
        return Decision(agreement=None)
    links = list(links)
    sender_side, host_side = side(sender, links, on), side(host, links, on)
    found = tuple(sorted(
        t.id for t in agreements
        if covers(t, sender=sender_side, host=host_side, scheme=scheme, on=on)
    ))
    if len(found) == 1:
        return Decision(agreement=found[0], candidates=found)
    return Decision(agreement=None, candidates=found)


# --- loading the candidates ---------------------------------------------------------------------


@dataclass
class CoverageIndex:
    """Active agreements and affiliations, read once, for deciding many placements."""

    agreements: list[Terms] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @classmethod
    def load(cls, *, organisations: Iterable[int] | None = None) -> "CoverageIndex":
        """Everything, or only what can cover placements between `organisations` (the
        agreements whose parties are among them or their parents)."""
        links_qs = Affiliation.objects.all()
        if organisations is not None:
            links_qs = links_qs.filter(member_id__in=list(organisations))
        links = [Link(a.member_id, a.parent_id, a.valid_from, a.valid_to)
                 for a in links_qs.order_by("pk")]
        agreements_qs = Agreement.objects.filter(status=AgreementStatus.ACTIVE)
        if organisations is not None:
            parties = set(organisations) | {link.parent for link in links}
            agreements_qs = agreements_qs.filter(
                Q(party_a_id__in=parties) & Q(party_b_id__in=parties))
        terms = [
            Terms(a.pk, a.reference, a.title, a.party_a_id, a.party_b_id,
                  frozenset(s.pk for s in a.schemes.all()), a.start_date, a.end_date,
                  active=a.status == AgreementStatus.ACTIVE)
            for a in agreements_qs.prefetch_related("schemes").order_by("pk")
        ]
        return cls(terms, links)

    def decide(self, *, sender: int | None, host: int, scheme: str, on: date,
               named: int | None = None) -> Decision:
        return decide(sender=sender, host=host, scheme=scheme, on=on, agreements=self.agreements,
                      links=self.links, named=named)

    def titles(self, ids: Iterable[int]) -> list[str]:
        by_id = {t.id: t for t in self.agreements}
        return [f"{by_id[i].title} ({by_id[i].reference})" for i in ids if i in by_id]


def ambiguity_error(decision: Decision, titles: list[str]) -> ApplicationError:
    return ApplicationError(
        _("Several agreements cover this placement: %(agreements)s. The mission must name its "
          "agreement.") % {"agreements": ", ".join(titles)},
        code="agreement_ambiguous", details={"agreements": list(decision.candidates)},
    )


def agreement_covering(*, mission_agreement_id: int | None, sending_organisation_id: int | None,
                       host_id: int, scheme_id: str, on: date) -> Agreement | None:
    """The agreement of a new placement, or None; `agreement_ambiguous` when two cover it."""
    if mission_agreement_id is not None:
        return Agreement.objects.get(pk=mission_agreement_id)
    if sending_organisation_id is None:
        return None
    index = CoverageIndex.load(organisations=[sending_organisation_id, host_id])
    decision = index.decide(sender=sending_organisation_id, host=host_id, scheme=scheme_id, on=on)
    if decision.ambiguous:
        raise ambiguity_error(decision, index.titles(decision.candidates))
    return Agreement.objects.get(pk=decision.agreement) if decision.agreement else None
