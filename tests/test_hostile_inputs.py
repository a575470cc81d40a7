"""No input gives a 500 (SPEC §10): every URL pattern, for every role, with hostile path parts and
query values, answers with a page, a redirect, a 400, a 404 or a 405 — never a server error.

The URL patterns are read from ``config.urls``' resolver, recursively, so a page added later is walked
without touching this file. Django admin's own patterns are left out (Django's code, with its own
tests; each app's tests/<app>/test_admin.py covers its admin classes), which the walk's first test states.

Each pattern is asked, as each role, (1) with each hostile value in each of its path parts in turn
(the others at a real value), and (2) with hostile query strings: every query parameter a page reads
(the shared ones and every field of every filter set) gets every value of the corpus, rotated so that
each request mixes different values. Both as GET and as POST.
"""

from __future__ import annotations

import datetime
import inspect
import re
import time
from urllib.parse import quote, urlencode

import django_filters
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finance.roles import BUDGET_OFFICER
from performance import filters as performance_filters
from performance.models import Evaluation
from projects import extensions
from projects import filters as project_filters
from projects.models import QuotaStandard
from tests.factories import IndicatorFactory, UserFactory, make_head, make_officer, make_unit_filler
from workflow.rounds import open_round

pytestmark = pytest.mark.django_db

#: Query and form values that once gave a 500: superscript digits (``str.isdigit`` says yes, ``int``
#: says no), numbers too long for ``int``, negative, zero and huge page sizes, full-width digits, and
#: the usual markup, quoting and format-string suspects. NUL is asked on its own (``NUL_QUERY``): the
#: app refuses any address that holds one, which would hide what the other values do.
HOSTILE = [
    "²",
    "²⁰²¹",
    "9" * 5000,
    "-5",
    "100000",
    "'\"<a href=x>%(x)s{0}",
    "１２",
    "__",
]
NUL_QUERY = {"department": "A01\x00", "year": "\x00", "q": "\x00"}

#: Path parts: each converter gets those of these that its regex lets through to the view, so an
#: ``int`` part gets the numbers, a ``str`` part all of them, a part of fixed words its words.
HOSTILE_PATH_PARTS = [
    "1",
    "2021",
    "A01",
    "PA01",
    "99999999999999999999999999",
    "9" * 300,
    "²⁰²¹",
    "A01\x00",
    "'\"<a href=x>",
    "..",
    " ",
]

#: Query parameters every page may read, besides the filter fields: the year, the table's paging and
#: sorting (also with the department page's prefixes), the export, the export page's header language
#: and the fields of the forms that POST.
SHARED_PARAMETERS = [
    "year",
    "department",
    "unit",
    "per_page",
    "page",
    "sort",
    "export",
    "q",
    "headers",
    "p-page",
    "p-per_page",
    "p-sort",
    "u-sort",
    "i-page",
    "i-per_page",
    "i-sort",
    "d-page",
    "d-per_page",
    "d-sort",
    "next",
    "language",
    "decision",
    "note",
    "final_budget_wan",
    "kind",
    # an evaluation's forms and steps (SPEC §12.2)
    "project",
    "key_category",
    "process",
    "output",
    "benefit",
    "evaluator",
    "evaluated_on",
    "findings",
    "recommendations",
    "action",
    "reason",
    "from_page",
    "username",
    "password",
    "action",
    "reason",
    "from_page",
    "achieved",
    "round",
    "deadline",
    "as_of",
    "back",
    "then",
    # the project pool's proposal form and transitions
    "approved_budget",
    "name",
    "function_class",
    "fund_source",
    "category",
    "requested_amount",
    "goal",
    # the standards library's tab and its officers' forms (SPEC §13)
    "show",
    "level2",
    "direction",
    "target_value",
    "measure_unit",
    "weight",
    "fiscal_year",
    "amount",
    "delete",
    # the target declaration's downloads (SPEC §13)
    "version",
]


def filter_fields() -> list[str]:
    """Every field of every filter set of the pages."""
    names: set[str] = set()
    for module in (performance_filters, project_filters):
        for _name, member in inspect.getmembers(module, inspect.isclass):
            if issubclass(member, django_filters.FilterSet) and member.__module__ == module.__name__:
                names.update(member.base_filters)
    # The filters the apps above add to the project list.
    names.update(name for name, _filter in extensions.filters())
    return sorted(names)


PARAMETERS = SHARED_PARAMETERS + [name for name in filter_fields() if name not in SHARED_PARAMETERS]

PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def url_patterns(patterns=None, prefix: str = "", converters=None):
    """(route, converters by part name, name) of every URL pattern but Django admin's, recursively."""
    if patterns is None:
        patterns, converters = get_resolver().url_patterns, {}
    for entry in patterns:
        route = prefix + str(entry.pattern)
        found = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from url_patterns(entry.url_patterns, route, found)
        elif isinstance(entry, URLPattern):
            yield route, found, entry.name


def part_values(converter) -> list[str]:
    """The hostile values the part's converter lets through to the view, a real one first; and one
    it does not (which ends in the resolver's 404 page)."""
    words = converter.regex.split("|") if re.fullmatch(r"[\w|-]+", converter.regex) else []
    accepted = [value for value in words + HOSTILE_PATH_PARTS if re.fullmatch(converter.regex, value)]
    return [*dict.fromkeys(accepted), "x\x00"]


def urls_of(route: str, converters, samples: dict[str, str] | None = None) -> list[str]:
    """The route with each part in turn set to each of its values, the others to their first (a real
    record's, where ``samples`` names one)."""
    parts = {match["name"]: part_values(converters[match["name"]]) for match in PART.finditer(route)}
    for name, value in (samples or {}).items():
        if name in parts:
            parts[name] = [value, *parts[name]]

    def fill(chosen: dict[str, str]) -> str:
        return "/" + PART.sub(lambda match: quote(chosen[match["name"]], safe=""), route)

    defaults = {name: values[0] for name, values in parts.items()}
    urls = [fill(defaults)]
    for name, values in parts.items():
        urls += [fill(defaults | {name: value}) for value in values[1:]]
    return urls


def queries() -> list[dict[str, str]]:
    """Every parameter with every hostile value, rotated so that each request mixes them; every third
    asks for a CSV or XLSX export instead, so that the export paths read the hostile values too."""
    rotated = []
    for index in range(len(HOSTILE)):
        query = {name: HOSTILE[(index + offset) % len(HOSTILE)] for offset, name in enumerate(PARAMETERS)}
        if index % 3:
            query["export"] = ("csv", "xlsx")[index % 3 - 1]
        rotated.append(query)
    return [*rotated, NUL_QUERY]


ROLES = ["anonymous", "officer", "head", "unit", "staff_no_group", "no_role", "admin"]


@pytest.fixture
def personas(district):  # noqa: F811 - the fixture imported above
    return {
        "anonymous": None,
        "officer": make_officer("officer"),
        "head": make_head(district.a, "head"),
        "unit": make_unit_filler(district.units["A01-01"], "unit"),
        "staff_no_group": UserFactory(username="clerk", is_staff=True),
        "no_role": UserFactory(username="nobody"),
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def samples(district, settings, tmp_path) -> dict[str, dict[str, str]]:
    """Path parts of real records, by URL name: a draft evaluation, whose page takes the officer's scores;
    a quota standard, whose form the officer fills; a monitoring round, in which PA01 (given a target)
    has a draft report that its unit fills; a rectification item with an evidence file (kept under a
    temporary MEDIA_ROOT)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    draft = Evaluation.objects.create(
        fiscal_year_id=2021,
        kind=Evaluation.Kind.KEY,
        key_category=Evaluation.KeyCategory.DEVELOPMENT_POLICY,
        project=district.projects["PA02"],
    )
    quota = QuotaStandard.objects.create(
        fiscal_year_id=2021, name="生均公用经费", measure_unit="元/生", amount=870
    )
    item, evidence = rectification_sample(district)
    IndicatorFactory(project=district.projects["PA01"], weight=90)
    monitoring, _count = open_round(
        user=make_officer("round_opener"),
        kind="monitoring",
        year=2021,
        as_of=datetime.date(2021, 7, 31),
        deadline=datetime.date(2021, 8, 31),
    )
    return (
        {name: {"pk": str(draft.pk)} for name in ("evaluation", "evaluation_transition")}
        | {"standard_edit": {"kind": "quotas", "pk": str(quota.pk)}}
        | {
            name: {"year": "2021", "code": "PA01", "round_id": str(monitoring.pk)}
            for name in ("monitoring_report", "monitoring_transition")
        }
        | {
            "rectification_item": {"pk": str(item.pk)},
            "rectification_transition": {"pk": str(item.pk)},
            "rectification_file": {"pk": str(item.pk), "file_pk": str(evidence.pk)},
        }
    )


def rectification_sample(district):
    """An item of A01 opened by an officer, answered by its head with one evidence file (SPEC §14.2)."""
    from performance.models import RectificationItem
    from performance.services.rectification import answer_item, open_item
    from tests.performance.rectification.conftest import PDF, upload

    item = open_item(
        RectificationItem(
            department=district.a,
            project=district.projects["PA02"],
            fiscal_year_id=2021,
            source="warning",
            problem="p",
            requirement="r",
            deadline=datetime.date(2030, 1, 1),
        ),
        user=make_officer("item_officer"),
    )
    answer_item(
        item,
        user=make_head(district.a, "item_head"),
        measures="m",
        evidence="",
        uploads=[upload("a.pdf", PDF)],
    )
    return item, item.files.get()


def test_the_walk_covers_every_url_pattern_but_djangos_admin():
    names = {name for _route, _converters, name in url_patterns()}

    assert {"home", "healthz", "login", "project", "export", "recompute_status", "import_job"} <= names
    assert not any(route.startswith("admin/") for route, _converters, _name in url_patterns())
    assert {"year", "per_page", "page", "sort", "export", "q", "department", "grade"} <= set(PARAMETERS)


def test_no_hostile_input_gives_a_server_error(personas, samples):
    """Each pattern as each role: its path parts one by one (GET, and POST where the view takes only
    POST), then the query rotations (GET) and the same values as a form (POST: every rotation where the
    view takes only POST, else one). A request the login page answers never reached the view: the rest
    of that pattern's queries are skipped."""
    client = Client()  # re-raises a view's exception: each is recorded, and all are listed at the end
    started = time.process_time()
    asked, failures = 0, {}
    login = reverse("login")

    def ask(role, method, url, query) -> int | None:
        nonlocal asked
        asked += 1
        try:
            if method == "get":
                response = client.get(f"{url}?{urlencode(query)}" if query else url)
            else:
                response = client.post(url, query)
        except Exception as exc:  # noqa: BLE001 - what the user would have got as a 500
            failures.setdefault(
                (url.split("?")[0][:60], method, f"{type(exc).__name__}: {str(exc)[:100]}"), role
            )
            return None
        if response.status_code >= 500:
            failures.setdefault((url[:60], method, response.status_code), (role, repr(query)[:200]))
        if method == "post" and personas[role] is not None and "_auth_user_id" not in client.session:
            client.force_login(personas[role])  # the walk logged itself out
        return response

    for role in ROLES:
        client.logout()
        if personas[role] is not None:
            client.force_login(personas[role])
        for route, converters, name in url_patterns():
            urls = urls_of(route, converters, samples.get(name))
            opened = []
            for url in urls:
                response = ask(role, "get", url, {})
                if response is not None and response.status_code == 200:
                    opened.append(url)
                if response is not None and response.status_code == 405:
                    ask(role, "post", url, {})
            # The queries go to a page that opens (the department A01, the project PA01), if one does.
            base = (opened or urls)[0]
            first = ask(role, "get", base, queries()[0])
            if first is not None and first.status_code == 302 and first["Location"].startswith(login):
                continue  # signed out: the login page answers, whatever the query
            for query in queries()[1:]:
                ask(role, "get", base, query)
            post_only = first is not None and first.status_code == 405
            for query in queries() if post_only else queries()[:1]:
                ask(role, "post", base, query)
    seconds = time.process_time() - started

    assert not failures, "\n".join(f"{key}: {example}" for key, example in failures.items())
    assert asked > 1500, asked
    # The walk's processor time per request (other work on the machine stretches it less than wall
    # time), so that the bound holds as pages are added and still catches a page grown slow: 17.4 ms
    # (83.5 s for 4,788 requests) before the standards library, 18–19 ms with it on SQLite, 21 ms
    # (104.9 s for 4,998) on PostgreSQL in CI beside the SQLite run.
    assert seconds < asked * 0.025, (seconds, asked)


def test_a_budget_officer_group_is_what_the_walk_calls_an_officer(personas):
    assert personas["officer"].groups.filter(name=BUDGET_OFFICER).exists()
    assert not Group.objects.filter(user=personas["staff_no_group"]).exists()
