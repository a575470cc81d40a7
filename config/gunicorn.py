"""Gunicorn settings for the web process: ``gunicorn -c config/gunicorn.py``.

Read from the environment like the Django settings (README "Production settings"). Gunicorn also
reads GUNICORN_CMD_ARGS, whose flags override these.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from exc


wsgi_app = "config.wsgi:application"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").split(",")
# Gunicorn's rule of thumb for synchronous workers; WEB_CONCURRENCY is the usual name for it.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
# A page is done in well under a second; an import is checked before its body is read, and a large one
# is validated and applied by a worker, so a request that runs this long is stuck.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker now and then, so that a slow leak never grows into an outage.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Logs to stdout and stderr, where the container runtime collects them; %(M)s is the time in ms.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# The heartbeat file lives in memory where there is such a place: a container's /tmp may be a slow disk.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# Addresses whose X-Forwarded-* headers gunicorn believes (Django's TRUSTED_PROXY_COUNT decides for
# the app itself); and TLS in gunicorn itself, for a deployment without a proxy in front.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
certfile = os.environ.get("GUNICORN_CERTFILE") or None
keyfile = os.environ.get("GUNICORN_KEYFILE") or None

# No "Server: gunicorn" header: it tells a prober which server and so which flaws to try, and tells
# users nothing. Gunicorn has no setting for it; its response writes the line from default_headers.
from gunicorn.http import wsgi as _gunicorn_wsgi  # noqa: E402 - after the settings it does not touch

# A reload (SIGHUP) reads this file again: wrap gunicorn's own method, never our wrapper.
_default_headers = getattr(
    _gunicorn_wsgi.Response, "_headers_with_server", _gunicorn_wsgi.Response.default_headers
)


def _default_headers_without_server(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


_gunicorn_wsgi.Response._headers_with_server = _default_headers
_gunicorn_wsgi.Response.default_headers = _default_headers_without_server
