"""Production settings come from the environment, and `check --deploy` is clean with them (SPEC §10)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.ops.production import ROOT, django_json, environment, manage


def warning_ids(output: str) -> set[str]:
    return set(re.findall(r"\((\w+\.[WE]\d+)\)", output))


def test_deploy_check_is_clean_with_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    # Only the HSTS preload check is silenced; README "Production settings" says why.
    assert "System check identified no issues (1 silenced)." in done.stdout


def test_deploy_check_names_what_plain_http_gives_up():
    done = manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="0")
    assert done.returncode != 0
    # No HSTS, no redirect to HTTPS, session and CSRF cookies sent over plain HTTP.
    assert warning_ids(done.stderr + done.stdout) == {
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTPS", "sometimes"),
        ("SESSION_IDLE_MINUTES", "half an hour"),
        ("LOGIN_FAILURES_PER_USERNAME", "0"),
        ("IMPORT_MAX_UPLOAD_MB", "-1"),
        ("IMPORT_MAX_CELLS", "many"),
        ("IMPORT_JOB_TIMEOUT_SECONDS", "5"),
        ("IMPORT_MEMORY_LIMIT_MB", "1.5"),
        ("TRUSTED_PROXY_COUNT", "1.5"),
    ],
)
def test_a_malformed_setting_stops_the_app(variable, value):
    done = manage("check", **{variable: value})
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and variable in done.stderr


def test_without_a_secret_key_the_app_refuses_to_start():
    done = manage("check", SECRET_KEY=None)
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_settings_are_read_from_the_environment():
    settings = django_json(
        """
from django.conf import settings as s
result = {
    "engine": s.DATABASES["default"]["ENGINE"], "host": s.DATABASES["default"]["HOST"],
    "broker": s.CELERY_BROKER_URL, "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "hosts": s.ALLOWED_HOSTS, "debug": s.DEBUG, "proxy_header": s.SECURE_PROXY_SSL_HEADER,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "hsts": s.SECURE_HSTS_SECONDS,
    "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "idle": s.SESSION_COOKIE_AGE, "absolute": s.SESSION_ABSOLUTE_SECONDS,
    "per_username": s.AXES_FAILURE_LIMIT, "per_address": s.LOGIN_FAILURES_PER_ADDRESS,
    "cool_off": s.AXES_COOLOFF_TIME.total_seconds(), "upload": s.IMPORT_MAX_UPLOAD_BYTES,
}
""",
        SESSION_IDLE_MINUTES="20",
        SESSION_ABSOLUTE_HOURS="9",
        LOGIN_FAILURES_PER_USERNAME="4",
        LOGIN_FAILURES_PER_ADDRESS="40",
        LOGIN_COOLOFF_MINUTES="10",
        IMPORT_MAX_UPLOAD_MB="50",
    )
    assert settings == {
        "engine": "django.db.backends.postgresql",
        "host": "db.example.internal",
        "broker": "redis://redis.example.internal:6379/0",
        "eager": False,
        "hosts": ["budget.example.gov.cn"],
        "debug": False,
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "ssl_redirect": True,
        "hsts": 365 * 24 * 60 * 60,
        "secure_cookies": [True, True],
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "idle": 20 * 60,
        "absolute": 9 * 60 * 60,
        "per_username": 4,
        "per_address": 40,
        "cool_off": 10 * 60,
        "upload": 50 * 1024 * 1024,
    }


def test_plain_http_without_a_proxy_trusts_no_forwarded_header():
    settings = django_json(
        """
from django.conf import settings as s
result = [s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS]
""",
        HTTPS="0",
        TRUSTED_PROXY_COUNT="0",
    )
    assert settings == [None, False, False, 0]


def test_static_files_are_served_with_hashed_names_and_cached_for_a_year(collected_static):
    served = django_json(
        """
from django.templatetags.static import static
from django.test import Client
client = Client(HTTP_HOST="budget.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")
result = {}
for name in ("css/app.css", "vendor/plotly.min.js", "admin/css/base.css"):
    url = static(name)
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    result[name] = [url, response.status_code, response.headers.get("Cache-Control"),
                    response.headers.get("Content-Encoding")]
""",
        STATIC_ROOT=str(collected_static),
    )
    forever = "max-age=315360000, public, immutable"
    for name, (url, status, cache_control, encoding) in served.items():
        stem, suffix = name.rsplit(".", 1)
        assert re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{suffix}", url), url
        assert (status, cache_control, encoding) == (200, forever, "gzip"), name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_app_with_its_config_and_logs_each_request(tmp_path):
    port = free_port()
    env = environment(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL=None,
        HTTPS="0",
        TRUSTED_PROXY_COUNT="0",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"Host": "budget.example.gov.cn"}
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    body = response.read().decode()
                    server_header = response.headers.get("Server")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        assert '"database": "ok"' in body and '"broker": "eager"' in body
        assert server_header is None  # no "Server: gunicorn" telling a prober what to try
        probe = subprocess.run(
            [sys.executable, "config/healthcheck.py"],
            cwd=ROOT,
            env={**env, "HEALTHCHECK_ADDRESS": f"127.0.0.1:{port}"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert probe.returncode == 0, probe.stdout + probe.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    access_log = log.read_text()
    assert re.search(r'"GET /healthz HTTP/1\.[01]" 200 \d+ .* \d+ms', access_log), access_log
