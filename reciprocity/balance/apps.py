from django.apps import AppConfig


class BalanceConfig(AppConfig):
    name = "reciprocity.balance"
    label = "balance"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from reciprocity.agreements.models import Agreement
        from reciprocity.placements.models import Placement
        from reciprocity.procedures.models import VisaOutcome
        from reciprocity.schemes.models import Scheme

        # Cache invalidation (balance/caching.py): the annual report reads placements and the
        # agreements table reads agreements, which change without a ledger entry (an edited
        # quota, corrected dates). Ledger writes bump the version themselves. The pages' cached
        # content also holds the visa figures (visa outcomes) and the schemes' names.
        for model in (Placement, Agreement, VisaOutcome, Scheme):
            post_save.connect(_bump, sender=model, dispatch_uid=f"balance-cache-{model.__name__}")
            post_delete.connect(_bump, sender=model,
                                dispatch_uid=f"balance-cache-del-{model.__name__}")


def _bump(**kwargs: object) -> None:
    from reciprocity.balance.caching import bump_on_commit

    bump_on_commit()
