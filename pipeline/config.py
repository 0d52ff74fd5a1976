"""The project's own settings: ``leaflet.toml`` beside ``leaflets/`` (optional).

```toml
[build]
# Made only when a request asks for them, not by every `make`: for a library of a
# thousand leaflets in ten languages, audio and read-along books take hours to make.
on_request = ["audio", "epub"]
```

Without the setting, ``make`` builds every format for a library of up to
:data:`LARGE_LIBRARY` leaflets and leaves audio and read-along books to requests above
that (``on_request = []`` builds everything whatever the size).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import LeafletError

CONFIG = Path("leaflet.toml")
LARGE_LIBRARY = 100
"""From how many leaflets audio and read-along books are made on request unless ``leaflet.toml`` says
otherwise.  Measured (``make bench LIBRARY=999``, bench/README.md): speaking a leaflet in one language
for both takes about 4.7 core-seconds against 0.8 for every other format together, so 100 leaflets in
four languages would add a quarter of an hour to a first build on two cores, and a thousand in ten
languages over six hours."""
SPOKEN = frozenset({"audio", "epub"})


@dataclass(frozen=True)
class Config:
    """What ``leaflet.toml`` says."""

    on_request: frozenset[str] | None = None
    """Formats ``make`` (a build without ``--format``) leaves to be made when a request asks (``None``:
    not set, so the library's size decides: :meth:`made_on_request`)."""

    def made_on_request(self, leaflets: int) -> tuple[frozenset[str], str]:
        """The formats left to requests for a library of ``leaflets``, and why (for one line of output)."""
        if self.on_request is not None:
            return self.on_request, "leaflet.toml"
        if leaflets > LARGE_LIBRARY:
            return SPOKEN, (f"a library of {leaflets} leaflets, over {LARGE_LIBRARY}; on_request = [] in "
                            "leaflet.toml builds them all")
        return frozenset(), ""


def load(path: Path = CONFIG) -> Config:
    """The settings in ``path`` (defaults when it does not exist); a bad file is one line, exit 2."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise LeafletError(str(path), f"cannot read it: {exc}") from None
    build = data.get("build", {})
    if isinstance(build, dict) and "on_request" not in build:
        return Config()
    names = build.get("on_request", []) if isinstance(build, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise LeafletError(str(path), '[build] on_request must be a list of format names, e.g. ["audio", "epub"]')
    from pipeline.exporters import FORMATS
    from pipeline.names import UnknownName, resolve_format

    try:
        return Config(on_request=frozenset(resolve_format(n, FORMATS).name for n in names))
    except UnknownName as exc:
        raise LeafletError(str(path), f"[build] on_request: {exc}") from None
