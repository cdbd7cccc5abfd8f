from typing import Any

from django.apps import AppConfig


class MenuConfig(AppConfig):
    name = "reciprocity.menu"
    label = "menu"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from reciprocity.accounts.models import Membership, User
        from reciprocity.conversations.models import Message, ThreadRead
        from reciprocity.conversations.signals import thread_read
        from reciprocity.partners.models import Organisation
        from reciprocity.volunteers.models import Volunteer

        # The menu's cached summaries (menu/caching.py) follow every write of the rows they are
        # read from, whoever writes them (services, admin, imports, the demo).
        for model, receiver in [(User, _user), (Membership, _owned_by_user),
                                (Volunteer, _owned_by_user), (ThreadRead, _owned_by_user),
                                (Organisation, _everyone), (Message, _message)]:
            uid = f"menu-cache-{model._meta.label_lower}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
        # Read markers move with a queryset update (no post_save): conversations says so.
        thread_read.connect(_read, dispatch_uid="menu-cache-thread-read")


def _user(sender: Any, instance: Any, **kwargs: Any) -> None:
    from reciprocity.menu.caching import user_changed

    user_changed(instance.pk)


def _owned_by_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    from reciprocity.menu.caching import user_changed

    user_changed(instance.user_id)


def _read(sender: Any, user_id: int, **kwargs: Any) -> None:
    from reciprocity.menu.caching import user_changed

    user_changed(user_id)


def _everyone(sender: Any, instance: Any, **kwargs: Any) -> None:
    from reciprocity.menu.caching import everyone_changed

    everyone_changed()


def _message(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Events (status changes shown in a thread) are not counted as unread: no menu changes.
    # A message changes the menus of the thread's readers only (menu/caching.py).
    from reciprocity.conversations.models import MessageKind
    from reciprocity.menu.caching import thread_changed

    if instance.kind == MessageKind.MESSAGE:
        thread_changed(instance.thread_id)
