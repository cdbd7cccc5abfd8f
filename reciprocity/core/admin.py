"""What the admin site may not do: move a record along its lifecycle.

A placement, an application and its choices, a procedure step, a mission and a placement run
each have a state machine whose moves are services: they check the move is allowed, write a
history row, and (placements) write the ledger. An admin form that edits `status` directly skips
all three, so those fields, and the fields the moves set (dates ended, decisions, the ledger's
snapshots), are read-only in every ModelAdmin and inline. Creating or deleting such a record is
refused where creation or removal is itself a move (a placement is proposed, an application is
submitted, a run is queued; they are cancelled or withdrawn, never deleted).
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

if TYPE_CHECKING:
    # A mixin in front of ModelAdmin or TabularInline: its super() is theirs at run time; mypy
    # checks its methods against their common base.
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


class LifecycleReadOnlyMixin(_AdminBase):
    """`lifecycle_fields`: read-only on the add and change forms, whatever `readonly_fields`
    says. `allow_add` / `allow_delete`: False where creating or deleting is a move."""

    lifecycle_fields: tuple[str, ...] = ()
    allow_add = True
    allow_delete = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [f for f in self.lifecycle_fields if f not in fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.allow_add and super().has_add_permission(request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allow_delete and super().has_delete_permission(request, obj)


class LifecycleModelAdmin(LifecycleReadOnlyMixin, admin.ModelAdmin):
    pass


class LifecycleTabularInline(LifecycleReadOnlyMixin, admin.TabularInline):
    pass


class ReadOnlyTabularInline(admin.TabularInline):
    """History rows: shown, never added, changed or deleted by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
