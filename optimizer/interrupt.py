"""Ctrl-C and SIGTERM: honoured within a second or two in every phase, nothing left behind.

The command line installs one handler for SIGINT and SIGTERM (``handled``). It sets the
module-level ``interrupted`` event and raises ``KeyboardInterrupt`` in the main thread, so
Python code (loading, building, writing reports) unwinds at once and every ``with`` block
removes what it had started (temporary results folders, solver files). Work that runs outside
Python watches the event instead: HiGHS through its interrupt callbacks, CBC (a child process)
and explain's worker processes are killed and reaped by the code that started them
(``optimizer.solve``, ``optimizer.explain``).

Only the first signal raises: a second Ctrl-C while the first is being cleaned up would
otherwise break off the clean-up itself and leave a ``.partial`` folder behind. In case the
clean-up hangs, the process ends anyway ``GRACE_SECONDS`` after the first signal.

Exit codes (README, "Status and exit codes"): 130 after SIGINT, 143 after SIGTERM (128 + the
signal number, as shells report a process ended by that signal).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

from optimizer.errors import EXIT_INTERRUPTED, EXIT_TERMINATED

_HANDLED = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 10.0  # a clean-up that takes longer than this is cut short by os._exit

interrupted = threading.Event()  # set by the first SIGINT or SIGTERM; solver callbacks poll it
_received: int | None = None  # the first signal
_deferring = 0  # > 0 inside ``deferred()``: the KeyboardInterrupt waits until the block ends
_pending = False
_watchdog: threading.Timer | None = None


def _on_signal(signum: int, frame) -> None:
    global _received, _pending, _watchdog
    if interrupted.is_set():
        return  # the first signal is being honoured; let its clean-up finish
    _received = signum
    interrupted.set()
    _watchdog = threading.Timer(GRACE_SECONDS, _give_up)
    _watchdog.daemon = True
    _watchdog.start()
    if _deferring:
        _pending = True
        return
    raise KeyboardInterrupt


def _give_up() -> None:
    sys.stderr.write("Interrupted; clean-up did not finish in time.\n")
    sys.stderr.flush()
    os._exit(exit_code())


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """SIGINT and SIGTERM go to the handler inside the block (main thread only, as Python
    requires); the previous handlers come back after it, for callers that run the command line
    in their own process (tests)."""
    previous = {signum: signal.signal(signum, _on_signal) for signum in _HANDLED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def exit_code() -> int:
    """130 after SIGINT (or a KeyboardInterrupt from elsewhere), 143 after SIGTERM."""
    return EXIT_TERMINATED if _received == signal.SIGTERM else EXIT_INTERRUPTED


def check() -> None:
    """Raise ``KeyboardInterrupt`` if a signal came while code outside Python ran (or while a
    library swallowed the exception: PuLP has a bare ``except:``)."""
    if interrupted.is_set() and not _deferring:
        raise KeyboardInterrupt


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A few steps that must finish together (moving results into place): a signal that comes
    meanwhile is honoured right after the block, not inside it."""
    global _deferring, _pending
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if not _deferring and _pending:
        _pending = False
        raise KeyboardInterrupt


@contextlib.contextmanager
def held_back() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while worker processes are started: a worker inherits the
    mask and installs its own handling first (``ignore_in_worker``), and a signal that came
    meanwhile reaches this process as soon as the block ends (none is lost)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HANDLED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_in_worker() -> None:
    """For worker processes: Ctrl-C reaches the whole process group, but only the parent
    decides (it kills and reaps its workers); SIGTERM, which the parent sends to stop a
    worker, ends it at once even inside a solver."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HANDLED)


def reset() -> None:
    """Forget an earlier interrupt (tests that call the command line in-process)."""
    global _received, _pending, _watchdog
    if _watchdog is not None:
        _watchdog.cancel()
        _watchdog = None
    interrupted.clear()
    _received = None
    _pending = False
