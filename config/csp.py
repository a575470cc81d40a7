"""The inline styles plotly.js is allowed, as Content-Security-Policy hash sources.

Plotly.js injects style text of its own at run time: empty <style> elements that it then fills
through the CSSOM (which CSP does not govern), empty ``style`` attributes on colour bars, and the
map library's fixed stylesheet. Each is allowed by the hash of its exact text, taken from the
plotly.js this app serves, so no other inline style is; a new plotly.js that injects something
else shows up as a violation in the end-to-end tests.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

#: The hash of the empty string: an empty <style> element or an empty ``style`` attribute.
EMPTY = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"

# A <style> element whose whole text is a template literal, as plotly.js's bundle builds them.
INJECTED_STYLE = re.compile(rb'createElement\("style"\);[^;`]{0,200}\.textContent=`([^`\\$]*)`')


def source_hash(text: bytes) -> str:
    """A CSP hash source for exactly this text (UTF-8)."""
    digest = hashlib.sha256(text).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def plotly_js() -> Path:
    """The bundled plotly.min.js, found without importing plotly (settings load before the apps)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("plotly is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


def plotly_style_hashes() -> list[str]:
    """Hash sources for the empty inline style and every fixed stylesheet that plotly.js injects."""
    bundle = plotly_js().read_bytes()
    return [EMPTY, *(source_hash(match.group(1)) for match in INJECTED_STYLE.finditer(bundle))]
