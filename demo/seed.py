"""Seed the demo district into the database: wipe, build each replica, insert, create demo users."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q

from demo import catalogue as cat
from demo.builder import DistrictBuilder
from demo.district.cycle import seed_cycle
from demo.district.figures import AS_OF, CURRENT_YEAR, PREVIOUS_YEAR
from demo.district.monitoring import seed_monitoring
from demo.district.pool import seed_pool
from demo.district.rectification import seed_rectification
from demo.district.targets import seed_targets
from demo.writer import insert_rows, reset_sequences, wipe_district
from finance.models import (
    BudgetUnit,
    Department,
    DepartmentMembership,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    UnitMembership,
)
from finance.roles import BUDGET_OFFICER, DEPARTMENT_HEAD, UNIT_STAFF
from performance.models import BudgetReview, Evaluation, RectificationFile
from projects.models import Indicator, IndicatorTemplate, Payment, PerformanceTarget, Project, QuotaStandard
from workflow.models import Round

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"

# Builder table name -> model, in foreign-key order.
TABLES = [
    ("department", Department),
    ("unit", BudgetUnit),
    ("grant", DirectFundGrant),
    ("project", Project),
    ("target", PerformanceTarget),
    ("payment", Payment),
    ("indicator", Indicator),
    ("evaluation", Evaluation),
    ("template", IndicatorTemplate),
    ("review", BudgetReview),
]


@dataclass
class SeedResult:
    counts: dict[str, int]
    password: str
    password_source: str


def seed_demo(*, scale: int = 1, seed: int = 2021, password: str | None = None) -> SeedResult:
    """Replace the district's data with the demo district (``scale`` copies) and set up demo users."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    counts: dict[str, int] = {}
    with transaction.atomic():
        wipe_district()
        FiscalYear.objects.bulk_create(
            [
                FiscalYear(year=PREVIOUS_YEAR, data_as_of=None),
                FiscalYear(year=CURRENT_YEAR, is_current=True, data_as_of=AS_OF),
            ]
        )
        classes = FunctionClass.objects.bulk_create(
            [
                FunctionClass(code=code, name=name, is_livelihood=flag)
                for code, name, flag in cat.FUNCTION_CLASSES
            ]
        )
        sources = FundSource.objects.bulk_create(
            [FundSource(code=code, name=name) for code, name in cat.FUND_SOURCES]
        )
        QuotaStandard.objects.bulk_create(
            [
                QuotaStandard(fiscal_year_id=year, name=name, measure_unit=unit, amount=amount)
                for name, unit, now, before in cat.QUOTA_STANDARDS
                for year, amount in ((CURRENT_YEAR, now), (PREVIOUS_YEAR, before))
            ]
        )
        ids: dict[str, int] = {}
        for replica in range(scale):
            builder = DistrictBuilder(seed=seed, replica=replica, ids=ids)
            builder.build(
                function_class_ids={c.code: c.pk for c in classes},
                fund_source_ids={s.code: s.pk for s in sources},
            )
            for table, model in TABLES:
                counts[table] = counts.get(table, 0) + insert_rows(model, builder.rows.get(table, []))
            del builder
        reset_sequences()
        head_department = Department.objects.get(name=cat.HEAD_DEPARTMENT)
        password, source = _demo_password(password)
        _demo_users(password=password, head_department=head_department)
        counts |= seed_cycle(head_department=head_department, own_unit=demo_unit(head_department))
        users = get_user_model().objects.in_bulk(["unit", "officer"], field_name="username")
        counts["pool"] = seed_pool(
            unit=demo_unit(head_department), unit_user=users["unit"], officer=users["officer"]
        )
        counts |= seed_targets(head_department=head_department, own_unit=demo_unit(head_department))
        counts |= seed_monitoring(head_department=head_department, own_unit=demo_unit(head_department))
        counts |= seed_rectification(
            head_department=head_department,
            monitoring_round=Round.objects.get(kind=Round.Kind.MONITORING, fiscal_year_id=CURRENT_YEAR),
        )
        transaction.on_commit(_remove_stray_evidence)
    _refresh_statistics()
    if source == "generated":
        CREDENTIALS_FILE.write_text(
            "# Demo logins of this checkout (git-ignored). Users: admin, officer, head, unit.\n"
            f"username: admin / officer / head / unit\npassword: {password}\n",
            encoding="utf-8",
        )
    return SeedResult(counts=counts, password=password, password_source=source)


def _remove_stray_evidence() -> None:
    """Once the new district is in, remove the evidence files of the items the wipe deleted (files no
    row names any more) from MEDIA_ROOT's rectification folder; a fresh clone has none yet."""
    root = Path(settings.MEDIA_ROOT) / "rectification"
    if not root.is_dir():
        return
    kept = {
        str(Path(settings.MEDIA_ROOT) / name)
        for name in RectificationFile.objects.values_list("file", flat=True)
    }
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and str(path) not in kept:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows just copied in: without statistics it plans the first
    recompute over an "empty" payments table with nested loops (80 s instead of 0.3 s at scale 1)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _demo_password(given: str | None) -> tuple[str, str]:
    import os

    if given:
        return given, "option"
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"], "environment"
    if CREDENTIALS_FILE.exists():
        for line in CREDENTIALS_FILE.read_text(encoding="utf-8").splitlines():
            if line.startswith("password: "):
                return line.removeprefix("password: ").strip(), "file"
    return secrets.token_urlsafe(12), "generated"


def _demo_users(*, password: str, head_department: Department) -> None:
    User = get_user_model()
    admin, _ = User.objects.update_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "系统管理员"}
    )
    officer, _ = User.objects.update_or_create(
        username="officer", defaults={"is_staff": False, "is_superuser": False, "first_name": "预算科科员"}
    )
    head, _ = User.objects.update_or_create(
        username="head", defaults={"is_staff": False, "is_superuser": False, "first_name": "部门负责人"}
    )
    unit, _ = User.objects.update_or_create(
        username="unit", defaults={"is_staff": False, "is_superuser": False, "first_name": "单位填报人"}
    )
    for user in (admin, officer, head, unit):
        user.set_password(password)
        user.save()
    officer.groups.set([Group.objects.get_or_create(name=BUDGET_OFFICER)[0]])
    head.groups.set([Group.objects.get_or_create(name=DEPARTMENT_HEAD)[0]])
    DepartmentMembership.objects.update_or_create(user=head, defaults={"department": head_department})
    unit.groups.set([Group.objects.get_or_create(name=UNIT_STAFF)[0]])
    UnitMembership.objects.update_or_create(user=unit, defaults={"unit": demo_unit(head_department)})


def demo_unit(department: Department) -> BudgetUnit:
    """The `unit` user's unit: the head's department's unit with the most current-year projects (then
    the lowest code), so that its pages have something on them."""
    return (
        BudgetUnit.objects.filter(department=department)
        .annotate(current=Count("projects", filter=Q(projects__fiscal_year_id=CURRENT_YEAR)))
        .order_by("-current", "code")
        .first()
    )
