"""gunicorn settings: `gunicorn -c deploy/gunicorn.conf.py reciprocity.wsgi` (docs/deploy.md).

Sync workers (the views are synchronous; measured faster than ASGI here), (2 x cores) + 1 of
them unless GUNICORN_WORKERS says otherwise; each worker is replaced after a number of requests
so a slow leak cannot grow for ever.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "0")) or multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Trust X-Forwarded-* from the local proxy only (Caddy/nginx on the same host or network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
