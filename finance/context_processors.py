from __future__ import annotations

from django.http import HttpRequest

from finance.roles import department_code_of, department_id_of, is_department_head, is_officer, is_unit_filler


def roles(request: HttpRequest) -> dict:
    """What the navigation needs to show only what the role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_officer": False, "is_department_head": False, "is_unit_filler": False}
    head = is_department_head(user)
    return {
        "is_officer": is_officer(user),
        "is_department_head": head,
        "head_department_id": department_id_of(user) if head else None,
        "head_department_code": department_code_of(user) if head else "",
        # A unit filler opens their unit's projects, evaluations and exports, and no department-wide page.
        "is_unit_filler": not head and is_unit_filler(user),
    }
