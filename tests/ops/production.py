"""Run Django in a fresh process with production settings from the environment, as a server would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: A production environment: strong key, real host names, PostgreSQL and Redis, HTTPS behind one proxy.
#: Nothing here is connected to: `check` and the settings themselves need no database or broker.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "k3y-for-tests-only-7Hq9vX2mPz8Lw4Rt6Yb1Nc5Df0Gj3Ks7Ue9Ao2Ii4",
    "ALLOWED_HOSTS": "budget.example.gov.cn",
    "DATABASE_URL": "postgres://budget:secret@db.example.internal:5432/budget",
    "CELERY_BROKER_URL": "redis://redis.example.internal:6379/0",
    "HTTPS": "1",
    "TRUSTED_PROXY_COUNT": "1",
}


def environment(**overrides: str | None) -> dict[str, str]:
    """PRODUCTION with overrides (None removes a variable), on a bare process environment."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(PRODUCTION)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess:
    """``manage.py args`` in a new process."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def django_json(code: str, **overrides: str | None) -> dict:
    """Run ``code`` after django.setup() in a new process; it sets ``result``, which comes back as JSON."""
    script = f"import django, json\ndjango.setup()\n{code}\nprint('RESULT ' + json.dumps(result))\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1].removeprefix("RESULT "))
