"""Limits that keep a bad file from hanging or exhausting the reader.

* :class:`Deadline`: extractors check it between pages, chapters and parts, so a
  file that takes too long is given up on the way, on any thread.
* :func:`time_limit`: an interval timer (``SIGALRM``) that interrupts Python code
  stuck inside one step (a pathological regex, a huge HTML tree).  Signals reach
  only the main thread of a process: the build's worker processes run each file
  there, and so does the command line; in the app's thread workers only the
  cooperative :class:`Deadline` applies.  A hang inside one C call (PDFium) is
  interrupted by neither; the build's worker pool is then what holds it.
* :func:`read_member`: reads a zip member without trusting the sizes the archive
  declares, so a zip bomb is stopped at :data:`MAX_UNCOMPRESSED_BYTES`.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from reader.corpus import UnreadableDocument

#: Environment variable that sets :data:`SECONDS_PER_FILE` (it reaches the build's
#: worker processes, which import this module afresh).
SECONDS_ENV = "IATSE_READER_EXTRACT_SECONDS"


def _seconds_from_environment(default: float = 60.0) -> float:
    try:
        value = float(os.environ.get(SECONDS_ENV, default))
    except ValueError:
        return default
    return value if value > 0 else default


#: Seconds one file may take to extract before it is skipped.
SECONDS_PER_FILE = _seconds_from_environment()
#: Uncompressed bytes read from one archive (DOCX, ODT, EPUB) at most.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
_READ_CHUNK = 1024 * 1024


class TookTooLong(UnreadableDocument):
    """Extraction ran past the time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s to read; skipped")


class Deadline:
    """A point in time after which an extraction gives up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self._ends:
            raise TookTooLong(self.seconds)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TookTooLong` in the block once *seconds* have passed, where
    signals allow it (the main thread, on a system with ``setitimer``); elsewhere
    a no-op (see the module docstring).  An interval timer someone else set is
    left alone."""
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
    if not usable:
        yield
        return

    def on_alarm(_signum: int, _frame: object) -> None:
        raise TookTooLong(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Budget:
    """Uncompressed bytes an archive's reads may still take (see :func:`read_member`)."""

    def __init__(self, limit: int | None = None) -> None:
        self.left = MAX_UNCOMPRESSED_BYTES if limit is None else limit


def read_member(archive: zipfile.ZipFile, name: str, budget: Budget, deadline: Deadline) -> bytes:
    """The bytes of member *name*, reading in chunks so a member that inflates past
    the *budget* (whatever its header claims) is stopped early."""
    chunks: list[bytes] = []
    try:
        with archive.open(name) as member:
            while chunk := member.read(_READ_CHUNK):
                budget.left -= len(chunk)
                if budget.left < 0:
                    raise UnreadableDocument(
                        f"expands to more than {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB"
                        " (a zip bomb?); skipped")
                chunks.append(chunk)
                deadline.check()
    except KeyError as error:
        raise UnreadableDocument(f"damaged archive: {name} is missing") from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise UnreadableDocument(f"damaged archive ({error})") from error
    except RuntimeError as error:  # an encrypted member
        raise UnreadableDocument("password-protected") from error
    return b"".join(chunks)


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """*data* as a zip archive, or a clear reason it is not one."""
    import io

    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise UnreadableDocument(f"not a readable {what} (damaged or not a zip archive)") from error
