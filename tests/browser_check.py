"""Open an HTML report in headless Chromium and report what a reader would see.

Chromium is driven over the Chrome DevTools protocol on ``--remote-debugging-pipe`` (fd 3 in,
fd 4 out, JSON messages ending in NUL): no selenium, no chromedriver, no websocket library,
and no version matching between a driver and the browser. One browser per test process
(started at the first page, closed at exit) and a fresh tab of it per page (its own DevTools
session, closed after the page; only that session's events count) give:

- every console error, uncaught exception and failed load (``Runtime``/``Log`` events),
- every network request that is not the file itself (a self-contained report makes none),
- the page's own self-check (``data-charts-ok`` on ``<body>``, set by the report's inline script),
- a full-page PNG screenshot and an A4 PDF (print layout), as test artefacts.

    >>> result = render("results/x/report.html", Path("tests/artifacts/report.png"))
    >>> result.errors, result.charts, result.charts_ok, result.pdf_pages
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# Screenshots and PDFs of the browser tests (git-ignored; CAPPLAN_TEST_ARTIFACTS overrides).
ARTIFACTS = Path(os.environ.get("CAPPLAN_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
PNG = b"\x89PNG\r\n\x1a\n"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",  # containers and CI runners have no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


def find_browser() -> str | None:
    override = os.environ.get("CAPPLAN_CHROMIUM")
    if override:
        return override if shutil.which(override) else None
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageResult:
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, failed loads
    external_requests: list[str] = field(default_factory=list)
    charts: int = 0
    charts_ok: int = 0
    chart_states: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # what the page's own check caught
    title: str = ""
    text: str = ""
    screenshot: Path | None = None
    pdf: Path | None = None
    pdf_pages: int = 0


def assert_clean(result: PageResult) -> None:
    """What a reader must see: no errors, no request leaving the file, every chart drawn, a
    drawn (not blank) screenshot and a PDF."""
    assert result.errors == []
    assert result.external_requests == []
    assert result.charts > 0
    assert result.charts_ok == result.charts, result.chart_states
    assert result.screenshot.read_bytes()[:8] == PNG
    assert result.screenshot.stat().st_size > 20_000  # a drawn page, not a blank one
    assert result.pdf.read_bytes()[:5] == b"%PDF-"


class DevToolsPipe:
    """A minimal DevTools client over Chromium's debugging pipe."""

    def __init__(self, browser: str, profile: Path, width: int, height: int):
        parent_read, child_write = os.pipe()  # browser -> us (its fd 4)
        child_read, parent_write = os.pipe()  # us -> browser (its fd 3)

        def place_pipe_fds() -> None:
            # Move both ends out of the way first, so dup2 onto 3 and 4 cannot clobber either.
            high_read = os.dup(child_read)
            high_write = os.dup(child_write)
            while high_read in (3, 4) or high_write in (3, 4):
                high_read, high_write = os.dup(high_read), os.dup(high_write)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        args = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=place_pipe_fds,  # noqa: PLW1509 (single-threaded at this point in tests)
            pass_fds=(3, 4) if _fd_open(3) and _fd_open(4) else (),
            close_fds=True,
        )
        os.close(child_read)
        os.close(child_write)
        self._writer = os.fdopen(parent_write, "wb", buffering=0)
        self._reader = os.fdopen(parent_read, "rb", buffering=0)
        self._next_id = 0
        self._responses: dict[int, dict] = {}
        self.events: queue.Queue[dict] = queue.Queue()
        self._cond = threading.Condition()
        self.stderr_lines: list[str] = []
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._stderr_loop, daemon=True).start()

    def _stderr_loop(self) -> None:
        for line in self.process.stderr:
            self.stderr_lines.append(line.decode(errors="replace").rstrip())

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            chunk = self._reader.read(65536)
            if not chunk:
                with self._cond:
                    self._cond.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._cond:
                        self._responses[message["id"]] = message
                        self._cond.notify_all()
                else:
                    self.events.put(message)

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict:
        self._next_id += 1
        message_id = self._next_id
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._writer.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while message_id not in self._responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise TimeoutError(
                        f"no answer to {method} within {timeout:g} s: "
                        + "\n".join(self.stderr_lines[-10:])
                    )
                self._cond.wait(remaining)
            response = self._responses.pop(message_id)
        if "error" in response:
            raise RuntimeError(f"{method}: {response['error']}")
        return response.get("result", {})

    def wait_for(
        self,
        method: str,
        timeout: float = 30.0,
        seen: list | None = None,
        session: str | None = None,
    ) -> dict:
        """The next event named ``method`` (of ``session`` when given); every event passed on
        the way goes to ``seen``."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {method} event within {timeout:g} s")
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if seen is not None:
                seen.append(event)
            if event.get("method") == method and session in (None, event.get("sessionId")):
                return event

    def drain(self, seen: list) -> None:
        while True:
            try:
                seen.append(self.events.get_nowait())
            except queue.Empty:
                return

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for handle in (self._writer, self._reader):
            try:
                handle.close()
            except OSError:
                pass


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _describe_event(event: dict) -> str | None:
    """An error worth failing a test for, in one line; None for everything else."""
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        text = details.get("exception", {}).get("description") or details.get("text")
        return f"exception: {text}"
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        args = " ".join(
            str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
        )
        return f"console.{params['type']}: {args}"
    if method == "Log.entryAdded":
        entry = params.get("entry", {})
        if entry.get("level") == "error":
            return (
                f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip()
            )
    if method == "Network.loadingFailed":
        return f"failed to load: {params.get('errorText')}"
    return None


_SHARED: dict[str, DevToolsPipe | str] = {}


def _shared_browser(browser: str) -> DevToolsPipe:
    """The test process's browser, started at its first page (about 1 s of every page when
    each page had its own browser)."""
    tools = _SHARED.get("tools")
    if isinstance(tools, DevToolsPipe) and tools.process.poll() is None:
        return tools
    _close_shared_browser()
    profile = tempfile.mkdtemp(prefix="capplan-chromium-")
    _SHARED["profile"] = profile
    _SHARED["tools"] = tools = DevToolsPipe(browser, Path(profile), 1280, 2000)
    return tools


def _close_shared_browser() -> None:
    tools, profile = _SHARED.pop("tools", None), _SHARED.pop("profile", None)
    if isinstance(tools, DevToolsPipe):
        tools.close()
    if isinstance(profile, str):
        shutil.rmtree(profile, ignore_errors=True)


atexit.register(_close_shared_browser)


def render(
    html_path: Path,
    screenshot: Path | None = None,
    pdf: Path | None = None,
    width: int = 1280,
    height: int = 2000,
    timeout: float = 30.0,
) -> PageResult:
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("chromium is not installed")
    html_path = Path(html_path).resolve()
    result = PageResult()
    tools = _shared_browser(browser)
    events: list[dict] = []
    try:
        target = tools.send("Target.createTarget", {"url": "about:blank"}, timeout=timeout)[
            "targetId"
        ]
        session = tools.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.send(f"{domain}.enable", session=session)
        tools.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        tools.send("Page.navigate", {"url": html_path.as_uri()}, session=session)
        tools.wait_for("Page.loadEventFired", timeout, events, session=session)
        state = _evaluate(
            tools,
            session,
            "JSON.stringify({checked: document.body.getAttribute('data-checked'),"
            " charts: document.body.getAttribute('data-charts'),"
            " ok: document.body.getAttribute('data-charts-ok'),"
            " errors: document.body.getAttribute('data-errors'),"
            " states: Array.from(document.querySelectorAll('figure.chart')).map("
            "   f => (f.getAttribute('data-chart') || '') + ':' + f.getAttribute('data-chart-ok')),"
            " title: document.title, text: document.body.innerText})",
        )
        info = json.loads(state)
        result.charts = int(info["charts"] or 0)
        result.charts_ok = int(info["ok"] or 0)
        result.chart_states = info["states"]
        result.page_errors = json.loads(info["errors"] or "[]")
        result.title = info["title"]
        result.text = info["text"]
        if info["checked"] != "yes":
            result.errors.append("the report's self-check did not run")
        if screenshot is not None:
            metrics = tools.send("Page.getLayoutMetrics", session=session)
            content = metrics.get("cssContentSize") or metrics.get("contentSize")
            full_height = int(min(max(content["height"], height), 20000))
            shot = tools.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": full_height, "scale": 1},
                },
                session=session,
                timeout=timeout,
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            result.screenshot = screenshot
        if pdf is not None:
            printed = tools.send(
                "Page.printToPDF",
                {
                    "paperWidth": 8.27,
                    "paperHeight": 11.69,
                    "printBackground": True,
                    "preferCSSPageSize": True,
                },
                session=session,
                timeout=timeout,
            )
            data = base64.b64decode(printed["data"])
            pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.write_bytes(data)
            result.pdf = pdf
            result.pdf_pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
        time.sleep(0.1)  # late console messages
        tools.drain(events)
        tools.send("Target.closeTarget", {"targetId": target}, timeout=timeout)
    except BaseException:
        _close_shared_browser()  # a browser in an unknown state serves no further page
        raise
    # a page's events only: late ones of earlier pages (closed tabs) carry their own session
    events = [event for event in events if event.get("sessionId") == session]
    page_url = html_path.as_uri()
    for event in events:
        if event.get("method") == "Network.requestWillBeSent":
            url = event.get("params", {}).get("request", {}).get("url", "")
            if url != page_url and not url.startswith(("data:", "about:")):
                result.external_requests.append(url)
        message = _describe_event(event)
        if message:
            result.errors.append(message)
    result.errors += [f"page: {e}" for e in result.page_errors]
    return result


def _evaluate(tools: DevToolsPipe, session: str, expression: str):
    answer = tools.send(
        "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session
    )
    if "exceptionDetails" in answer:
        raise RuntimeError(f"evaluate failed: {answer['exceptionDetails']}")
    return answer["result"]["value"]
