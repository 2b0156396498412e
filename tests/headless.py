"""Headless Chromium for the report's tests, with nothing but the standard library.

Chromium (Debian's ``chromium`` package) loads a copy of the page into which a script was
injected; the script measures the layout and writes its findings, as JSON, into the DOM;
``--dump-dom`` prints that DOM once the page has loaded. No driver, no protocol client.

Also a small command line, to look at a report by eye::

    python tests/headless.py shot report/report.html out.png [--select CSS] [--size 1280,1600]
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["chromium", "dump_dom", "measure", "screenshot", "MEASURE_JS"]

#: Flags that keep a sandboxed, offline machine quiet (see the environment notes): no
#: background networking, no component updates, no first-run work, a fresh profile.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--hide-scrollbars", "--mute-audio", "--disable-extensions")


def chromium() -> str | None:
    """The Chromium executable (``$SLIDECHECK_CHROMIUM`` first), or None."""
    env = os.environ.get("SLIDECHECK_CHROMIUM")
    if env:
        return env if shutil.which(env) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="slidecheck-chromium-") as profile:
        return subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


def _inject(page: str, script: str) -> str:
    tag = f"<script>\n{script}\n</script>"
    return page.replace("</body>", tag + "\n</body>", 1) if "</body>" in page else page + tag


def dump_dom(html_file: Path, timeout: float = 60) -> str:
    """The DOM of ``html_file`` after load, as Chromium serialises it."""
    out = _run(["--virtual-time-budget=3000", "--dump-dom", Path(html_file).resolve().as_uri()], timeout)
    if out.returncode != 0 or "<html" not in out.stdout:
        raise RuntimeError(f"chromium --dump-dom failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


#: Layout measurements, written as JSON into <pre id="slidecheck-measure">.
MEASURE_JS = r"""
(function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  function box(e) { var r = e.getBoundingClientRect(); return [r.width, r.height]; }
  var maths = Array.prototype.slice.call(document.querySelectorAll("math"));
  var displays = {};
  maths.forEach(function (m) { var d = getComputedStyle(m).display; displays[d] = (displays[d] || 0) + 1; });
  var empty = maths.filter(function (m) { var b = box(m); return !(b[0] > 0 && b[1] > 0); })
                   .map(function (m) { return m.outerHTML.slice(0, 160); });
  var fracs = Array.prototype.slice.call(document.querySelectorAll("mfrac"));
  var stacked = fracs.filter(function (f) {
    if (f.children.length < 2) return false;
    var a = f.children[0].getBoundingClientRect(), b = f.children[1].getBoundingClientRect();
    return a.bottom <= b.top + 1 && a.height > 0 && b.height > 0;
  }).length;
  var plots = Array.prototype.slice.call(document.querySelectorAll("figure.plot svg")).map(box);
  var tables = document.querySelectorAll("figure.plot-data").length;
  var clone = document.body.cloneNode(true);
  clone.querySelectorAll("pre.latex-source, script, svg, #slidecheck-measure").forEach(function (e) { e.remove(); });
  var text = clone.textContent;
  var raw = text.match(/\\[A-Za-z]+|\\[,;!{}|]|\$[^$\s][^$]*\$/g) || [];
  var external = Array.prototype.slice.call(document.querySelectorAll("[src], link[href], a[href], [srcset]"))
      .map(function (e) { return e.getAttribute("src") || e.getAttribute("href") || e.getAttribute("srcset"); })
      .filter(function (u) { return u && u.charAt(0) !== "#"; });
  var order = Array.prototype.slice.call(document.querySelectorAll("h2")).map(function (h) { return h.textContent.trim(); });
  var errata = document.querySelectorAll("#errata .erratum").length;
  var out = {n_math: maths.length, displays: displays, empty_math: empty, n_frac: fracs.length,
             stacked_frac: stacked, plots: plots, data_tables: tables, raw_latex: raw.slice(0, 20),
             source_fallbacks: document.querySelectorAll("code.math-source").length,
             external: external, h2: order, errata: errata};
  var pre = document.createElement("pre");
  pre.id = "slidecheck-measure";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""


def measure(page: str, workdir: Path, timeout: float = 60) -> dict:
    """Load ``page`` (HTML text) with :data:`MEASURE_JS` injected; returns the measurements."""
    target = Path(workdir) / "measured.html"
    target.write_text(_inject(page, MEASURE_JS), encoding="utf-8")
    dom = dump_dom(target, timeout)
    m = re.search(r'<pre id="slidecheck-measure">(.*?)</pre>', dom, re.S)
    if not m:
        raise RuntimeError("the measuring script left no result in the DOM")
    return json.loads(html.unescape(m.group(1)))


def screenshot(html_file: Path, png: Path, size=(1280, 1600), select: str | None = None,
               timeout: float = 60) -> Path:
    """A PNG of the page (or of the elements matching ``select``, shown alone)."""
    page = Path(html_file).read_text(encoding="utf-8")
    if select:
        page = _inject(page, "document.querySelectorAll('details').forEach(function (d) { d.open = true; });\n"
                       f"var keep = Array.prototype.slice.call(document.querySelectorAll({json.dumps(select)}));\n"
                       "document.body.replaceChildren.apply(document.body, keep);")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "shot.html"
        target.write_text(page, encoding="utf-8")
        out = _run([f"--window-size={size[0]},{size[1]}", f"--screenshot={Path(png).resolve()}",
                    "--virtual-time-budget=3000", target.as_uri()], timeout)
    if out.returncode != 0 or not Path(png).exists():
        raise RuntimeError(f"chromium --screenshot failed ({out.returncode}): {out.stderr[-2000:]}")
    return Path(png)


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("shot")
    s.add_argument("html")
    s.add_argument("png")
    s.add_argument("--select")
    s.add_argument("--size", default="1280,1600")
    m = sub.add_parser("measure")
    m.add_argument("html")
    a = p.parse_args()
    if a.cmd == "shot":
        w, h = map(int, a.size.split(","))
        print(screenshot(Path(a.html), Path(a.png), (w, h), a.select))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(measure(Path(a.html).read_text(encoding="utf-8"), Path(tmp)), indent=1))
    sys.exit(0)
