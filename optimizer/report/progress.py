"""Progress of a run while it happens: phase, elapsed time, and the solver's incumbent and gap.

``run_scenario(..., progress=callback)`` calls ``callback(phase=..., **info)``: phases building,
solving (with rows/columns/non-zeros, then incumbent/bound/gap as HiGHS reports them from its
MIP callback), checking and done. On a terminal the callback drives a rich live line on stderr
that disappears when the run ends; elsewhere (CI logs, pipes) it prints one line per phase and
at most one incumbent line a second, so logs stay short. stdout is never touched, so ``--json``
output stays clean.

    >>> with run_progress(label="Tiny · base") as progress:
    ...     plan = run_scenario(scenario, settings, progress=progress)
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator

from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from optimizer.report.i18n import format_number, format_percent, translator
from optimizer.text import printable_line

INCUMBENT_LINE_INTERVAL = 1.0  # seconds between incumbent lines in plain (non-terminal) output
SIZE_FIELDS = ("rows", "columns", "nonzeros")


def _finite(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class ProgressState:
    """What is known about the run so far; written by the solver thread, read by the display."""

    def __init__(self, label: str = "", lang: str = "en"):
        self.label = printable_line(label)  # printed as plain text (Text, markup=False)
        self.lang = lang  # the report language (--lang): the words and the numbers
        self._t = translator(lang)
        self.started = time.perf_counter()
        self.phase = "starting"
        self.size = ""
        self.incumbent: float | None = None
        self.bound: float | None = None
        self.gap: float | None = None
        self.events = 0
        self._lock = threading.Lock()

    def update(self, phase: str, **info) -> bool:
        """Record an event; True when the phase changed."""
        with self._lock:
            self.events += 1
            changed = phase != self.phase
            self.phase = phase
            if "rows" in info:
                self.size = self._t(
                    "progress_size",
                    **{k: format_number(info[k], 0, self.lang) for k in SIZE_FIELDS},
                )
            if "incumbent" in info:
                self.incumbent = _finite(info.get("incumbent"))
                self.bound = _finite(info.get("bound"))
                self.gap = _finite(info.get("gap"))
            return changed

    def phase_word(self) -> str:
        key = f"progress_{self.phase}"
        word = self._t(key)
        return self.phase if word == key else word  # a phase without words: its own name

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def describe(self) -> str:
        with self._lock:
            t, lang = self._t, self.lang
            parts = [
                f"{format_number(self.elapsed, 1, lang):>6} s  ",
                f"{self.label}  " if self.label else "",
                self.phase_word(),
            ]
            if self.phase == "solving":
                if self.incumbent is not None:
                    parts.append(
                        f"  {t('progress_incumbent')} {format_number(self.incumbent, 1, lang)}"
                    )
                if self.bound is not None:
                    parts.append(f"  {t('progress_bound')} {format_number(self.bound, 1, lang)}")
                if self.gap is not None and self.incumbent is not None:
                    parts.append(f"  {t('progress_gap')} {format_percent(self.gap, 2, lang)}")
                if self.incumbent is None and self.size:
                    parts.append(f"  ({self.size})")
            return "".join(parts)


class LiveProgress:
    """A rich live line on a terminal: spinner, phase, elapsed time, incumbent, bound, gap."""

    def __init__(self, console: Console, label: str = "", lang: str = "en"):
        self.state = ProgressState(label, lang)
        self.spinner = Spinner("dots", text="")
        self.live = Live(
            console=console,
            transient=True,
            refresh_per_second=8,
            redirect_stdout=False,
            redirect_stderr=False,
            get_renderable=self._render,
        )

    def _render(self):
        self.spinner.update(text=Text(self.state.describe(), style="dim"))
        return self.spinner

    def __call__(self, phase: str, **info) -> None:
        self.state.update(phase, **info)

    def __enter__(self) -> LiveProgress:
        self.live.start()
        return self

    def __exit__(self, *exc) -> None:
        self.live.stop()


class LineProgress:
    """Plain lines for logs: one per phase, incumbent lines at most once a second."""

    def __init__(self, console: Console, label: str = "", lang: str = "en"):
        self.console = console
        self.state = ProgressState(label, lang)
        self._last_incumbent_line = 0.0
        self._last_incumbent: float | None = None

    def __call__(self, phase: str, **info) -> None:
        changed = self.state.update(phase, **info)
        now = time.perf_counter()
        if "incumbent" in info:
            incumbent = self.state.incumbent
            if incumbent is None or incumbent == self._last_incumbent:
                return
            if now - self._last_incumbent_line < INCUMBENT_LINE_INTERVAL:
                return
            self._last_incumbent_line, self._last_incumbent = now, incumbent
        elif not changed:
            return
        self.console.print(self.state.describe(), style="dim", markup=False, highlight=False)


@contextlib.contextmanager
def run_progress(
    *,
    enabled: bool = True,
    label: str = "",
    console: Console | None = None,
    terminal_only: bool = False,
    lang: str = "en",
) -> Iterator[LiveProgress | LineProgress | None]:
    """Yield a progress callback for ``run_scenario`` (None when disabled).

    ``terminal_only``: show the live line on a terminal but print nothing to a pipe or log
    (``--json`` runs: scripts read stdout and should not find progress lines in stderr either).
    ``lang``: the report language of the command (``--lang``), for the words and the numbers.
    """
    console = console or Console(stderr=True, highlight=False)
    if not enabled:
        yield None
        return
    if console.is_terminal:
        with LiveProgress(console, label, lang) as progress:
            yield progress
        return
    if terminal_only:
        yield None
        return
    yield LineProgress(console, label, lang)
