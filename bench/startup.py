"""Start-up time to the first rendered screen, in a real terminal (tmux, 140x45).

Two commands are timed, interleaved (A, B, A, B, ...) so they share the noise:

  reader  ``iatse-reader --data-dir <tmp>`` on the bundled documents, index built
          beforehand; painted when the document list shows "IATSE: Kill the Proposal!"
          (or its border says "Documents (5)": both are drawn by the same call, and
          the title can come out truncated when the rows arrive before the list's
          first layout)
  blank   a blank Textual app (Header, Static("ready"), Footer) run by this Python;
          painted when "ready" shows

Each run: start a tmux session with the command, poll ``capture-pane`` every
~10 ms until the marker is on screen, record the time since the launch, quit
the app.  The absolute numbers depend on the machine; the figure to watch is the
ratio reader/blank of the medians.

    python -m bench.startup [--runs 7]      (from the repository root)
    python bench/startup.py [--runs 7]

Prints a table and writes bench/out/startup.json.
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
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/startup.py`
    sys.path.insert(0, str(REPO))

from bench.common import write_report  # noqa: E402
DEFAULT_OUT = REPO / "bench" / "out" / "startup.json"
WIDTH, HEIGHT = 140, 45
LAUNCH_TIMEOUT = 60.0
EXIT_TIMEOUT = 10.0

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
    samples: list[float] = field(default_factory=list)
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
                    f"{' or '.join(map(repr, markers))} not on screen {LAUNCH_TIMEOUT:.0f}s after launching {command}; last screen:\n{screen}"
                )
            time.sleep(poll)

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each command (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each command first (default 1)")
    parser.add_argument("--poll", type=float, default=0.01, help="seconds between screen captures (default 0.01)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT.relative_to(REPO)})")
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")

    textual_version = _textual_version()
    command = reader_command()
    with tempfile.TemporaryDirectory(prefix="iatse-bench-") as temp:
        workdir = Path(temp)
        data_dir = workdir / "data"
        blank_app = workdir / "blank_app.py"
        blank_app.write_text(BLANK_APP, encoding="utf-8")

        # Build the index first, so the timed runs measure a normal start, not a first one.
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        built = subprocess.run(
            [str(command), "index", "--data-dir", str(data_dir)], capture_output=True, text=True, env=env
        )
        if built.returncode != 0:
            raise SystemExit(f"bench/startup.py: building the index failed:\n{built.stdout}{built.stderr}")

        subjects = [
            Subject(
                "reader", [str(command), "--data-dir", str(data_dir)],
                ("IATSE: Kill the Proposal!", "Documents (5)"), "q",
            ),
            Subject("blank", [sys.executable, str(blank_app)], ("ready",), "q"),
        ]
        tmux = Tmux(workdir)
        try:
            total = arguments.warmup + arguments.runs
            for run in range(total):
                timed = run >= arguments.warmup
                for subject in subjects:  # interleaved: A, B, A, B, ...
                    session = f"{subject.name}-{run}"
                    elapsed, marker = tmux.time_to_marker(session, subject.argv, subject.markers, arguments.poll)
                    tmux.close(session, subject.quit_key)
                    fallback = marker != subject.markers[0]
                    if timed:
                        subject.samples.append(elapsed)
                        subject.fallbacks += fallback
                    label = f"run {run - arguments.warmup + 1}/{arguments.runs}" if timed else "warm-up"
                    note = f"  (matched {marker!r})" if fallback else ""
                    print(f"  {label:>9}  {subject.name:<6}  {elapsed * 1000:7.0f} ms{note}", file=sys.stderr)
            tmux_version = tmux.version()
        finally:
            tmux.kill_server()

    reader = subjects[0]
    summaries = {subject.name: subject.summary() for subject in subjects}
    ratio = summaries["reader"]["median_s"] / summaries["blank"]["median_s"]
    worst_ratio = summaries["reader"]["worst_s"] / summaries["blank"]["worst_s"]

    print()
    print(f"Start-up to first rendered screen, tmux {WIDTH}x{HEIGHT}, {arguments.runs} runs each (interleaved)")
    print(f"{'command':<8} {'median':>9} {'worst':>9} {'best':>9}")
    for subject in subjects:
        summary = summaries[subject.name]
        print(
            f"{subject.name:<8} {summary['median_s'] * 1000:>6.0f} ms {summary['worst_s'] * 1000:>6.0f} ms "
            f"{summary['best_s'] * 1000:>6.0f} ms"
        )
    print(f"ratio reader/blank: median {ratio:.2f}x, worst {worst_ratio:.2f}x")
    if reader.fallbacks:
        print(
            f"note: in {reader.fallbacks} of {arguments.runs} reader runs the list was painted without the "
            f"full title {reader.markers[0]!r} (rows added before the list's first layout)"
        )

    payload = {
        "benchmark": "startup",
        "measured": "seconds from `tmux new-session <command>` until capture-pane shows the marker",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "runs": arguments.runs,
        "warmup": arguments.warmup,
        "poll_s": arguments.poll,
        "terminal": {"width": WIDTH, "height": HEIGHT, "tmux": tmux_version, "TERM": "xterm-256color"},
        "python": sys.version.split()[0],
        "textual": textual_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "results": summaries,
        "ratio_reader_over_blank": {"median": ratio, "worst": worst_ratio},
    }
    write_report(arguments.out, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
