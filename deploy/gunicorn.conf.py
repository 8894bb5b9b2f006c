"""gunicorn settings of the web process (docs/deployment.md): `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be changed by the environment (GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS). The application writes its own access line per request
(LOG_REQUESTS, with the request id), so gunicorn's access log is off; its error log goes to stderr, as JSON
with LOG_FORMAT=json.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# Behind the reverse proxy on the same machine; the proxy terminates TLS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A page renders a PDF at most (about a second); a request longer than this is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM, finish the requests in flight for this long, then stop.
graceful_timeout = 30
# Recycle workers now and then, a safety net against slow memory growth (ADR 0038). Not often: a new worker
# costs about a second of CPU to start and then fills its per-process caches (templates, catalogues,
# the kept page parts, prepared statements on a new connection) on its first requests, taken from the
# workers that are serving; a worker's memory levels off after its first PDFs (measured: 150 MB after one,
# 159 MB after 400). The jitter keeps the workers from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-* only from the proxy on this machine (Django reads X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker: object) -> None:
    """Once the worker has loaded the application: its URLs too (else on its first request), then every
    object made so far is moved out of the garbage collector's reach (``gc.freeze``, after a collection so
    that no garbage is kept). Those objects live as long as the process anyway; a full collection no longer
    walks them: the collector's share of a worker's CPU halves (measured in process: 2.4 % of an API
    validation's Python, 1.3 % frozen; docs/performance.md). Not ``preload_app``: a reload (SIGHUP, after a
    release) would then keep the old code."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and every view
    gc.collect()
    gc.freeze()


if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "careerbreak.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
    }
