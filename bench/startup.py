"""Start-up time to the first rendered screen, in a real terminal (tmux, 140x45).

Commands are timed interleaved (A, B, A, B, ...) so they share the noise:

  reader  ``iatse-reader --data-dir <tmp>`` on the bundled documents, index built
          beforehand; painted when the document list shows "IATSE: Kill the Proposal!"
          (or its border says "Documents (5)": both are drawn by the same call, and
          the title can come out truncated when the rows arrive before the list's
          first layout)
  docs    with ``--docs DIR``: ``iatse-reader --docs DIR --data-dir <tmp>``, index built
          beforehand; painted when the list shows the first document's title (its
          first 20 characters) or "Documents (N)"
  blank   a blank Textual app (Header, Static("ready"), Footer) run by this Python;
          painted when "ready" shows

The reader's own modules are byte-compiled first (``compileall``), as ``pip install``
does and as Textual's modules already are: an editable install run with
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile them from source at every
start (~0.1 s on a 2-core machine) and the blank app would not pay that.

Each run: start a tmux session with the command, poll ``capture-pane`` every
~10 ms until the marker is on screen, record the time since the launch; then
(untimed) a reader searches (``/strike`` Enter, until "Results (" shows) and
the peak RSS of the app's process is read (VmHWM in /proc/<pane pid>/status);
then the app is quit.  The absolute numbers depend on the machine; the figure
to watch is the ratio reader/blank of the medians.

    python -m bench.startup [--runs 7] [--docs DIR]     (from the repository root)
    python bench/startup.py [--runs 7]

Prints a table and writes bench/out/startup.json.  ``python -m bench`` uses the
same machinery with the generated 10,000-document corpus.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/startup.py`
    sys.path.insert(0, str(REPO))

from bench.common import now, write_report  # noqa: E402

DEFAULT_OUT = REPO / "bench" / "out" / "startup.json"
WIDTH, HEIGHT = 140, 45
LAUNCH_TIMEOUT = 60.0
EXIT_TIMEOUT = 10.0
SEARCH_QUERY = "strike"
SEARCH_MARKER = "Results ("
SEARCH_FOCUSED_MARKER = "Clear search"  # the search bar's binding in the footer
BUNDLED_MARKERS = ("IATSE: Kill the Proposal!", "Documents (5)")

BLANK_APP = '''\
from textual.app import App
from textual.widgets import Footer, Header, Static


class BlankApp(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("ready")
        yield Footer()


if __name__ == "__main__":
    BlankApp().run()
'''

# Variables that would change how the apps or tmux behave if inherited.
_DROPPED_ENV = ("TMUX", "TMUX_PANE", "COLUMNS", "LINES", "NO_COLOR", "IATSE_READER_DOCS", "IATSE_READER_DATA_DIR")


@dataclass
class Subject:
    name: str
    argv: list[str]
    markers: tuple[str, ...]  # painted when any of these is on screen; the first is the main one
    quit_key: str
    search: str | None = None  # typed (untimed) after the paint, before the peak RSS is read
    samples: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)  # peak RSS of each timed run
    fallbacks: int = 0  # timed runs in which only a fallback marker showed

    def summary(self) -> dict[str, object]:
        return {
            "command": shlex.join(self.argv),
            "markers": list(self.markers),
            "runs_matched_by_fallback_marker": self.fallbacks,
            "median_s": statistics.median(self.samples),
            "worst_s": max(self.samples),
            "best_s": min(self.samples),
            "samples_s": self.samples,
            "peak_rss_after": f"search {self.search!r}" if self.search else "first paint",
            "peak_rss_mib": self.rss_mib,
        }


class Tmux:
    """A private tmux server (own socket, own config) kept alive by an idle session."""

    def __init__(self, workdir: Path) -> None:
        executable = shutil.which("tmux")
        if executable is None:
            raise SystemExit("bench/startup.py: tmux is required (apt-get install tmux)")
        self.executable = executable
        self.socket = f"iatse-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.config = workdir / "tmux.conf"
        self.config.write_text(
            "set -g remain-on-exit on\nset -g status off\nset -g history-limit 0\nset -sg escape-time 0\n",
            encoding="utf-8",
        )
        self.env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        self.run("new-session", "-d", "-s", "idle", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 86400")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.executable, "-u", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True, text=True, encoding="utf-8", errors="replace", env=self.env, timeout=30,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result

    def version(self) -> str:
        return subprocess.run([self.executable, "-V"], capture_output=True, text=True).stdout.strip()

    def time_to_marker(
        self, session: str, argv: list[str], markers: tuple[str, ...], poll: float
    ) -> tuple[float, str]:
        """Seconds from launching ``argv`` in a new session until one of ``markers``
        is on screen, and that marker."""
        command = shlex.join(["env", "TERM=xterm-256color", "COLORTERM=truecolor", *argv])
        start = time.perf_counter()
        self.run("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-s", session, command)
        return self.wait_for(session, markers, poll, start, f"launching {command}")

    def wait_for(
        self, session: str, markers: tuple[str, ...], poll: float, start: float | None = None, after: str = "",
    ) -> tuple[float, str]:
        """Poll the screen until one of ``markers`` shows: seconds since ``start``
        (default: now), and the marker."""
        start = time.perf_counter() if start is None else start
        screen = ""
        while True:
            captured = self.run("capture-pane", "-p", "-t", session, check=False)
            elapsed = time.perf_counter() - start
            if captured.returncode == 0:
                screen = captured.stdout
                for marker in markers:
                    if marker in screen:
                        return elapsed, marker
            if elapsed > LAUNCH_TIMEOUT:
                raise RuntimeError(
                    f"{' or '.join(map(repr, markers))} not on screen {LAUNCH_TIMEOUT:.0f}s after "
                    f"{after or 'waiting'}; last screen:\n{screen}"
                )
            time.sleep(poll)

    def type(self, session: str, text: str, *keys: str) -> None:
        """Type *text* literally, then press *keys* (tmux key names such as Enter)."""
        self.run("send-keys", "-t", session, "-l", text)
        if keys:
            self.run("send-keys", "-t", session, *keys)

    def peak_rss_mib(self, session: str) -> float:
        """VmHWM (peak resident set) of the session's process, in MiB.  The command
        runs under ``env``, which execs it: the pane's pid is the app's."""
        pid = self.run("display-message", "-p", "-t", session, "#{pane_pid}").stdout.strip()
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmHWM in /proc/{pid}/status")

    def close(self, session: str, quit_key: str) -> None:
        """Quit the app with its key and wait for it to end (kill the session anyway)."""
        self.run("send-keys", "-t", session, quit_key, check=False)
        deadline = time.monotonic() + EXIT_TIMEOUT
        while time.monotonic() < deadline:
            state = self.run("display-message", "-p", "-t", session, "#{pane_dead}", check=False)
            if state.returncode != 0 or state.stdout.strip() == "1":
                break
            time.sleep(0.05)
        self.run("kill-session", "-t", session, check=False)

    def kill_server(self) -> None:
        """Stop the private server and remove its socket (tmux leaves it behind)."""
        socket_path = self.run("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
        self.run("kill-server", check=False)
        if socket_path.endswith(self.socket):
            Path(socket_path).unlink(missing_ok=True)


def reader_command() -> Path:
    sibling = Path(sys.executable).parent / "iatse-reader"
    if sibling.exists():
        return sibling
    found = shutil.which("iatse-reader")
    if found is None:
        raise SystemExit(
            f"bench/startup.py: iatse-reader is not installed beside {sys.executable} or on PATH; "
            "run this with the Python of the environment the project is installed in"
        )
    return Path(found)


def _textual_version() -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import textual; print(textual.__version__)"], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"bench/startup.py: Textual is not importable by {sys.executable}: {result.stderr.strip()}")
    return result.stdout.strip()


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}


def index_with_cli(data_dir: Path, docs_dir: Path | None = None) -> None:
    """Build the index the way a user would (``iatse-reader index``), so the timed
    runs measure a normal start, not a first one."""
    argv = [str(reader_command()), "index", "--data-dir", str(data_dir)]
    if docs_dir is not None:
        argv += ["--docs", str(docs_dir)]
    built = subprocess.run(argv, capture_output=True, text=True, env=clean_env())
    if built.returncode != 0:
        raise SystemExit(f"bench/startup.py: building the index failed:\n{built.stdout}{built.stderr}")


def list_markers(docs_dir: Path) -> tuple[str, str]:
    """What the document list paints for *docs_dir*: the first document's title
    (its first 20 characters: the column truncates it) and the border "Documents (N)"."""
    from reader import corpus

    scan = corpus.scan(docs_dir)
    catalog = corpus.load_catalog(docs_dir)
    titles = []
    for entry in scan.files:
        try:
            titles.append(corpus.read_document(entry, catalog).title)
        except corpus.UnreadableDocument:
            continue
        break
    count = len(scan.files)  # the list counts readable documents; generated ones all are
    if not titles:
        raise SystemExit(f"bench/startup.py: no readable document in {docs_dir}")
    return titles[0][:20].rstrip(), f"Documents ({count})"


def reader_subject(name: str, data_dir: Path, markers: tuple[str, ...], docs_dir: Path | None = None) -> Subject:
    argv = [str(reader_command())]
    if docs_dir is not None:
        argv += ["--docs", str(docs_dir)]
    return Subject(name, [*argv, "--data-dir", str(data_dir)], markers, "q", search=SEARCH_QUERY)


def blank_subject(workdir: Path) -> Subject:
    blank_app = workdir / "blank_app.py"
    blank_app.write_text(BLANK_APP, encoding="utf-8")
    return Subject("blank", [sys.executable, str(blank_app)], ("ready",), "q")


def compile_reader() -> str:
    """Byte-compile the installed ``reader`` package (quietly; existing, current
    ``.pyc`` files are kept), so every start loads bytecode as after ``pip install``.
    Returns the package folder."""
    import compileall

    import reader

    package = Path(reader.__file__).resolve().parent
    compileall.compile_dir(package, quiet=2)
    return str(package)


def measure(
    subjects: list[Subject], runs: int, warmup: int, poll: float, workdir: Path, log=None,
) -> str:
    """Time each subject ``warmup + runs`` times, interleaved; fills their samples
    and peak RSS.  Returns the tmux version."""
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    compile_reader()
    tmux = Tmux(workdir)
    try:
        total = warmup + runs
        for run in range(total):
            timed = run >= warmup
            for subject in subjects:  # interleaved: A, B, A, B, ...
                session = f"{subject.name}-{run}"
                try:
                    elapsed, marker = tmux.time_to_marker(session, subject.argv, subject.markers, poll)
                    if subject.search:  # untimed: what the peak memory is measured after
                        # `/` moves the focus on the app's next turn: keys sent in the same
                        # burst would go to the list (as tests/e2e/test_tmux.py found).
                        tmux.type(session, "/")
                        tmux.wait_for(session, (SEARCH_FOCUSED_MARKER,), poll, after="pressing /")
                        tmux.type(session, subject.search, "Enter")
                        tmux.wait_for(session, (SEARCH_MARKER,), poll, after=f"searching {subject.search!r}")
                    rss = tmux.peak_rss_mib(session)
                finally:
                    tmux.close(session, subject.quit_key)
                fallback = marker != subject.markers[0]
                if timed:
                    subject.samples.append(elapsed)
                    subject.rss_mib.append(rss)
                    subject.fallbacks += fallback
                label = f"run {run - warmup + 1}/{runs}" if timed else "warm-up"
                note = f"  (matched {marker!r})" if fallback else ""
                log(f"  startup {label:>9}  {subject.name:<14} {elapsed * 1000:7.0f} ms  "
                    f"peak RSS {rss:6.1f} MiB{note}")
        return tmux.version()
    finally:
        tmux.kill_server()


def run_group(data, report, runs: int, warmup: int, poll: float = 0.01) -> None:
    """``python -m bench``'s start-up group: the reader on the generated corpus
    (``data.corpus``, index present in ``data.data_10k``) and on the bundled
    documents, and the blank app, interleaved.  Figures startup.{big,bundled,blank}
    and rss.{big,bundled,blank}."""
    from bench.common import Figure, log

    index_with_cli(data.data_bundled)
    markers = list_markers(data.corpus)
    subjects = [
        reader_subject("big", data.data_10k, markers, data.corpus),
        reader_subject("bundled", data.data_bundled, BUNDLED_MARKERS),
        blank_subject(data.work),
    ]
    tmux_version = measure(subjects, runs, warmup, poll, data.work, log=log)
    labels = {"big": f"iatse-reader, {markers[1].split('(')[1].rstrip(')')} generated documents",
              "bundled": "iatse-reader, 5 bundled documents", "blank": "blank Textual app"}
    for subject in subjects:
        report.add(f"startup.{subject.name}", Figure(f"start-up to first paint, {labels[subject.name]}", "s",
                                                     subject.samples))
        after = f"after searching {subject.search!r}" if subject.search else "at first paint"
        report.add(f"rss.{subject.name}", Figure(f"peak RSS {after}, {labels[subject.name]}", "MiB",
                                                 subject.rss_mib))
    report.details["startup"] = {
        "terminal": f"tmux {WIDTH}x{HEIGHT}", "tmux": tmux_version, "runs": runs, "warmup": warmup,
        "subjects": {subject.name: subject.summary() for subject in subjects},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each command first (default 1)")
    parser.add_argument("--poll", type=float, default=0.01, help="seconds between screen captures (default 0.01)")
    parser.add_argument("--docs", type=Path, help="also time the reader on this documents folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT.relative_to(REPO)})")
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")

    textual_version = _textual_version()
    with tempfile.TemporaryDirectory(prefix="iatse-bench-") as temp:
        workdir = Path(temp)
        data_dir = workdir / "data"
        index_with_cli(data_dir)
        subjects = [reader_subject("reader", data_dir, BUNDLED_MARKERS)]
        if arguments.docs is not None:
            docs_dir = arguments.docs.expanduser().resolve()
            index_with_cli(workdir / "data-docs", docs_dir)
            subjects.append(reader_subject("docs", workdir / "data-docs", list_markers(docs_dir), docs_dir))
        subjects.append(blank_subject(workdir))
        tmux_version = measure(subjects, arguments.runs, arguments.warmup, arguments.poll, workdir)

    summaries = {subject.name: subject.summary() for subject in subjects}
    blank = summaries["blank"]
    ratios = {
        name: {"median": summary["median_s"] / blank["median_s"], "worst": summary["worst_s"] / blank["worst_s"]}
        for name, summary in summaries.items() if name != "blank"
    }

    print()
    print(f"Start-up to first rendered screen, tmux {WIDTH}x{HEIGHT}, {arguments.runs} runs each (interleaved)")
    print(f"{'command':<8} {'median':>9} {'worst':>9} {'best':>9} {'peak RSS':>10}")
    for subject in subjects:
        summary = summaries[subject.name]
        print(
            f"{subject.name:<8} {summary['median_s'] * 1000:>6.0f} ms {summary['worst_s'] * 1000:>6.0f} ms "
            f"{summary['best_s'] * 1000:>6.0f} ms {statistics.median(subject.rss_mib):>6.1f} MiB"
        )
    for name, ratio in ratios.items():
        print(f"ratio {name}/blank: median {ratio['median']:.2f}x, worst {ratio['worst']:.2f}x")
    for subject in subjects:
        if subject.fallbacks:
            print(
                f"note: in {subject.fallbacks} of {arguments.runs} {subject.name} runs the list was painted "
                f"without the title {subject.markers[0]!r} (rows added before the list's first layout)"
            )

    payload = {
        "benchmark": "startup",
        "measured": "seconds from `tmux new-session <command>` until capture-pane shows the marker",
        "when": now(),
        "runs": arguments.runs,
        "warmup": arguments.warmup,
        "poll_s": arguments.poll,
        "terminal": {"width": WIDTH, "height": HEIGHT, "tmux": tmux_version, "TERM": "xterm-256color"},
        "python": sys.version.split()[0],
        "textual": textual_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "results": summaries,
        "ratio_reader_over_blank": ratios["reader"],
        "ratios_over_blank": ratios,
    }
    write_report(arguments.out, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
