"""Who may see what (SPEC §1), in one place: a user's scope, and the queryset method that applies it.

A scope is derived from the user once per request (it is cached on the user object):

- every department: budget officers and superusers;
- one department: a department head linked to it (``DepartmentMembership``);
- one budget unit: a unit filler linked to it (``UnitMembership``);
- nothing: anyone else (staff without a role, a head or filler without a link, inactive users).

Every model that holds a department's data gets its manager from ``scoped_manager``, naming the path
from its rows to their department and, where a row belongs to one unit, to that unit. Its
``visible_to(user)`` is then the only place the rule is applied; selectors, exports, form choices and
pages start from it. A unit filler sees the rows of their unit; of a model whose rows belong to a
department as a whole (a department, its leaderboard entry, its indicator templates) they see their
own department's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from finance import roles


@dataclass(frozen=True)
class Scope:
    """What one user may see: ``everything``, one department, one unit (within its department), or none."""

    everything: bool = False
    department_id: int | None = None
    unit_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.department_id is None

    @property
    def cache_key(self) -> str:
        """A short text that differs between scopes, for caches of scoped figures."""
        if self.everything:
            return "all"
        if self.unit_id is not None:
            return f"u{self.unit_id}"
        return f"d{self.department_id}" if self.department_id is not None else "none"


EVERYTHING = Scope(everything=True)
NOTHING = Scope()


def scope_of(user) -> Scope:
    """The one scope of ``user`` (cached on the user object: at most one membership query)."""
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    if roles.is_officer(user):
        scope = EVERYTHING
    elif roles.is_department_head(user):
        scope = Scope(department_id=roles.department_id_of(user))
    elif roles.is_unit_filler(user):
        department_id, unit_id = roles.unit_of(user)
        scope = Scope(department_id=department_id, unit_id=unit_id)
    else:
        scope = NOTHING
    if getattr(user, "is_authenticated", False):
        user._scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the paths from its rows to their department and (optionally) unit."""

    department_path: str = "department"
    #: None for rows that belong to a department as a whole.
    unit_path: str | None = None

    def department_q(self, department_id: int) -> Q:
        return Q(**{self.department_path: department_id})

    def unit_q(self, scope: Scope) -> Q:
        if self.unit_path is None:
            return self.department_q(scope.department_id)
        return Q(**{self.unit_path: scope.unit_id})

    def in_scope(self, scope: Scope) -> ScopedQuerySet:
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        if scope.unit_id is not None:
            return self.filter(self.unit_q(scope))
        return self.filter(self.department_q(scope.department_id))

    def visible_to(self, user) -> ScopedQuerySet:
        """The rows ``user`` may see (SPEC §1): all, their department's, their unit's, or none."""
        return self.in_scope(scope_of(user))


def scoped_manager(
    department: str, unit: str | None = None, *, base: type[ScopedQuerySet] = ScopedQuerySet
) -> models.Manager:
    """A manager whose ``visible_to(user)`` follows ``department`` (and ``unit``) from each row."""
    name = f"Scoped_{department}_{unit}".replace("__", "_")
    attrs = {"department_path": department, "unit_path": unit}
    return type(name, (base,), attrs).as_manager()
