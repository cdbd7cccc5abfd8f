"""The Celery application: `.venv/bin/celery -A reciprocity worker` (and `... beat`).

Configured from the Django settings (every `CELERY_*` name, docs/decisions/0009-celery.md): with
`REDIS_URL` set, tasks go to Redis and a worker runs them; without it (`make run`, the tests),
`task_always_eager` runs every task in the calling process, so nothing needs a service.
Tasks live in each app's `tasks.py` and are found by `autodiscover_tasks`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")

app = Celery("reciprocity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
