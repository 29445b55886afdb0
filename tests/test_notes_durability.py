"""Notes survive ``kill -9`` and a second copy of the app writing at the same time.

These run real child processes (tests/processes/note_writer.py), because a crash
and a second process are exactly what in-process tests cannot imitate.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from reader.notes import NoteStore

WRITER = Path(__file__).parent / "processes" / "note_writer.py"
KILL_ROUNDS = 20


def _start_writer(db: Path, name: str, count: int, expected_total: int | None = None) -> subprocess.Popen[str]:
    arguments = [sys.executable, str(WRITER), str(db), name, str(count)]
    if expected_total is not None:
        arguments.append(str(expected_total))
    return subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _saved_ids(output: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines() if line.startswith("saved ")]


def test_notes_reported_saved_survive_sigkill_at_random_moments(data_dir):
    db = data_dir / "notes.sqlite3"
    seed = random.randrange(1_000_000)
    chooser = random.Random(seed)
    reported: set[str] = set()
    killed_while_writing = 0
    for round_number in range(KILL_ROUNDS):
        writer = _start_writer(db, f"round{round_number}", count=0)
        # Anywhere from start-up (opening, checking, migrating) to mid-stream.
        time.sleep(chooser.uniform(0.0, 0.6))
        os.kill(writer.pid, signal.SIGKILL)
        output, errors = writer.communicate(timeout=10)
        assert writer.returncode == -signal.SIGKILL, (seed, errors)
        assert "Traceback" not in errors, (seed, errors)
        ids = _saved_ids(output)
        killed_while_writing += bool(ids)
        reported.update(ids)

    assert killed_while_writing >= KILL_ROUNDS // 2, f"too few kills landed mid-stream (seed {seed})"
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], seed
        stored = {row[0] for row in connection.execute("SELECT id FROM notes WHERE deleted IS NULL")}
    finally:
        connection.close()
    missing = reported - stored
    assert not missing, f"{len(missing)} notes reported saved were lost (seed {seed})"
    store = NoteStore(db)  # and the app can still open it for writing
    try:
        assert not store.read_only, store.read_only_reason
        assert len(store.all()) == len(stored) >= len(reported) > 0
    finally:
        store.close()


def test_two_processes_writing_at_once_lose_nothing_and_see_everything(data_dir):
    db = data_dir / "notes.sqlite3"
    NoteStore(db).close()  # created first, as by whichever copy started first
    per_writer = 60
    writers = [_start_writer(db, name, per_writer, expected_total=2 * per_writer) for name in ("one", "two")]
    outputs = []
    for writer in writers:
        output, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        outputs.append(output)

    saved = [set(_saved_ids(output)) for output in outputs]
    assert [len(ids) for ids in saved] == [per_writer, per_writer]
    everything = saved[0] | saved[1]
    assert len(everything) == 2 * per_writer
    for output in outputs:  # each copy sees its own notes and the other's
        (seen_line,) = [line for line in output.splitlines() if line.startswith("seen ")]
        assert set(seen_line.split()[1:]) == everything
    store = NoteStore(db)
    try:
        bodies = sorted(note.body for note in store.all())
        assert bodies == sorted(f"{name} note {n}" for name in ("one", "two") for n in range(per_writer))
    finally:
        store.close()
