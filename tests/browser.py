"""A real Chromium for the tests, driven over the DevTools protocol on a pipe: no WebDriver, no extra package.

``--remote-debugging-pipe`` makes Chromium read commands from its descriptor 3 and write answers and events
to its descriptor 4, each a JSON message ended by a NUL byte. ``Browser`` starts it headless with a fresh
profile, opens one page, and records what the page did: console errors, uncaught exceptions, failed loads
and every request's URL, so a test can hold a page to "no errors, nothing fetched from elsewhere".
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


_TRAMPOLINE = """
import fcntl, os, sys
# Copies above 4 first (inheritable, as F_DUPFD makes them), so that neither end is overwritten on its way.
commands, answers = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 5) for fd in sys.argv[1:3])
os.dup2(commands, 3)
os.dup2(answers, 4)
os.execv(sys.argv[3], sys.argv[3:])
"""


def chromium() -> str | None:
    """The Chromium on PATH (Debian's ``chromium``, or ``chromium-browser``/``google-chrome``), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(AssertionError):
    """Chromium answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium with one page; see the module's note."""

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.mkdtemp(prefix="ftz-reforms-chromium-")
        commands_read, self._commands = os.pipe()
        self._answers, answers_written = os.pipe()
        # A small trampoline puts the two pipe ends at 3 and 4, where Chromium looks for them, then becomes
        # Chromium (a shell cannot: dash redirects only descriptors 0 to 9).
        self.process = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(commands_read), str(answers_written), executable,
             *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            pass_fds=(commands_read, answers_written),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(commands_read)
        os.close(answers_written)
        self._next_id = 0
        self._lock = threading.Condition()
        self._answered: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.command(f"{domain}.enable")
        except BaseException:
            self.close()
            raise

    def _read(self) -> None:
        buffer = b""
        with open(self._answers, "rb", buffering=0) as answers:
            while True:
                chunk = answers.read(1 << 16)
                if not chunk:
                    break
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                with self._lock:
                    for raw in messages:
                        message = json.loads(raw)
                        if "id" in message:
                            self._answered[message["id"]] = message
                        else:
                            self.events.append(message)
                    self._lock.notify_all()

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:  # fmt: skip
        """Send one command (to the page when ``session`` is given) and wait for its answer's result."""
        with self._lock:
            self._next_id += 1
            number = self._next_id
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._lock:
            while number not in self._answered:
                left = deadline - time.monotonic()
                if left <= 0 or not self._lock.wait(left):
                    raise BrowserError(f"Chromium did not answer {method} in {timeout} s")
            answer = self._answered.pop(number)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def command(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to the page."""
        return self.send(method, params, session=self._session)

    def open(self, url: str, timeout: float = 30) -> None:
        """Load ``url`` in the page and wait for its load event; what earlier pages reported is forgotten."""
        with self._lock:
            self.events.clear()
        self.command("Page.navigate", {"url": url})
        self.wait_for_event("Page.loadEventFired", after=0, timeout=timeout)

    def wait_for_event(self, method: str, *, after: int, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for event in self.events[after:]:
                    if event.get("method") == method:
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BrowserError(f"no {method} in {timeout} s")
                self._lock.wait(left)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        answer = self.command(
            "Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True}
        )
        if "exceptionDetails" in answer:
            raise BrowserError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait_until(self, expression: str, timeout: float = 15) -> Any:
        """Evaluate ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"{expression} still false after {timeout} s")
            time.sleep(0.05)

    def press(self, key: str, code: str, key_code: int) -> None:
        """One key pressed and released, as a keyboard sends it (Tab: "Tab", "Tab", 9)."""
        for kind in ("keyDown", "keyUp"):
            self.command(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code},
            )

    def screen(self, width: int, height: int, *, mobile: bool = False) -> None:
        """The page's viewport, as a screen of that size shows it."""
        self.command(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def screenshot(self) -> bytes:
        return base64.b64decode(self.command("Page.captureScreenshot", {"format": "png"})["data"])

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads the page has reported so far."""
        found = []
        with self._lock:
            events = list(self.events)
        for event in events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')} {params['exceptionDetails']}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                found.append(f"failed load: {params.get('errorText')}")
        return found

    def requests(self) -> list[str]:
        """The URL of every request the page has made so far."""
        with self._lock:
            return [
                event["params"]["request"]["url"]
                for event in self.events
                if event.get("method") == "Network.requestWillBeSent"
            ]

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        self._reader.join(timeout=5)
        shutil.rmtree(self._profile, ignore_errors=True)


@contextmanager
def browser(executable: str) -> Iterator[Browser]:
    opened = Browser(executable)
    try:
        yield opened
    finally:
        opened.close()
