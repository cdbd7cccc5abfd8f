"""Signals conversations sends for the apps above it (they connect; it imports none of them)."""

from django.dispatch import Signal

# Sent with `user_id` after a user's read marker of a thread moved (the marker is moved with a
# queryset update, which sends no post_save): their unread count changed (the menu's cache).
thread_read = Signal()
