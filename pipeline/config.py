"""The project's own settings: ``leaflet.toml`` beside ``leaflets/`` (optional).

```toml
[build]
# Made only when a request asks for them, not by every `make`: for a library of a
# thousand leaflets in ten languages, audio and read-along books take hours to make.
on_request = ["audio", "epub"]
```

Without the file every format is built by ``make``, as before.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import LeafletError

CONFIG = Path("leaflet.toml")


@dataclass(frozen=True)
class Config:
    """What ``leaflet.toml`` says."""

    on_request: frozenset[str] = frozenset()
    """Formats ``make`` (a build without ``--format``) leaves to be made when a request asks."""


def load(path: Path = CONFIG) -> Config:
    """The settings in ``path`` (defaults when it does not exist); a bad file is one line, exit 2."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise LeafletError(str(path), f"cannot read it: {exc}") from None
    build = data.get("build", {})
    names = build.get("on_request", []) if isinstance(build, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise LeafletError(str(path), '[build] on_request must be a list of format names, e.g. ["audio", "epub"]')
    from pipeline.exporters import FORMATS
    from pipeline.names import UnknownName, resolve_format

    try:
        return Config(on_request=frozenset(resolve_format(n, FORMATS).name for n in names))
    except UnknownName as exc:
        raise LeafletError(str(path), f"[build] on_request: {exc}") from None
