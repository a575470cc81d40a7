"""The import-linter contract of ``make lint``: the layers contract, with string references as imports.

Django lets a module name another app's model by a string (``"projects.Project"`` in a foreign key,
``apps.get_model("performance", ...)`` spelt ``"performance.evaluation"`` in a migration), and a task by
its dotted name. Such a string ties the two apps together as firmly as an import does, so this
contract adds each one to the import graph before the layers are checked: a string in ``finance``
naming ``projects.Something`` breaks the contract exactly as ``from projects import ...`` would.
"""

from __future__ import annotations

import re
from pathlib import Path

from importlinter.contracts.layers import LayersContract

#: "app.Name" or "app.module.name" in quotes, where ``app`` is one of the project's own packages.
_REFERENCE = r"""["']({apps})\.([A-Za-z_][\w.]*)["']"""


class StringAwareLayersContract(LayersContract):
    """A ``layers`` contract in which ``"app.Model"`` strings count as imports of ``app``."""

    def check(self, graph, verbose: bool):
        apps = sorted({str(layer).split(".")[0] for layer in self._layer_names()})
        pattern = re.compile(_REFERENCE.format(apps="|".join(map(re.escape, apps))))
        for module in sorted(graph.modules):
            path = _source_path(module)
            if path is None:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for match in pattern.finditer(line):
                    imported = _deepest_module(graph, match.group(1), match.group(2))
                    if imported.split(".")[0] == module.split(".")[0]:
                        continue
                    graph.add_import(
                        importer=module, imported=imported, line_number=number, line_contents=line.strip()
                    )
        return super().check(graph, verbose)

    def _layer_names(self) -> list[str]:
        return [tail.name for layer in self.layers for tail in layer.module_tails]


def _source_path(module: str) -> Path | None:
    base = Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _deepest_module(graph, app: str, rest: str) -> str:
    """The deepest module of ``app.rest`` the graph holds (``projects.models`` for ``projects.models.X``),
    else the app's package itself (``projects`` for ``"projects.Project"``)."""
    parts = rest.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join([app, *parts[:end]])
        if name in graph.modules:
            return name
    return app
