"""Who may import what (docs/import-format.md, "Who may import"):

- missions: platform staff and coordinators (administrators or officers of a coordinator
  organisation) for any host; a host organisation's administrators and officers for their own;
- volunteers: platform staff for anyone; administrators and officers of a sending organisation
  or a national agency for their own volunteers;
- placements (past exchanges, which create organisations and feed the ledger): staff and
  coordinators, as only an operator could before (the command line).

Each row is then checked against the organisation it names (`Permit`)."""

from dataclasses import dataclass, field

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import AnyUser, is_platform_staff, memberships_of
from reciprocity.matching.permissions import coordinator_organisation_ids
from reciprocity.partners.models import Organisation

KINDS = ("missions", "volunteers", "placements")
WRITE_ROLES = (MembershipRole.ADMIN, MembershipRole.OFFICER)


@dataclass(frozen=True)
class Permit:
    """The organisations a person may import rows for; `everything`: any (staff, the CLI)."""

    everything: bool = False
    organisation_ids: frozenset[int] = field(default_factory=frozenset)

    def __call__(self, organisation: Organisation) -> bool:
        return self.everything or organisation.pk in self.organisation_ids

    @property
    def any(self) -> bool:
        return self.everything or bool(self.organisation_ids)


OPERATOR = Permit(everything=True)


def _writable(user: AnyUser, **organisation: bool) -> frozenset[int]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    filters = {f"organisation__{name}": value for name, value in organisation.items()}
    return frozenset(memberships_of(user).filter(role__in=WRITE_ROLES, **filters)
                     .values_list("organisation_id", flat=True))


def import_permit(user: AnyUser, kind: str) -> Permit:
    if is_platform_staff(user):
        return OPERATOR
    if kind == "missions":
        if coordinator_organisation_ids(user):
            return OPERATOR
        return Permit(organisation_ids=_writable(user, is_host=True))
    if kind == "volunteers":
        return Permit(organisation_ids=_writable(user, is_sending=True)
                      | _writable(user, is_national_agency=True))
    if kind == "placements" and coordinator_organisation_ids(user):
        return OPERATOR
    return Permit()


def may_import(user: AnyUser, kind: str) -> bool:
    return kind in KINDS and import_permit(user, kind).any


def kinds_for(user: AnyUser) -> list[str]:
    return [kind for kind in KINDS if may_import(user, kind)]
