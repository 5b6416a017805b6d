"""report.html in headless Chromium: renders, no console errors, no network, nothing executes.

How: Chromium is started with ``--remote-debugging-pipe`` and driven over the
DevTools protocol (CDP) on file descriptors 3 (commands in) and 4 (events
out), NUL-terminated JSON messages — no websocket, no playwright, no extra
package. We enable the Runtime, Log, Network and Page domains *before*
navigating, so that every console message, uncaught exception, log entry and
network request of the page is seen; then we navigate to the file:// URL, wait
for the load event, evaluate a few expressions and capture a screenshot (also
at phone width). Requests to anything other than file: or data: count as
network requests. Skipped, with the reason, when chromium is not installed
(CI: ``apt-get install -y --no-install-recommends chromium``).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from electcheck.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed "
                                "(apt-get install -y --no-install-recommends chromium)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-pipe"]
SHOTS = Path(os.environ.get("ELECTCHECK_SCREENSHOTS") or Path(tempfile.gettempdir()) / "electcheck-screenshots")


class Browser:
    """Minimal CDP client over --remote-debugging-pipe."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="electcheck-chromium-")
        import fcntl

        def high(fd: int) -> int:  # move above 3/4 so the dup2 below cannot clobber a pipe end
            new = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
            os.close(fd)
            return new

        r_cmd, w_cmd = map(high, os.pipe())   # we write commands → chromium reads fd 3
        r_evt, w_evt = map(high, os.pipe())   # chromium writes fd 4 → we read
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: (os.dup2(r_cmd, 3), os.dup2(w_evt, 4)) and None)
        os.close(r_cmd)
        os.close(w_evt)
        self.w, self.r = w_cmd, r_evt
        self.buf = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _read(self, timeout: float) -> dict | None:
        end = time.monotonic() + timeout
        while b"\0" not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                return None
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        self.next_id += 1
        mid = self.next_id
        m = {"id": mid, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = session
        os.write(self.w, json.dumps(m).encode() + b"\0")
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r = self._read(end - time.monotonic())
            if r is None:
                break
            if r.get("id") == mid:
                if "error" in r:
                    raise RuntimeError(f"{method}: {r['error']}")
                return r.get("result", {})
            self.events.append(r)
        raise TimeoutError(method)

    def wait_event(self, name: str, timeout: float = 30) -> dict:
        for e in self.events:
            if e.get("method") == name:
                return e
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r = self._read(end - time.monotonic())
            if r is None:
                break
            self.events.append(r)
            if r.get("method") == name:
                return r
        raise TimeoutError(name)

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            r = self._read(end - time.monotonic())
            if r is None:
                break
            self.events.append(r)

    def close(self) -> None:
        try:
            os.write(self.w, json.dumps({"id": 10 ** 6, "method": "Browser.close"}).encode() + b"\0")
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self.w)
            os.close(self.r)
            shutil.rmtree(self.profile, ignore_errors=True)


def open_report(html: Path, shot_name: str) -> dict:
    """Load ``html``; return console errors, exceptions, network requests, page facts and screenshots."""
    b = Browser()
    try:
        tid = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = b.send("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        for dom in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
            b.send(dom, session=sid)
        b.send("Emulation.setDeviceMetricsOverride", {"width": 1000, "height": 1400, "deviceScaleFactor": 1,
                                                      "mobile": False}, session=sid)
        b.events.clear()
        b.send("Page.navigate", {"url": html.resolve().as_uri()}, session=sid)
        b.wait_event("Page.loadEventFired")
        b.drain(1.0)

        def ev(expr: str):
            r = b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=sid)
            return r.get("result", {}).get("value")

        facts = {
            "title": ev("document.title"),
            "h1": ev("document.querySelector('h1') && document.querySelector('h1').textContent"),
            "svgs": ev("document.querySelectorAll('svg').length"),
            "scripts": ev("document.querySelectorAll('script').length"),
            "imgs": ev("document.querySelectorAll('img').length"),
            "pwned": ev("typeof window.__pwned"),
            "body_text": ev("document.body.innerText"),
        }
        SHOTS.mkdir(parents=True, exist_ok=True)
        import base64

        png = base64.b64decode(b.send("Page.captureScreenshot", {"format": "png"}, session=sid)["data"])
        (SHOTS / f"{shot_name}.png").write_bytes(png)
        b.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2,
                                                      "mobile": True}, session=sid)
        b.drain(0.5)
        facts["phone_overflow"] = ev("document.documentElement.scrollWidth - window.innerWidth")
        phone = base64.b64decode(b.send("Page.captureScreenshot", {"format": "png"}, session=sid)["data"])
        (SHOTS / f"{shot_name}-phone.png").write_bytes(phone)
        b.drain(0.3)
    finally:
        b.close()
    errors, requests = [], []
    for e in b.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            errors.append(("console", p.get("type"), [a.get("value") for a in p.get("args", [])]))
        elif m == "Runtime.exceptionThrown":
            errors.append(("exception", p.get("exceptionDetails", {}).get("text")))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            errors.append(("log", p["entry"].get("source"), p["entry"].get("text")))
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:")):
                requests.append(url)
    return {"errors": errors, "requests": requests, "facts": facts, "png": png, "phone": phone}


runner = CliRunner()


@pytest.fixture(scope="module")
def venezuela_html():
    from test_audit import venezuela_audit  # the same audit as test_audit.py's, made once per process

    return venezuela_audit()[1] / "report.html"


def test_venezuela_report_renders_cleanly(venezuela_html):
    res = open_report(venezuela_html, "venezuela-2024")
    assert res["errors"] == [], res["errors"]
    assert res["requests"] == [], res["requests"]
    f = res["facts"]
    assert f["h1"].startswith("Venezuela") and f["svgs"] >= 8 and f["scripts"] == 0
    assert "The declared result cannot be reached from the tally sheets" in f["body_text"]
    assert f["phone_overflow"] <= 0, "horizontal scrolling on a phone-width screen"
    assert res["png"][:8] == b"\x89PNG\r\n\x1a\n" and len(res["png"]) > 20_000


def test_hostile_names_do_not_execute(tmp_path):
    from test_audit import hostile_config

    cfg = hostile_config(tmp_path)
    out = tmp_path / "report"
    r = runner.invoke(app, ["audit", str(cfg), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    res = open_report(out / "report.html", "hostile")
    f = res["facts"]
    assert f["pwned"] == "undefined"
    assert f["scripts"] == 0 and f["imgs"] == 0
    assert res["requests"] == [], res["requests"]   # the <img src=http://...> was not rendered
    assert res["errors"] == [], res["errors"]
    assert "<script>window.__pwned=1</script>" in f["body_text"]  # shown as text
