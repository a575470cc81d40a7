"""``manage.py bench_pages``: server time of every dashboard page, p50 and p95 over N requests (SPEC §9).

Runs against the configured database as it is (seed it and run a recompute first), in process with
Django's test client, so the time is the server's own — middleware, queries, templates, charts —
without a network in between. Each page is requested once to warm up, then N times; the queries of
the last request are counted too. The last line is machine-readable:

    pages=K worst_p50_ms=X worst_p95_ms=Y
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finance.models import DepartmentMembership
from finance.selectors import current_fiscal_year
from projects.models import Project


class Command(BaseCommand):
    help = "Time every dashboard page (p50/p95 over --requests requests) as officer and as head."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
        parser.add_argument("--officer", default="officer", help="username of a budget officer")
        parser.add_argument("--head", default="head", help="username of a department head")

    def handle(self, *args, requests: int, officer: str, head: str, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1")
        users = get_user_model().objects.filter(username__in=[officer, head]).in_bulk(field_name="username")
        if officer not in users or head not in users:
            raise CommandError(f"users {officer!r} and {head!r} must exist (seed_demo creates them)")
        membership = (
            DepartmentMembership.objects.select_related("department").filter(user=users[head]).first()
        )
        year = current_fiscal_year()
        if membership is None or year is None:
            raise CommandError("the head must be linked to a department and a fiscal year must exist")
        department = membership.department
        project = (
            Project.objects.filter(fiscal_year=year, department=department).order_by("code").first()
            or Project.objects.filter(fiscal_year=year).order_by("code").first()
        )
        if project is None:
            raise CommandError("no project in the current year: seed the district first")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

        pages = [
            ("overview", "/"),
            ("leaderboard", "/leaderboard/"),
            ("department", f"/departments/{department.code}/"),
            ("projects", "/projects/"),
            ("projects, filtered", "/projects/?warning_level=serious"),
            ("project", f"/projects/{year.year}/{project.code}/"),
            ("warnings", "/progress/"),
            ("direct funds", "/direct-funds/"),
            ("evaluations", "/evaluations/"),
            ("adjustments", f"/adjustments/?year={year.year - 1}"),
        ]
        projects = Project.objects.filter(fiscal_year=year).count()
        self.stdout.write(
            f"{connection.vendor}, {projects} projects in {year.year}, {requests} requests per page"
        )
        self.stdout.write(f"{'role':8} {'page':20} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
        worst_p50 = worst_p95 = 0.0
        measured = 0
        for role, username in (("officer", officer), ("head", head)):
            client = Client()
            client.force_login(users[username])
            for name, url in pages:
                if role == "head" and name == "direct funds":
                    continue  # officers only
                client.get(url)  # warm up: imports, caches, the first query plans
                times = []
                for _ in range(requests):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{role} {url} answered {response.status_code}")
                p50 = statistics.median(times)
                p95 = sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]
                worst_p50, worst_p95 = max(worst_p50, p50), max(worst_p95, p95)
                measured += 1
                self.stdout.write(
                    f"{role:8} {name:20} {response.status_code:>6} {len(queries):>7} {p50:>8.1f} {p95:>8.1f}"
                )
        self.stdout.write(f"pages={measured} worst_p50_ms={worst_p50:.1f} worst_p95_ms={worst_p95:.1f}")
