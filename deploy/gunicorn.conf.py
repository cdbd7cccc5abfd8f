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
# A new worker spends about 2.5 s of CPU before it is warm (the application, then the URLconf and
# the rest on its first requests): 20,000 rather than 2,000 took the mission page from 4.4 to
# 2.8-3.7 ms of gunicorn CPU a request, 234-236 -> 257-321 req/s (bench/load/README.md,
# "Per-page capacity"), and still bounds a leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# Trust X-Forwarded-* from the local proxy only (Caddy/nginx on the same host or network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# gunicorn's default line, then the request id (X-Request-ID, core/logs.py) and the duration.
access_log_format = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
                     'request_id=%({x-request-id}o)s ms=%(M)s')
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


# Prometheus metrics with several workers (docs/deploy.md "Metrics"): with PROMETHEUS_MULTIPROC_DIR
# set, each worker writes its counters there and /metrics sums them; the folder is emptied when
# gunicorn starts, and a dead worker's live gauges are dropped.
def on_starting(server):  # type: ignore[no-untyped-def]
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
