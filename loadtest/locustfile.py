"""Load test (docs/performance.md, "Load"): officers and department heads browsing the dashboard.

Run by ``make load`` against gunicorn with production-like settings on 127.0.0.1; by hand:

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8001

Each simulated user logs in once (the demo users ``officer`` and ``head`` of ``seed_demo``, password
in ``LOAD_PASSWORD``); the statistics start afresh once all have. Then each opens the overview, the
leaderboard, department pages and project pages, with a pause of 1–3 s between pages. It finds
department and project codes by following the links of the pages, as a person would. Not a pytest
test: nothing here is collected by ``make test``.
"""

from __future__ import annotations

import os
import random
import re

from locust import FastHttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-2021")
DEPARTMENT_LINK = re.compile(r'href="/departments/([^/"?]+)/')
PROJECT_LINK = re.compile(r'href="/projects/(\d{4})/([^/"?]+)/')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


logged_in = 0


def count_login(environment) -> None:
    """Once every user has logged in, start the figures afresh: 50 logins at once (each a deliberately
    slow password hash) are not what the browsing figures measure; they are in the log instead."""
    global logged_in
    logged_in += 1
    runner = environment.runner
    if runner is not None and logged_in == runner.target_user_count:
        login = environment.stats.get("login", "POST")
        print(
            f"all {logged_in} users logged in: login p50 {login.get_response_time_percentile(0.5)} ms, "
            f"p95 {login.get_response_time_percentile(0.95)} ms; statistics reset",
            flush=True,
        )
        environment.stats.reset_all()


@events.test_start.add_listener
def reset_login_count(**_kwargs) -> None:
    global logged_in
    logged_in = 0


class Browsing(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        self.departments: list[str] = []
        self.projects: list[tuple[str, str]] = []
        login = self.client.get("/accounts/login/", name="login page")
        token = CSRF_FIELD.search(login.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {self.username} answered {answer.status_code}")
        self.land()
        count_login(self.environment)

    def land(self) -> None:
        """What the user does right after logging in."""

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{path} answered {answer.status_code}")
                return ""
            return answer.text

    def learn(self, html: str) -> None:
        """Remember the department and project links a page offers."""
        for code in DEPARTMENT_LINK.findall(html):
            if code not in self.departments:
                self.departments.append(code)
        for link in PROJECT_LINK.findall(html):
            if link not in self.projects:
                self.projects.append(link)
        del self.projects[:-200]

    @task(2)
    def overview(self) -> None:
        self.page("/", "/")

    @task(2)
    def leaderboard(self) -> None:
        self.learn(self.page("/leaderboard/", "/leaderboard/"))

    @task(3)
    def department(self) -> None:
        if not self.departments:
            return self.leaderboard()
        code = random.choice(self.departments)
        self.learn(self.page(f"/departments/{code}/", "/departments/[code]/"))

    @task(3)
    def project(self) -> None:
        if not self.projects:
            return self.department()
        year, code = random.choice(self.projects)
        self.page(f"/projects/{year}/{code}/", "/projects/[year]/[code]/")


class Officer(Browsing):
    """A budget officer: every department and project."""

    username = "officer"


class DepartmentHead(Browsing):
    """The head of one department: the district-wide pages, their own department and its projects
    (any other department's page answers 404 to them)."""

    username = "head"

    def land(self) -> None:
        landing = self.client.get("/start/", allow_redirects=False, name="/start/")
        own = DEPARTMENT_LINK.search(f'href="{landing.headers.get("Location", "")}"')
        self.own_department = own.group(1) if own else ""
        self.departments = [self.own_department] if own else []

    def learn(self, html: str) -> None:
        super().learn(html)
        self.departments = [self.own_department] if self.own_department else []
