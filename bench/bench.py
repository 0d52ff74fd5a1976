"""Benchmark: `make bench`.  Prints ratios against peers measured in the same run.

Figures (the rows of issue #15 and earlier targets):
* a corpus of 200 leaflets generated from leaflets/ (2 to 12 pages each);
* full build, its peak memory (every worker counted), no-op rebuild, rebuild after editing one leaflet;
* our DOCX build against pandoc on the same Markdown, one pandoc process per leaflet, run one at a
  time and one per core (``xargs -P``);
* the large-print PDF per leaflet, warm;
* a cold build of this repository against the same at the commit before the parallel build;
* readability scoring and the offline voice.

Run from the project root: ``python bench/bench.py [--leaflets N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.workers import descendants  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
LEAFLET = [sys.executable, "-m", "pipeline.cli"]


def make_corpus(count: int) -> list[Path]:
    """Leaflets of 2 to 12 pages, made by repeating the example leaflets' sections."""
    corpus = WORK / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    examples = sorted((ROOT / "leaflets").glob("*.md"))
    rng = random.Random(67)
    paths = []
    for n in range(1, count + 1):
        text = examples[n % len(examples)].read_text(encoding="utf-8")
        head, _, rest = text.partition("\n## ")
        body, _, tail = ("## " + rest).rpartition("\n## Contacting us")
        pages = rng.randint(2, 12)
        # About 1,500 characters of leaflet Markdown fill an A4 page of the standard DOCX (measured).
        repeats = max(1, round((pages * 1500 - len(head) - len(tail)) / len(body)))
        parts = [head]
        for r in range(repeats):
            parts.append(re.sub(r"^## (.*)$", rf"## \1 (part {r + 1})", body, flags=re.M))
        parts.append("\n## Contacting us" + tail)
        source = "\n".join(parts)
        source = re.sub(r"^(RAD|END)\\?_\d+$", f"BEN_{n:04d}", source, flags=re.M)
        path = corpus / f"BEN_{n:04d}-leaflet.md"
        path.write_text(source, encoding="utf-8")
        paths.append(path)
    return paths


def make_word_library(count: int) -> Path:
    """``count`` Word leaflets in the shapes of the Word corpus (text boxes, tracked changes, footers,
    pictures, merged cells ...), each under its own code, in folders of 100 as a trust keeps them."""
    from tests.examples import word_leaflet
    from tests.test_word_corpus import CASES

    library = WORK / "word-library"
    shutil.rmtree(library, ignore_errors=True)
    makers = [case.make for case in CASES.values() if callable(case.make)]
    for n in range(count):
        folder = library / f"specialty-{n // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = word_leaflet(f"LIB_{n:04d}") if n % 4 == 0 else makers[n % len(makers)]()
        (folder / f"LIB_{n:04d}-leaflet.docx").write_bytes(data)
    return library


def import_rows(count: int, cores: int) -> list[tuple[str, str]]:
    """`leaflet import` of a Word library against mammoth and pandoc reading the same files."""
    library = make_word_library(count)
    files = sorted(library.rglob("*.docx"))
    ours, _ = timed([*LEAFLET, "import", str(library), "--json", "--report", str(WORK / "import-report.html")])
    rows = [(f"`leaflet import` of {count} Word leaflets ({cores} worker processes)",
             f"{ours:.2f} s: **{count / ours:.0f} leaflets/s** ({count / ours * 60:.0f} a minute; target: 1,000 "
             "in minutes)")]
    script = ("import sys, mammoth\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f: mammoth.convert_to_html(f)")
    try:
        import mammoth  # noqa: F401
    except ImportError:
        rows.append(("the same with mammoth", "mammoth not installed, no ratio"))
    else:
        serial, _ = timed([sys.executable, "-c", script, *map(str, files)])
        chunks = [files[i::cores] for i in range(cores)]
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", script, *map(str, c)]) for c in chunks]
        for proc in procs:
            proc.wait()
        parallel = time.perf_counter() - start
        rows.append((f"mammoth (`convert_to_html`) on the same files, one process / {cores} processes",
                     f"{count / serial:.0f} / {count / parallel:.0f} leaflets/s: ours is **{serial / ours:.2f}x** / "
                     f"**{parallel / ours:.2f}x** mammoth's speed (ours also reads headers, footers and what is "
                     "hidden, which mammoth does not)"))
    if shutil.which("pandoc"):
        out = WORK / "pandoc-import"
        out.mkdir(exist_ok=True)
        start = time.perf_counter()
        subprocess.run(["xargs", "-0", f"-P{cores}", "-n", "20", "sh", "-c",
                        'for f; do pandoc "$f" -t plain -o /dev/null; done', "sh"],
                       input="\0".join(map(str, files)).encode(), check=True)
        pandoc = time.perf_counter() - start
        rows.append((f"pandoc (`-t plain`) on the same files, {cores} at a time",
                     f"{count / pandoc:.0f} leaflets/s: ours is **{pandoc / ours:.2f}x** pandoc's speed"))
    else:
        rows.append(("the same with pandoc", "pandoc not installed, no ratio"))
    return rows


def built_count(stderr: str) -> int:
    m = re.search(r"(\d+) file\(s\) built", stderr)
    return int(m.group(1)) if m else -1


def audio_rows() -> list[tuple[str, str]]:
    """Audio of the reference leaflet with the offline engine: real-time factor, warm-cache rebuild."""
    reference = ROOT.parent / "shared" / "leaflets" / "RAD_0067-sacroplasty.md"
    source = reference if reference.exists() else ROOT / "leaflets" / "RAD_0102-ct-guided-lung-biopsy.md"
    out = WORK / "audio"
    shutil.rmtree(out, ignore_errors=True)
    base = [*LEAFLET, "build", "-q", "--format", "audio", "--tts", "espeak", "--out", str(out), str(source)]
    # One core, as the target says.
    cold, _ = timed(["taskset", "-c", "0", *base] if shutil.which("taskset") else base)
    warm, _ = timed(["taskset", "-c", "0", *base, "--force"] if shutil.which("taskset") else [*base, "--force"])
    from mutagen.mp3 import MP3

    seconds = MP3(next(out.rglob("*-en_GB.mp3"))).info.length
    return [("audio, offline voice, one core: seconds of audio per second",
             f"{seconds / cold:.0f}x real time ({seconds / 60:.1f} min of audio in {cold:.1f} s, MP3 encoding "
             f"and start-up included; target 20x)"),
            ("audio rebuild with a warm cache (no synthesis, re-encode)", f"{warm:.1f} s")]


def voice_rows() -> list[tuple[str, str]]:
    """The offline voices side by side on one core: seconds of English audio per second of build.

    Each engine speaks the same leaflet from an empty speech cache (start-up, synthesis and
    MP3 encoding included), then the pure synthesis speed of the same sentences is timed in
    this process, after start-up.
    """
    import time

    from pipeline.readers import read_leaflet
    from pipeline.speech.engines import ENGINES
    from pipeline.speech.script import speech_script

    reference = ROOT.parent / "shared" / "leaflets" / "RAD_0067-sacroplasty.md"
    source = reference if reference.exists() else ROOT / "leaflets" / "RAD_0102-ct-guided-lung-biopsy.md"
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    rows = []
    speed = {}
    for engine in ("espeak", "neural"):
        out = WORK / f"voice-{engine}"
        shutil.rmtree(out, ignore_errors=True)
        wall, _ = timed([*pin, *LEAFLET, "build", "-q", "-f", "audio", "--tts", engine, "-l", "en_GB", "--jobs", "1",
                         "--out", str(out), str(source)])
        from mutagen.mp3 import MP3

        seconds = MP3(next(out.rglob("*-en_GB.mp3"))).info.length
        sentences = [s for section in speech_script(read_leaflet(str(source))) for line in section.paragraphs
                     for s in line]
        tts = ENGINES[engine]()
        voice = tts.voice("en_GB")
        started = time.process_time()
        spoken = sum(tts.synthesise(sentence, voice).seconds for sentence in sentences)
        cpu = time.process_time() - started
        speed[engine] = spoken / cpu
        rows.append((f"audio, {engine} voice, one core, whole build of one English leaflet",
                     f"{seconds / wall:.0f}x real time ({seconds / 60:.1f} min of audio in {wall:.1f} s, start-up "
                     f"and MP3 encoding included); synthesis alone {spoken / cpu:.0f}x real time (CPU time)"))
    rows.append(("neural voice vs eSpeak NG, synthesis alone (same sentences, same run)",
                 f"eSpeak NG is {speed['espeak'] / speed['neural']:.1f}x faster; the neural voice is "
                 f"{speed['neural']:.0f}x real time on one core"))
    return rows


def readability_rows() -> list[tuple[str, str]]:
    """Scoring time per leaflet after start-up, against textstat alone on the raw Markdown."""
    from pipeline.readability.metrics import _textstat
    from pipeline.readability.report import analyse
    from pipeline.readers import read_leaflet

    reference = ROOT.parent / "shared" / "leaflets" / "RAD_0067-sacroplasty.md"
    sources = [reference] if reference.exists() else sorted((ROOT / "leaflets").glob("*.md"))
    leaflets = [read_leaflet(str(p)) for p in sources]
    raw = [p.read_text(encoding="utf-8") for p in sources]
    textstat = _textstat()
    for leaflet in leaflets:
        analyse(leaflet)  # start-up: load the dictionary, compile patterns
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        for leaflet in leaflets:
            analyse(leaflet)
    ours = (time.perf_counter() - started) / (runs * len(leaflets))
    started = time.perf_counter()
    for _ in range(runs):
        for text in raw:
            textstat.flesch_kincaid_grade(text + " " * _)  # defeat textstat's cache
    plain = (time.perf_counter() - started) / (runs * len(raw))
    return [("readability: score one leaflet after start-up",
             f"{ours * 1000:.1f} ms (target under 50 ms); {ours / plain:.1f}x the time of one textstat "
             f"formula on the raw Markdown, for five formulas per leaflet, section and sentence")]


class Memory:
    """Peak memory of a process and everything below it, sampled every 20 ms: the sum of each
    process's proportional set size (shared pages split between the processes sharing them)."""

    def __init__(self) -> None:
        self.peak_mb = 0.0

    def watch(self, process: subprocess.Popen[str]) -> None:
        import threading

        def sample() -> None:
            while process.poll() is None:
                total = sum(_pss_kb(pid) for pid in [process.pid, *descendants(process.pid)])
                self.peak_mb = max(self.peak_mb, total / 1024)
                time.sleep(0.02)

        threading.Thread(target=sample, daemon=True).start()


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(args: list[str], cwd: Path = ROOT, memory: Memory | None = None,
          env: dict[str, str] | None = None) -> tuple[float, str]:
    """Whole-process wall time of ``args`` (and its standard error)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    if memory is not None:
        memory.watch(process)
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(args[:6])}... failed:\n{err}")
    return elapsed, err


def pandoc_rows(corpus: list[Path], ours: float, cores: int) -> list[tuple[str, str]]:
    """Our DOCX build against pandoc, one process per leaflet: one at a time, and one per core."""
    if not shutil.which("pandoc"):
        return [("DOCX: ours vs pandoc", f"{ours:.1f} s for {len(corpus)}; pandoc not installed, no ratio")]
    out = WORK / "pandoc"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.perf_counter()
    for path in corpus:
        subprocess.run(["pandoc", str(path), "-o", str(out / (path.stem + ".docx"))], check=True)
    serial = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(["xargs", "-0", f"-P{cores}", "-I{}", "sh", "-c", f'pandoc "$1" -o "{out}/$(basename "$1").docx"',
                    "-", "{}"], input="\0".join(map(str, corpus)).encode(), check=True)
    parallel = time.perf_counter() - started
    return [
        (f"DOCX, {len(corpus)} leaflets: ours (`build --format docx --force`) vs pandoc one process per leaflet",
         f"{ours:.2f} s vs {serial:.2f} s: **{serial / ours:.2f}x** pandoc (target 3x)"),
        (f"the same vs pandoc {cores} at a time (`xargs -P{cores}`)",
         f"{ours:.2f} s vs {parallel:.2f} s: **{parallel / ours:.2f}x** (target 2x)"),
    ]


BASELINE = "ad6c9e5"
"""The last commit before the build used every core and one LibreOffice for many PDFs."""


def cold_make_rows() -> list[tuple[str, str]]:
    """`make clean && make` of this repository (venv installed), against the same at BASELINE, in this run."""
    def cold(tree: Path, out: Path) -> float:
        shutil.rmtree(out, ignore_errors=True)
        python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
        env = {"PYTHONPATH": str(tree), "LEAFLET_DB": str(WORK / "records.sqlite")}
        total = 0.0
        for command in (["build", "--out", str(out), "--tts", "espeak"], ["readability", "--write", "--out", str(out)],
                        ["index", "--out", str(out)]):
            elapsed, _ = timed([python, "-m", "pipeline.cli", *command], cwd=tree, env=env)
            total += elapsed
        return total

    ours = cold(ROOT, WORK / "make-now")
    baseline = WORK / "baseline"
    shutil.rmtree(baseline, ignore_errors=True)
    made = subprocess.run(["git", "worktree", "add", "--force", "--detach", str(baseline), BASELINE], cwd=ROOT,
                          capture_output=True, text=True)
    if made.returncode != 0:
        return [("cold `make` of this repository", f"{ours:.1f} s (no baseline: {made.stderr.strip()[:80]})")]
    try:
        before = cold(baseline, WORK / "make-before")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, capture_output=True)
    return [("cold `make` of this repository (3 leaflets x 4 languages, every format, venv installed)",
             f"{ours:.1f} s vs {before:.1f} s at {BASELINE} (one process, one LibreOffice per PDF): "
             f"**{ours / before:.2f}** of it (target at most 0.5)")]


def pdf_rows(sources: list[str]) -> list[tuple[str, str]]:
    """Large-print PDF per leaflet with LibreOffice, warm (a first run has read it from disk)."""
    if not shutil.which("soffice"):
        return [("large-print PDF per leaflet", "LibreOffice not installed")]
    out = WORK / "pdf"
    shutil.rmtree(out, ignore_errors=True)
    few = sources[:24]
    base = [*LEAFLET, "build", "-q", "--format", "large-print-pdf", "--out", str(out), *few]
    timed(base[:-len(few)] + few[:2])  # warm: LibreOffice's files in the page cache
    elapsed, _ = timed([*base, "--force"])
    return [("large-print PDF per leaflet (LibreOffice), warm",
             f"{elapsed / len(few):.2f} s a leaflet over {len(few)} leaflets, whole build (target at most 0.3 s)")]


def make_library(count: int) -> Path:
    """A project folder of ``count`` leaflets (the three Markdown and text examples under new codes) with
    their Polish, Welsh and Urdu catalogues: the library of issue #32.  Returns the folder."""
    library = WORK / "library"
    shutil.rmtree(library, ignore_errors=True)
    (library / "leaflets").mkdir(parents=True)
    shutil.copytree(ROOT / "locales", library / "locales", ignore=shutil.ignore_patterns("*.po", "*.pot", "*.mo"))
    for locale in ("pl", "cy", "ur"):
        (library / "locales" / locale / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "locales" / locale / "LC_MESSAGES" / "labels.po",
                    library / "locales" / locale / "LC_MESSAGES" / "labels.po")
    (library / "locales" / "LINGUAS").write_text("pl\ncy\nur\n", encoding="utf-8")
    examples = [p for p in sorted((ROOT / "leaflets").iterdir()) if p.suffix in (".md", ".txt")]
    for n in range(1, count + 1):
        example = examples[n % len(examples)]
        old = example.name.split("-")[0]
        new = f"LIB_{n:04d}"
        text = example.read_text(encoding="utf-8").replace(old, new).replace(old.replace("_", "\\_"), new)
        (library / "leaflets" / example.name.replace(old, new)).write_text(text, encoding="utf-8")
        for locale in ("pl", "cy", "ur"):
            po = ROOT / "locales" / locale / "LC_MESSAGES" / f"{old}.po"
            if po.exists():
                (library / "locales" / locale / "LC_MESSAGES" / f"{new}.po").write_text(
                    po.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return library


def library_rows(count: int, cores: int) -> list[tuple[str, str]]:
    """First build, no-op, one edit and ``--verify`` on a library of ``count`` leaflets in four languages
    (text, DOCX, HTML), the no-op against ``find output -newer`` over the same tree."""
    library = make_library(count)
    formats = [arg for name in ("text", "docx", "html") for arg in ("-f", name)]
    command = [*LEAFLET, "build", "-q", *formats]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    memory = Memory()
    first, err = timed(command, cwd=library, memory=memory, env=env)
    files = built_count(err)
    timed(command, cwd=library, env=env)  # files just written are hashed once more (racy), then trusted
    time.sleep(2.1)
    timed(command, cwd=library, env=env)
    runs = []
    for _ in range(3):  # the median of three: one run can meet the page cache cold
        elapsed, err = timed(command, cwd=library, env=env)
        assert built_count(err) == 0, err
        runs.append(elapsed)
    noop = sorted(runs)[1]
    stamp = library / "output" / ".cache" / "stat.json"
    find, _ = timed(["find", "output", "-newer", str(stamp)], cwd=library)
    verify, _ = timed([*command, "--verify"], cwd=library, env=env)
    # The desk: one request, reading only the leaflet asked for, against reading every leaflet to find it
    # (what it does when the build's index is missing or cannot be trusted).
    desk = {**env, "LEAFLET_DB": str(WORK / "library-records.sqlite")}
    ask = [*LEAFLET, "request", "LIB_0500", "--format", "text", "--ref", "B-1"]
    indexed, _ = timed(ask, cwd=library, env=desk)
    index = library / "output" / ".sources.json"
    index.rename(index.with_suffix(".aside"))
    try:
        unindexed, _ = timed(ask, cwd=library, env=desk)
    finally:
        index.with_suffix(".aside").rename(index)
    edited = next((library / "leaflets").glob("LIB_0002-*"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("hours", "hours.", 1), encoding="utf-8")
    edit, err = timed(command, cwd=library, env=env)
    return [
        (f"library: {count} leaflets x 4 languages, first build (text, docx, html)",
         f"{first:.1f} s, {files} files, peak {memory.peak_mb:.0f} MB, {cores} worker processes"),
        ("library: no-op build (stat trusted; median of 3)", f"{noop:.2f} s; `find output -newer` over the same tree "
         f"{find:.2f} s: **{noop / max(find, 0.001):.1f}x** (target at most 1 s, or 3x)"),
        ("library: no-op with --verify (every file hashed)", f"{verify:.2f} s: {verify / noop:.1f}x the no-op"),
        ("library: a request at the desk (`leaflet request LIB_0500 --format text`)",
         f"{indexed:.2f} s reading the one leaflet, against {unindexed:.2f} s reading all {count} to find it: "
         f"**{unindexed / indexed:.1f}x** faster"),
        ("library: one leaflet edited", f"{edit:.2f} s, {built_count(err)} files rebuilt (target at most 1.5 s)"),
    ]


EVERY_FORMAT = ("text", "docx", "large-print", "giant-print", "large-print-pdf", "html", "braille", "epub", "audio")


def format_rows(library: Path, sample: int, cores: int, target: tuple[int, int] = (1000, 10)) -> list[tuple[str, str]]:
    """First build of each format on its own for ``sample`` leaflets of the library in four languages:
    leaflet-locales per second per core, and from them a projected first build of ``target`` (leaflets,
    languages) in every format on 1, ``cores``, 8 and 32 cores."""
    sources = sorted(str(p.relative_to(library)) for p in (library / "leaflets").iterdir())[:sample]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rows: list[tuple[str, str]] = []
    seconds_each: dict[str, float] = {}
    for name in EVERY_FORMAT:
        out = WORK / "formats" / name
        shutil.rmtree(out, ignore_errors=True)
        elapsed, err = timed([*LEAFLET, "build", "-q", "-f", name, "--out", str(out), *sources], cwd=library, env=env)
        made = len({p.parent for p in out.rglob("manifest.json")})
        if made == 0 or "skipped" in err or " not made" in err:
            rows.append((f"first build, {name}", f"not made here: {err.strip().splitlines()[-1][:100]}"))
            continue
        seconds_each[name] = elapsed * cores / made  # core-seconds per leaflet-locale
        rows.append((f"first build, {name}: {made} leaflet-locales",
                     f"{elapsed:.1f} s: {made / elapsed / cores:.2f} leaflet-locales a second per core "
                     f"({seconds_each[name]:.2f} core-s each)"))
    leaflets, languages = target
    items = leaflets * languages
    total = sum(seconds_each.values()) * items
    done = ", ".join(f"{n} cores {total / n / 3600:.1f} h" for n in sorted({1, cores, 8, 32}))
    rows.append((f"projected first build: {leaflets:,} leaflets x {languages} languages x every format above",
                 f"{total / 3600:.1f} core-hours: {done} (sum of the per-format costs x {items:,} "
                 "leaflet-locales; each format measured alone, so its reading of the sources is counted once per "
                 "format and the speech cache is not shared between audio and e-book: an upper bound)"))
    return rows


def cluster_rows(library: Path, sample: int, cores: int) -> list[tuple[str, str]]:
    """The same build with ``--jobs N`` and on a Dask cluster of N one-thread workers on this machine."""
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        return [("cluster", "Dask not installed")]
    sources = sorted(str(p.relative_to(library)) for p in (library / "leaflets").iterdir())[:sample]
    formats = [arg for name in ("text", "docx", "html", "braille") for arg in ("-f", name)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    local_out, cluster_out = WORK / "cluster-local", WORK / "cluster-dask"
    for out in (local_out, cluster_out):
        shutil.rmtree(out, ignore_errors=True)
    local, _ = timed([*LEAFLET, "build", "-q", *formats, "--out", str(local_out), *sources], cwd=library, env=env)
    file = WORK / "scheduler.json"
    file.unlink(missing_ok=True)
    logs = open(WORK / "cluster.log", "wb")  # noqa: SIM115
    started = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(file)], stdout=logs, stderr=logs, start_new_session=True,
                                env=env)]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip().endswith("}"):
            if time.monotonic() > deadline:
                return [("cluster", "the scheduler did not start")]
            time.sleep(0.1)
        import json

        address = json.loads(file.read_text())["address"]
        for _ in range(cores):
            started.append(subprocess.Popen([str(dask), "worker", "--scheduler-file", str(file), "--nthreads", "1",
                                             "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"], stdout=logs,
                                            stderr=logs, start_new_session=True, env=env))
        from distributed import Client

        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(cores, timeout=60)
        dask_time, err = timed([*LEAFLET, "build", "-q", *formats, "--out", str(cluster_out), "--cluster", address,
                                *sources], cwd=library, env=env)
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        logs.close()
    files = built_count(err)
    return [(f"cluster: {len(sources)} leaflets x 4 languages (text, docx, html, braille), {cores} local workers",
             f"{dask_time:.1f} s on the cluster vs {local:.1f} s with --jobs {cores}: **{dask_time / local:.2f}x** "
             f"({files} files; the overhead of sending models and files through the scheduler)")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leaflets", type=int, default=200)
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the cold make at the old commit")
    parser.add_argument("--import-only", action="store_true", help="only the `leaflet import` rows")
    parser.add_argument("--library", type=int, default=1000, help="Word leaflets for the import rows")
    parser.add_argument("--library-only", type=int, metavar="N",
                        help="only the library rows: N leaflets in four languages (make bench LIBRARY=999)")
    parser.add_argument("--sample", type=int, default=8,
                        help="leaflets of the library each format is timed on for the projection (default 8)")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    if args.import_only:
        _print(import_rows(args.library, cores), cores)
        return 0
    if args.library_only:
        rows = library_rows(args.library_only, cores)
        library = WORK / "library"
        rows.extend(cluster_rows(library, min(200, args.library_only), cores))
        rows.extend(format_rows(library, min(args.sample, args.library_only), cores))
        _print(rows, cores)
        return 0
    corpus = make_corpus(args.leaflets)
    out = WORK / "out"
    shutil.rmtree(out, ignore_errors=True)
    sources = [str(p) for p in corpus]
    rows: list[tuple[str, str]] = []

    # Every document format but the LibreOffice PDF, which is measured on its own below.
    every = [arg for name in ("text", "docx", "large-print", "giant-print", "html") for arg in ("-f", name)]
    memory = Memory()
    full, err = timed([*LEAFLET, "build", "-q", *every, "--out", str(out), *sources], memory=memory)
    files = built_count(err)
    noop, err = timed([*LEAFLET, "build", "-q", *every, "--out", str(out), *sources])
    assert built_count(err) == 0, err
    edited = corpus[len(corpus) // 2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("hours", "hours.", 1), encoding="utf-8")
    edit, err = timed([*LEAFLET, "build", "-q", *every, "--out", str(out), *sources])
    rebuilt = built_count(err)

    rows.append(("leaflets in corpus", f"{len(corpus)}"))
    rows.append(("full build (text, docx, large-print, giant-print, html)", f"{full:.2f} s, {files} files, "
                 f"{len(corpus) / full:.1f} leaflets/s, {cores} worker processes"))
    rows.append(("peak memory of that build, all processes (sum of PSS)",
                 f"{memory.peak_mb:.0f} MB (target under 300 MB)"))
    rows.append(("no-op rebuild", f"{noop:.3f} s: full build / no-op = **{full / noop:.0f}x** (target 50x)"))
    rows.append(("rebuild after editing one leaflet",
                 f"{edit:.3f} s, {rebuilt} files rebuilt (one leaflet's formats)"))

    docx_out = WORK / "docx"
    shutil.rmtree(docx_out, ignore_errors=True)
    timed([*LEAFLET, "build", "-q", "--format", "docx", "--out", str(docx_out), *sources])
    ours, _ = timed([*LEAFLET, "build", "-q", "--format", "docx", "--force", "--out", str(docx_out), *sources])
    one, _ = timed([*LEAFLET, "build", "-q", "--format", "docx", "--force", "--jobs", "1", "--out", str(docx_out),
                    *sources])
    rows.extend(pandoc_rows(corpus, ours, cores))
    rows.append(("the same DOCX build in one process (`--jobs 1`)", f"{one:.2f} s: {one / ours:.2f}x the time of "
                 f"{cores} workers"))
    large_out = WORK / "large"
    shutil.rmtree(large_out, ignore_errors=True)
    large, _ = timed([*LEAFLET, "build", "-q", "--format", "large-print", "--out", str(large_out), *sources])
    rows.append((f"large-print DOCX vs standard DOCX (whole build, {len(corpus)} leaflets)",
                 f"{large:.2f} s vs {ours:.2f} s: ratio {large / ours:.2f}"))
    rows.extend(pdf_rows(sources))
    if not args.skip_baseline:
        rows.extend(cold_make_rows())

    rows.extend(readability_rows())
    rows.extend(audio_rows())
    rows.extend(voice_rows())
    rows.extend(import_rows(args.library, cores))
    _print(rows, cores)
    return 0


def _print(rows: list[tuple[str, str]], cores: int) -> None:
    print(f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print()
    print("| measure | result |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    sys.exit(main())
