from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workflow.todo import count_for


def todo(request: HttpRequest) -> dict:
    """The header's to-do count: one query, made only when a page shows the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"todo_count": 0}
    return {"todo_count": SimpleLazyObject(lambda: count_for(user))}
