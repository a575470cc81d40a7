"""Who may see what: the role rules of SPEC §1, in one place."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

BUDGET_OFFICER = "budget_officer"
DEPARTMENT_HEAD = "department_head"
UNIT_STAFF = "unit_staff"
#: The groups of SPEC §1's roles (created by a migration).
ROLE_GROUPS = (BUDGET_OFFICER, DEPARTMENT_HEAD, UNIT_STAFF)


def _group_names(user) -> set[str]:
    # Cached on the user object: one query per request, however often roles are asked.
    if not hasattr(user, "_role_group_names"):
        user._role_group_names = set(user.groups.values_list("name", flat=True))
    return user._role_group_names


def is_officer(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Budget officers (the ``budget_officer`` group) and superusers see and change everything.

    Staff status is not a role here: it opens Django admin, within the user's model permissions,
    and nothing in the dashboard.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or BUDGET_OFFICER in _group_names(user)


def is_department_head(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A department head who is not also an officer."""
    return (
        user.is_authenticated
        and user.is_active
        and not is_officer(user)
        and DEPARTMENT_HEAD in _group_names(user)
        and department_id_of(user) is not None
    )


def department_id_of(user) -> int | None:
    """The department a head is linked to, or None."""
    return _membership(user)[0]


def department_code_of(user) -> str | None:
    """The code of the department a head is linked to, or None (same query as ``department_id_of``)."""
    return _membership(user)[1]


def _membership(user) -> tuple[int | None, str | None]:
    if not user.is_authenticated:
        return None, None
    if not hasattr(user, "_role_department"):
        from finance.models import DepartmentMembership

        user._role_department = DepartmentMembership.objects.filter(user_id=user.pk).values_list(
            "department_id", "department__code"
        ).first() or (None, None)
    return user._role_department


def is_unit_filler(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A unit filler (单位填报人) linked to one budget unit, who is neither an officer nor a head."""
    return (
        user.is_authenticated
        and user.is_active
        and not is_officer(user)
        and not is_department_head(user)
        and UNIT_STAFF in _group_names(user)
        and unit_of(user)[1] is not None
    )


def unit_of(user) -> tuple[int | None, int | None]:
    """(department id, unit id) of the unit a unit filler is linked to, or (None, None)."""
    if not user.is_authenticated:
        return None, None
    if not hasattr(user, "_role_unit"):
        from finance.models import UnitMembership

        user._role_unit = UnitMembership.objects.filter(user_id=user.pk).values_list(
            "unit__department_id", "unit_id"
        ).first() or (None, None)
    return user._role_unit
