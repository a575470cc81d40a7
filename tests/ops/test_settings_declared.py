"""Every setting the code reads is declared in config/settings.py and read when it is used, so that
`override_settings` (and a deployment's environment) reaches it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from config import settings as declared

ROOT = Path(__file__).resolve().parents[2]
CODE = [ROOT / "config", ROOT / "finance", ROOT / "projects", ROOT / "performance"]


def _modules() -> list[Path]:
    return [
        path
        for folder in CODE
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts and path.name != "settings.py"
    ]


def _settings_read(path: Path) -> set[str]:
    return set(re.findall(r"\bsettings\.([A-Z][A-Z0-9_]+)\b", path.read_text(encoding="utf-8")))


def test_every_setting_the_code_reads_is_declared():
    undeclared = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules()
        for name in _settings_read(path)
        if not hasattr(declared, name) and name not in {"AUTH_USER_MODEL"}
    }
    assert not undeclared


def test_no_setting_is_read_with_a_fallback_default():
    fallbacks = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "getattr"
        and node.args
        and getattr(node.args[0], "id", None) == "settings"
    ]
    assert not fallbacks


def test_no_module_copies_a_setting_into_a_constant_at_import():
    """A module-level ``X = settings.Y`` would keep the value of import time and ignore overrides
    (BASE_DIR, the checkout's own folder, is the one setting that cannot change under a test)."""
    copies = []
    for path in _modules():
        if path.parent.name == "config":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = getattr(node, "value", None)
            source = ast.unparse(value).replace("settings.BASE_DIR", "") if value else ""
            if isinstance(node, ast.Assign | ast.AnnAssign) and "settings." in source:
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not copies
