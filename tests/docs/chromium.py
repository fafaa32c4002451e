"""Headless Chromium driven over the DevTools protocol, with nothing but the standard library.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol messages (JSON, each
ended by a NUL byte) on file descriptor 3 and writes its answers and events on 4, so no
WebDriver, websocket client or npm package is needed; only Debian's ``chromium`` package
(``scripts/ci/install-chromium.sh``). One browser, one tab, one page at a time.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """A headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str, *, width: int = 1280, height: int = 1400) -> None:
        self.session = ""
        self._profile = Path(tempfile.mkdtemp(prefix="maintrac-chromium-"))
        self._log = (self._profile / "chromium.log").open("wb")
        to_browser_r, self._to_browser = (_above_4(fd) for fd in os.pipe())
        self._from_browser, from_browser_w = (_above_4(fd) for fd in os.pipe())
        # bash (dash cannot name descriptors above 9) puts the pipe ends on the descriptors
        # Chromium expects, 3 and 4, and execs it (Debian's wrapper script execs the binary).
        command = " ".join(
            [
                f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}',
                f"{to_browser_r}<&- {from_browser_w}>&-",
            ]
        )
        self._process = subprocess.Popen(
            [
                "/bin/bash",
                "-c",
                command,
                executable,
                *FLAGS,
                f"--user-data-dir={self._profile / 'profile'}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._ids = iter(range(1, 1_000_000))
        self._answers: dict[int, Queue[dict[str, Any]]] = {}
        self._events: Queue[dict[str, Any]] = Queue()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self.session = self._open_page(width, height)
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ protocol

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._from_browser, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        with self._lock:
                            waiter = self._answers.get(message["id"])
                        if waiter is not None:
                            waiter.put(message)
                    else:
                        self._events.put(message)

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = True
    ) -> dict[str, Any]:
        """Call a protocol method (on the page's session unless ``session=False``)."""
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        waiter: Queue[dict[str, Any]] = Queue()
        with self._lock:
            self._answers[message_id] = waiter
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
            answer = self._answer(waiter, method)
        except BrokenPipeError:
            raise BrowserError(f"{method}: Chromium has exited\n{self.log()}") from None
        finally:
            with self._lock:
                del self._answers[message_id]
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def _answer(self, waiter: Queue[dict[str, Any]], method: str) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while True:
            try:
                return waiter.get(timeout=0.2)
            except Empty:
                if self._process.poll() is not None:
                    raise BrowserError(f"{method}: Chromium has exited\n{self.log()}") from None
                if time.monotonic() > deadline:
                    raise BrowserError(f"{method}: no answer from Chromium\n{self.log()}") from None

    def _open_page(self, width: int, height: int) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self.session = str(attached["sessionId"])
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        return self.session

    # ------------------------------------------------------------------ page

    def goto(self, url: str, timeout: float = 30) -> None:
        """Navigate and wait for the load event."""
        while not self._events.empty():
            self._events.get_nowait()
        navigated = self.send("Page.navigate", {"url": url})
        if navigated.get("errorText"):
            raise BrowserError(f"{url}: {navigated['errorText']}")
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self._events.get(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise BrowserError(f"{url}: no load event in {timeout}s") from None
            if event.get("method") == "Page.loadEventFired":
                return

    def js(self, expression: str) -> Any:
        """Evaluate a JavaScript expression in the page (awaiting a promise); its value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript failed: {text}\n{expression}")
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 30, what: str | None = None) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out after {timeout}s waiting for {what or expression}")
            time.sleep(0.1)

    def wait_for_selector(self, selector: str, *, timeout: float = 30) -> None:
        """Wait until an element matches ``selector``."""
        found = f"!!document.querySelector({json.dumps(selector)})"
        self.wait_for(found, timeout=timeout, what=selector)

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first element matching ``selector``."""
        box = self.js(
            f"""(() => {{
              const el = document.querySelector({json.dumps(selector)});
              if (!el) return null;
              el.scrollIntoView({{block: "center"}});
              const r = el.getBoundingClientRect();
              return {{x: r.x + r.width / 2, y: r.y + r.height / 2}};
            }})()"""
        )
        if box is None:
            raise BrowserError(f"nothing to click: {selector}")
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )

    def type_into(self, selector: str, text: str) -> None:
        """Focus an input and type ``text`` into it, as a keyboard would."""
        self.click(selector)
        self.send("Input.insertText", {"text": text})

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def log(self) -> str:
        self._log.flush()
        return (self._profile / "chromium.log").read_text(errors="replace")[-4000:]

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        try:
            if self._process.poll() is None:
                with contextlib.suppress(BrowserError):
                    self.send("Browser.close", session=False)
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=10)
        finally:
            os.close(self._to_browser)
            self._log.close()
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _above_4(fd: int) -> int:
    """The same pipe end on a descriptor above 4, so that the shell's ``3<&N 4>&M`` cannot
    overwrite one end with the other."""
    if fd > 4:
        return fd
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved
