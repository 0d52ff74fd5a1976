"""Make variables are data, never code: what people type reaches the tool exactly as typed.

For every variable the Makefile reads, values that would run a command if pasted into a
shell or into make (backticks, ``$(...)``, ``$(shell ...)``, quote break-outs) run
nothing, and the tool is given the value as one argument, unchanged (``cost $100``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make not installed")

HOSTILE = {
    "backticks": "T-1 `touch {m}/backtick`",
    "dollar-paren": "T-1 $(touch {m}/dollar)",
    "make-shell": "T-1 $(shell touch {m}/makeshell)",
    "single-quote": "T-1'; touch {m}/single; echo '",
    "double-quote": 'T-1"; touch {m}/double; echo "',
    "money": "cost $100 and $$5",
}

# (target, variable, the tool's option that carries it, or None for a positional argument)
ROUTES = [
    ("request", "LEAFLET", None), ("request", "REF", "--ref"), ("request", "REASON", "--reason"),
    ("request", "FORMAT", "--format"), ("request", "POINT_SIZE", "--point-size"), ("request", "LANG", "--locale"),
    ("request", "OUT", "--out"), ("request", "TTS", "--tts"), ("requests", "AFFECTED_BY", "--affected-by"),
    ("import", "DIR", None), ("build", "OUT", "--out"), ("build", "JOBS", "--jobs"), ("build", "TTS", "--tts"),
    ("draft", "OUT", "--out"), ("status", "OUT", "--out"), ("index", "OUT", "--out"),
    ("readability", "OUT", "--out"), ("build", "CLUSTER", "--cluster"), ("verify", "CLUSTER", "--cluster"),
    ("draft", "CLUSTER", "--cluster"), ("build", "HOUSE", "--house"),
]


def _dry_run(target: str, variable: str, value: str) -> str:
    extra = ["LEAFLET=lung"] if target == "request" and variable != "LEAFLET" else []
    extra += ["DIR=lib"] if target == "import" and variable != "DIR" else []
    done = subprocess.run(["make", "-n", "-C", str(ROOT), target, f"{variable}={value}", *extra],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "LC_ALL": "C"})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize(("target", "variable", "option"), ROUTES, ids=[f"{t}-{v}" for t, v, _ in ROUTES])
def test_a_typed_value_is_one_argument_and_runs_nothing(tmp_path: Path, target: str, variable: str,
                                                        option: str | None, kind: str) -> None:
    value = HOSTILE[kind].format(m=tmp_path)
    printed = _dry_run(target, variable, value)
    assert not list(tmp_path.iterdir()), f"make ran something for {variable}={value!r}"
    command = {"draft": "build", "verify": "build"}.get(target, target)
    commands = [shlex.split(line) for line in printed.replace("\\\n", " ").splitlines()
                if "/leaflet " in line and f"/leaflet {command} " in line]
    assert commands, printed
    words = commands[-1]
    if option is None:
        assert value in words, f"{value!r} is not one argument of {words}"
    else:
        at = words.index(option)
        assert words[at + 1] == value, f"{option} {words[at + 1]!r}, typed {value!r}"
    # The dry run only prints: running what it printed must run nothing either.
    subprocess.run(["sh", "-n", "-c", printed], check=False, timeout=30)
    assert not list(tmp_path.iterdir())


def test_upgrade_names_are_words_never_code(tmp_path: Path) -> None:
    printed = _dry_run("lock", "UPGRADE", f"babel `touch {tmp_path}/x` $(touch {tmp_path}/y)")
    assert not list(tmp_path.iterdir())
    assert f"up='babel `touch {tmp_path}/x` $(touch {tmp_path}/y)'" in printed


def test_clean_removes_only_an_output_folder(tmp_path: Path) -> None:
    notes = tmp_path / "notes $(shell touch m) `touch n`"
    notes.mkdir()
    (notes / "minutes.docx").write_bytes(b"someone's work")
    refused = subprocess.run(["make", "-s", "-C", str(ROOT), "clean", f"OUT={notes}"], capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode != 0 and "not an output folder" in refused.stderr
    assert (notes / "minutes.docx").exists() and not (ROOT / "m").exists() and not (ROOT / "n").exists()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".sources.json").write_text("{}", encoding="utf-8")
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "clean", f"OUT={out}"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and not out.exists()


def test_a_reference_with_a_dollar_is_recorded_as_typed(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / "bin" / "leaflet").exists():
        pytest.skip("needs the venv made by `make`")
    env = {**os.environ, "LEAFLET_DB": str(tmp_path / "r.sqlite")}
    reference = "cost $100 `touch " + str(tmp_path) + "/x` 'q'"
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "request", "LEAFLET=lung", "FORMAT=text",
                           f"OUT={tmp_path / 'out'}", f"REF={reference}"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "x").exists()
    from tests.test_request import rows

    [row] = rows(tmp_path / "r.sqlite")
    assert row["ref"] == reference
