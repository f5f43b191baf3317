"""The review pages in headless Chromium, driven over the DevTools protocol.

Chromium is started with ``--remote-debugging-pipe`` (the protocol over file descriptors 3 and 4,
no port, no network) and every other network feature off.  For the samples' and the development
corpus's pages: each loads without a console error, an uncaught exception, or a request leaving
``file:``; the first footnote marker goes to its note and the note's back-link returns to the
marker; the index filters and sorts.  Screenshots are saved under ``tests/artifacts/``.
"""
import base64
import json
import os
import queue
import subprocess
import threading
import time

import pytest

from pipeline.cli import main

from conftest import CORPUS, ROOT, SAMPLES

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-pipe"]
TIMEOUT = 15.0

pytestmark = pytest.mark.slow


class Browser:
    """A minimal DevTools protocol client over Chromium's debugging pipe (NUL-separated JSON)."""

    def __init__(self, profile):
        cmd_r, self._cmd_w = os.pipe()
        self._evt_r, evt_w = os.pipe()

        def fds():  # in the child: fd 3 reads commands, fd 4 writes replies
            os.dup2(cmd_r, 3)
            os.dup2(evt_w, 4)

        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     preexec_fn=fds, close_fds=False, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(evt_w)
        self._next = 0
        self._inbox: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=1366, height=900,
                  deviceScaleFactor=1, mobile=False)

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._evt_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                self._inbox.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                self._inbox.put(json.loads(msg))

    def _pump(self, until, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from Chromium")
            msg = self._inbox.get(timeout=left)
            if msg is None:
                raise RuntimeError("Chromium closed the pipe")
            if "id" not in msg:
                self.events.append(msg)
            if until(msg):
                return msg

    def call(self, method, session=False, **params):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        reply = self._pump(lambda m: m.get("id") == msg["id"])
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(self, path):
        """Navigate to a file and wait for its load event; returns the problems seen meanwhile."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=path.as_uri())
        self._pump(lambda m: m.get("method") == "Page.loadEventFired")
        self.js("new Promise(r => setTimeout(r, 30))")  # let late console messages arrive
        return self.problems()

    def problems(self):
        out = []
        for e in self.events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails'].get('text')} "
                           f"{p['exceptionDetails'].get('exception', {}).get('description', '')}")
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
            elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                out.append(f"log {p['entry']['level']}: {p['entry']['text']} {p['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    out.append(f"network request: {url}")
        return out

    def js(self, expression):
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise AssertionError(r["exceptionDetails"])
        return r["result"].get("value")

    def screenshot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path = ARTIFACTS / name
        path.write_bytes(base64.b64decode(data))
        print(f"screenshot: {path}")
        return path

    def close(self):
        try:
            os.write(self._cmd_w, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self._cmd_w)
            os.close(self._evt_r)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The samples and the development corpus converted, with their review pages."""
    tmp = tmp_path_factory.mktemp("site")
    assert CORPUS.is_dir(), f"development corpus missing: {CORPUS}"
    assert main(["convert", *map(str, SAMPLES), "-o", str(tmp / "samples"), "-q"]) == 0
    assert main(["convert", str(CORPUS), "-o", str(tmp / "corpus"), "-q"]) in (0, 1)
    for d in ("samples", "corpus"):
        assert main(["html", str(tmp / d)]) == 0
    return tmp


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert os.access(CHROMIUM, os.X_OK), "chromium is not installed (.ci/run installs it)"
    b = Browser(tmp_path_factory.mktemp("profile"))
    yield b
    b.close()


FOOTNOTE_ROUND_TRIP = """
(async () => {
  const wait = () => new Promise(r => setTimeout(r, 20));
  const a = document.querySelector('a[role="doc-noteref"]');
  if (!a) return null;
  window.scrollTo(0, 0);
  a.click(); await wait();
  const note = document.querySelector(':target');
  const noteTop = note ? note.getBoundingClientRect().top : null;
  const back = note ? note.querySelector('a[role="doc-backlink"][href="#' + a.id + '"]') : null;
  const there = {hash: location.hash, target: note && note.id, noteTop: noteTop, back: !!back};
  if (back) { back.click(); await wait(); }
  const t2 = document.querySelector(':target');
  return {ref: a.id, href: a.getAttribute('href'), there: there, backHash: location.hash,
          backTarget: t2 && t2.id, backTop: t2 ? t2.getBoundingClientRect().top : null,
          height: window.innerHeight};
})()
"""


def _check_footnote(rt):
    assert rt["there"]["hash"] == rt["href"] and rt["there"]["target"] == rt["href"][1:]
    assert -2 <= rt["there"]["noteTop"] < rt["height"]  # scrolled to the note
    assert rt["there"]["back"]
    assert rt["backHash"] == "#" + rt["ref"] and rt["backTarget"] == rt["ref"]
    assert -2 <= rt["backTop"] < rt["height"]  # and back to the marker


def test_pages_load_clean_and_footnotes_round_trip(site, browser):
    """Every page of the samples and the corpus: no console error, no network; footnotes both ways."""
    started = time.monotonic()
    pages = sorted((site / "samples" / "html").glob("*.html")) + sorted((site / "corpus" / "html").glob("*.html"))
    assert len(pages) >= len(SAMPLES) + 30
    with_notes = 0
    for page in pages:
        problems = browser.open(page)
        assert problems == [], (page.name, problems)
        assert browser.js("document.title") != ""
        if page.name == "index.html":
            continue
        assert browser.js("document.querySelectorAll('section.body .operative').length") > 0, page.name
        rt = browser.js(FOOTNOTE_ROUND_TRIP)
        if rt is not None:
            _check_footnote(rt)
            with_notes += 1
    assert with_notes >= 3 + 10
    assert time.monotonic() - started < 40


def test_footnote_screenshot(site, browser):
    page = site / "samples" / "html" / "002_26ed8003f1d0be1d.html"
    assert browser.open(page) == []
    rt = browser.js(FOOTNOTE_ROUND_TRIP.replace("document.querySelector('a[role=\"doc-noteref\"]')",
                                                "document.querySelectorAll('a[role=\"doc-noteref\"]')[3]"))
    _check_footnote(rt)
    assert rt["href"] == "#fn-4"
    browser.js("document.querySelector('a[href=\"#fn-4\"]').click()")
    shot = browser.screenshot("002-footnote.png")
    assert shot.stat().st_size > 10_000
    browser.js("window.scrollTo(0, 0)")
    browser.screenshot("002-page.png")


FILTER = """
(async (q, s) => {
  const f = document.getElementById('filter'), sel = document.getElementById('status-filter');
  f.value = q; f.dispatchEvent(new Event('input'));
  sel.value = s; sel.dispatchEvent(new Event('change'));
  await new Promise(r => setTimeout(r, 10));
  const rows = Array.from(document.querySelectorAll('#docs tbody tr'));
  return {shown: rows.filter(r => r.offsetParent !== null).map(r => r.cells[1].textContent),
          total: rows.length, count: document.getElementById('count').textContent};
})
"""


def test_index_filters_and_sorts(site, browser):
    assert browser.open(site / "corpus" / "html" / "index.html") == []
    total = browser.js(FILTER + "('', '')")
    assert total["total"] == 35 and len(total["shown"]) == 35
    one = browser.js(FILTER + "('A/HRC/RES/54/18', '')")
    assert one["shown"] == ["A/HRC/RES/54/18"] and one["count"] == "1 / 35"
    by_title = browser.js(FILTER + "('人权', '')")
    assert 0 < len(by_title["shown"]) < 35
    none = browser.js(FILTER + "('no such document', '')")
    assert none["shown"] == [] and none["count"] == "0 / 35"
    by_code = browser.js(FILTER + "('footnote.ibid', 'ok')")
    assert len(by_code["shown"]) >= 1
    browser.js(FILTER + "('', '')")
    order = browser.js("""(() => {
      const col = name => Array.from(document.querySelectorAll('#docs th')).find(h => h.textContent === name);
      const values = k => Array.from(document.querySelectorAll('#docs tbody tr')).map(r => r.cells[k].textContent);
      const info = col('info'); info.click(); const up = values(9).map(Number);
      info.click(); const down = values(9).map(Number);
      col('symbol').click(); const symbols = values(1);
      return {up: up, down: down, symbols: symbols, sort: col('symbol').getAttribute('aria-sort')};
    })()""")
    assert order["up"] == sorted(order["up"]) and order["down"] == sorted(order["down"], reverse=True)
    number = lambda s: int(s.rsplit("/", 1)[1])  # noqa: E731  numeric-aware: 54/9 before 54/10
    assert order["symbols"] == sorted(order["symbols"], key=number) and order["sort"] == "ascending"
    browser.js(FILTER + "('54/1', '')")
    browser.screenshot("corpus-index.png")
    assert browser.problems() == []


def test_samples_index_screenshot(site, browser):
    assert browser.open(site / "samples" / "html" / "index.html") == []
    assert browser.js("document.querySelectorAll('#chart-status rect').length") == 1
    assert browser.js("document.querySelectorAll('#chart-codes rect').length") >= 2
    browser.screenshot("samples-index.png")
