"""The lock file: what ``make`` installs is exactly what was tested, on any day.

``requirements.lock`` pins every package, transitive ones included, with hashes, for
Python 3.11 to 3.13; ``pyproject.toml`` keeps compatible ranges.  These tests fail when the
two disagree, when the pipeline imports something the lock does not hold, or when the venv
is not what the lock says.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

LOCK = ROOT / "requirements.lock"
SUPPORTED = ("3.11", "3.12", "3.13")
SYSTEM_MODULES = {"louis": "python3-louis from Debian: liblouis is not on PyPI (pipeline/liblouis.py)"}
"""Modules the pipeline imports that no PyPI package provides, and where they come from."""


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]

    def applies(self, environment: dict[str, str] | None = None) -> bool:
        return self.marker is None or self.marker.evaluate(environment)


def read_lock(text: str) -> list[Pin]:
    """Every ``name==version [; marker]`` entry of a pip requirements file with its ``--hash`` options."""
    pins = []
    for entry in re.split(r"\n(?=\S)", text):
        lines = [line.strip().rstrip("\\").strip() for line in entry.splitlines() if not line.lstrip().startswith("#")]
        if not lines or not lines[0]:
            continue
        requirement = Requirement(lines[0])
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"not an exact pin: {lines[0]}"
        hashes = tuple(line.removeprefix("--hash=") for line in lines[1:] if line.startswith("--hash="))
        pins.append(Pin(canonicalize_name(requirement.name), Version(specifier.version), requirement.marker, hashes))
    return pins


def environment(python: str) -> dict[str, str]:
    """Marker values of this machine, but for the Python version."""
    from packaging.markers import default_environment

    env = {k: str(v) for k, v in default_environment().items()}
    env.update(python_version=python, python_full_version=f"{python}.0")
    return env


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]]


@pytest.fixture(scope="module")
def pins() -> list[Pin]:
    return read_lock(LOCK.read_text(encoding="utf-8"))


def test_every_pin_is_exact_and_hashed(pins: list[Pin]) -> None:
    assert len(pins) > 40, "the lock holds transitive dependencies too"
    for pin in pins:
        assert pin.hashes, f"{pin.name} has no --hash: pip --require-hashes would refuse the lock"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in pin.hashes), pin.name


@pytest.mark.parametrize("python", SUPPORTED)
def test_pyproject_and_lock_agree(pins: list[Pin], python: str) -> None:
    """Each declared dependency has exactly one pin for this Python, inside pyproject's range."""
    env = environment(python)
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        chosen = [p for p in pins if p.name == name and p.applies(env)]
        assert len(chosen) == 1, f"{name}: {len(chosen)} pins apply on Python {python} (run make lock)"
        assert requirement.specifier.contains(chosen[0].version, prereleases=True), (
            f"{name}: pyproject.toml asks for {requirement.specifier}, "
            f"the lock pins {chosen[0].version} (run make lock)")


def test_the_venv_holds_what_the_lock_pins(pins: list[Pin]) -> None:
    wrong = []
    for pin in pins:
        if not pin.applies():
            continue
        try:
            installed = Version(metadata.version(pin.name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{pin.name} {pin.version} is not installed")
            continue
        if installed != pin.version:
            wrong.append(f"{pin.name}: {installed} installed, {pin.version} locked")
    assert not wrong, "; ".join(wrong) + " (run make: it installs from requirements.lock)"
    check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def imported_modules() -> dict[str, str]:
    """Top-level third-party modules imported anywhere in ``pipeline/``, each with one file importing it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "pipeline":
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_module_the_pipeline_imports_is_locked(pins: list[Pin]) -> None:
    locked = {p.name for p in pins}
    providers = metadata.packages_distributions()
    modules = imported_modules()
    assert {"babel", "docx", "markdown_it", "numpy"} <= set(modules), "the import scan finds the pipeline's imports"
    for module, where in modules.items():
        if module in SYSTEM_MODULES:
            continue
        distributions = {canonicalize_name(d) for d in providers.get(module, [])}
        assert distributions, f"{where} imports {module}, which no installed package provides"
        assert distributions & locked, f"{where} imports {module} ({', '.join(sorted(distributions))}), not in the lock"


def test_a_missing_module_would_be_found() -> None:
    """The scan above is not vacuous: a lock without Babel is refused by the same comparison."""
    pins = [p for p in read_lock(LOCK.read_text(encoding="utf-8")) if p.name != "babel"]
    providers = {canonicalize_name(d) for d in metadata.packages_distributions()["babel"]}
    assert not providers & {p.name for p in pins}


def test_make_installs_from_the_lock_only() -> None:
    """One route: the Makefile installs the lock with hashes, then the project without dependencies."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    assert installs == ["$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)",
                        "$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e ."]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install" not in ci and "make test" in ci
