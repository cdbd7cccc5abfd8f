"""The quota of an agreement for a year: written once, read by every rule that needs it.

An agreement's own `quota_a_to_b`/`quota_b_to_a` hold for every year of its period, unless an
`AgreementYearQuota` row gives other quotas for one year (a negotiated change, or a quota
scenario applied: docs/scenarios.md). The balance (`balance.selectors`), the confirmation's
quota check (`placements.services`) and the placement runs (`matching.building`) read it here.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from reciprocity.agreements.models import Agreement, AgreementYearQuota


@dataclass(frozen=True)
class YearQuota:
    a_to_b: int
    b_to_a: int
    # True when a yearly row replaces the agreement's own quotas for that year.
    overridden: bool = False

    def for_direction(self, direction: str) -> int:
        return self.a_to_b if direction == "a_to_b" else self.b_to_a


def year_overrides(agreement_ids: Iterable[int], *, years: Iterable[int] | None = None
                   ) -> dict[int, dict[int, YearQuota]]:
    """agreement id → year → the yearly row's quotas, in one query."""
    rows = AgreementYearQuota.objects.filter(agreement_id__in=list(agreement_ids))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    out: dict[int, dict[int, YearQuota]] = {}
    for agreement_id, year, a_to_b, b_to_a in rows.values_list(
            "agreement_id", "year", "quota_a_to_b", "quota_b_to_a").order_by():
        out.setdefault(agreement_id, {})[year] = YearQuota(a_to_b, b_to_a, overridden=True)
    return out


def quota_of(agreement: Agreement, year: int, overrides: dict[int, YearQuota] | None = None
             ) -> YearQuota:
    """The agreement's quotas for `year`: its yearly row when there is one (from `overrides`,
    already loaded, or read now), else its own."""
    if overrides is None:
        overrides = year_overrides([agreement.pk], years=[year]).get(agreement.pk, {})
    return overrides.get(year) or YearQuota(agreement.quota_a_to_b, agreement.quota_b_to_a)


def quotas_for(agreements: Iterable[Agreement], *, year: int) -> dict[int, YearQuota]:
    """Agreement id → its quotas for `year`, for many agreements in one query."""
    agreements = list(agreements)
    overrides = year_overrides([a.pk for a in agreements], years=[year])
    return {a.pk: quota_of(a, year, overrides.get(a.pk, {})) for a in agreements}
