"""System programs some formats need, and how to install them when they are missing."""

from __future__ import annotations

import shutil

PROGRAMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # program: (what people call it, Debian packages, other program names that will do)
    "soffice": ("LibreOffice", "libreoffice-writer-nogui fonts-noto-core", ("libreoffice",)),
}


def missing_program(program: str) -> str | None:
    """``None`` when ``program`` is installed, else one sentence naming it and the Debian package."""
    if program == "liblouis":  # a library and its tables, not a program on the PATH
        from pipeline import liblouis

        return liblouis.missing()
    name, packages, others = PROGRAMS.get(program, (program, program, ()))
    if any(shutil.which(p) for p in (program, *others)):
        return None
    return f"{name} is not installed on this computer (install it with: sudo apt-get install {packages})"
