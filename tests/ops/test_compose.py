"""docker-compose.yml and .env.example agree with the settings. No Docker engine runs here, so the
file is checked by reading it; tests/ops/test_topology.py runs the same topology as processes."""

from __future__ import annotations

import re

import pytest

from tests.ops.production import ROOT

yaml = pytest.importorskip("yaml")

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
#: Every environment variable the app's own code reads: the settings, gunicorn's config, the probe.
READ = {
    name
    for path in (ROOT / "config").glob("*.py")
    for name in re.findall(
        r"(?:env\.\w+|envbool|envint|envdecimal|_int|environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\"",
        path.read_text(),
    )
}


def test_compose_runs_postgres_redis_web_worker_and_beat_with_health_checks():
    assert {"db", "redis", "web", "worker", "beat"} <= set(SERVICES)
    # The same commands as the processes of tests/ops/test_topology.py.
    assert SERVICES["web"]["command"] == ["gunicorn", "-c", "config/gunicorn.py"]
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("db", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    # Migrations run first, once PostgreSQL and Redis are healthy; then the app's processes.
    assert SERVICES["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert {"pgdata", "redisdata"} <= set(COMPOSE["volumes"])


def test_the_app_services_reach_postgres_and_redis_by_their_service_names():
    environment = SERVICES["web"]["environment"]
    assert re.fullmatch(
        r"postgres://budget:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432/budget", environment["DATABASE_URL"]
    )
    assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert SERVICES["worker"]["environment"] == SERVICES["beat"]["environment"] == environment


def test_every_variable_given_to_the_app_is_one_it_reads():
    example = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    given = set(example) | set(SERVICES["web"]["environment"])
    # POSTGRES_PASSWORD is the database container's own; compose puts it into DATABASE_URL.
    assert given - READ == {"POSTGRES_PASSWORD"}


def test_every_setting_read_from_the_environment_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert sorted(name for name in READ if f"`{name}`" not in readme) == []
