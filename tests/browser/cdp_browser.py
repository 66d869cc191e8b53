"""Headless Chromium driven over the Chrome DevTools Protocol: just enough to open a page,
wait for text, read it and take a screenshot. No driver package, no browser download: the
Debian ``chromium`` binary and the ``websockets`` client that dagster-webserver installs.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1600,1100",
)


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


class Browser:
    def __init__(self, executable: str, profile_dir: Path, *, start_timeout: float = 60.0):
        profile_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(profile_dir.parent / "chromium.log", "wb")  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", "--remote-debugging-port=0", "about:blank"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._connect(profile_dir, start_timeout)
        except BaseException:
            self.process.kill()
            self._log.close()
            raise

    def _connect(self, profile_dir: Path, start_timeout: float) -> None:
        port_file = profile_dir / "DevToolsActivePort"  # chromium writes its chosen port here
        deadline = time.monotonic() + start_timeout
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chromium did not start (see {self._log.name})")
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [t for t in json.load(response) if t["type"] == "page"]
        self._stack = ExitStack()
        self._ws = self._stack.enter_context(connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=30))
        self._ids = itertools.count(1)

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 60.0) -> dict[str, Any]:
        message_id = next(self._ids)
        self._ws.send(json.dumps({"id": message_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self._ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == message_id:  # events in between are not needed here
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def navigate(self, url: str) -> None:
        self.send("Page.enable")
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def wait_for_text(self, needles: list[str], timeout: float) -> str:
        """The page's text once it holds every needle; raises with the last text otherwise."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if all(n in text for n in needles):
                return text
            time.sleep(0.5)
        missing = [n for n in needles if n not in text]
        raise AssertionError(f"page never showed {missing}; it shows:\n{text[:3000]}")

    def click_text(self, text: str) -> bool:
        """Click the innermost visible element whose own text is ``text``."""
        script = f"""(() => {{
            const wanted = {json.dumps(text)};
            const all = [...document.querySelectorAll('body *')].filter(
                e => e.offsetParent !== null && e.textContent.trim() === wanted);
            const inner = all.filter(e => ![...e.children].some(c => c.textContent.trim() === wanted));
            if (!inner.length) return false;
            inner[0].click();
            return true;
        }})()"""
        return bool(self.evaluate(script))

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self._stack.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self._log.close()
