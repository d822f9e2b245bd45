"""One browser journey at N calls, timed from the click until Streamlit's script has finished.

Usage: ``python bench/browser_journey.py [--calls 1000000] [--repeats 8]``.

Not a test: it starts ``streamlit run app.py`` (the launcher of
``tests/browser/conftest.py``) with ``$CCMETRICS_CACHE_DIR`` set to a temporary
folder, opens it in Playwright + Chromium (the launch flags of the browser
tests), uploads a generated call file of ``--calls`` calls (``bench/datagen.py``,
a year of calls, cached) through the Data page's file input, goes to the
Overview and then changes the queue filter ``--repeats`` times, alternately
picking one queue (``--queue``) and removing it again.

Each change is timed inside the page: from the ``pointerdown`` of the click (or
the key press that removes the queue) until the app's
``[data-testid="stApp"]`` is back to ``data-test-script-state="notRunning"``
and stays so for ``--settle`` ms (the status widget gone), read with
``performance.now()`` so Playwright's own round trips are not counted. The
upload is timed the same way, from handing the file to the input until the
script run that loads it (and the rerun after it) has finished; it includes
sending the bytes to the server. Prints every time, then best and median.

With ``--sample`` there is no upload: the app opens on the bundled sample
(first load timed from the navigation's start until the first script run has
finished), then every page of the menu is visited once in menu order (first
visit), then each again (revisit), each timed from the click on its menu link
until the script has finished; then the queue filter is changed on the
Overview as above, and a second tab opens the app (a new session in the warm
server: its first load without the imports and the sample's load). The cache folder
is new and empty unless ``--cache-dir`` names one kept between runs (a server started
again: the sample is read from the Parquet copy an earlier run wrote there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.browser.conftest import CHROMIUM_ARGS, StreamlitServer, chromium_path  # noqa: E402
from tests.browser.helpers import CALLS_UPLOADER  # noqa: E402

__all__ = ["main"]

#: Installed in the page before each timed action: records the click time and
#: every change of the script state with performance.now().
_WATCH = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const w = {start: null, changes: []};
  window.__journey = w;
  const mark = () => { if (w.start === null) w.start = performance.now(); };
  document.addEventListener('pointerdown', mark, {capture: true, once: true});
  document.addEventListener('keydown', mark, {capture: true, once: true});
  document.addEventListener('change', mark, {capture: true, once: true});
  if (window.__journeyObserver) window.__journeyObserver.disconnect();
  window.__journeyObserver = new MutationObserver(() => {
    w.changes.push([performance.now(), app.getAttribute('data-test-script-state')]);
  });
  window.__journeyObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}
"""

#: True once a run started after the action and the script has not run for ``settle`` ms.
_FINISHED = """
(settle) => {
  const w = window.__journey;
  if (w.start === null || w.changes.length === 0) return false;
  const ran = w.changes.some(([t, s]) => s === 'running' && t >= w.start - 1);
  const [lastTime, lastState] = w.changes[w.changes.length - 1];
  const state = document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state');
  return ran && state === 'notRunning' && lastState === 'notRunning'
    && performance.now() - lastTime >= settle;
}
"""

_ELAPSED = """
() => {
  const w = window.__journey;
  const ends = w.changes.filter(([t, s]) => s === 'notRunning');
  return (ends[ends.length - 1][0] - w.start) / 1000;
}
"""

_NO_EXCEPTION = '[data-testid="stException"]'

#: Installed before the document loads: every change of the script state from the
#: navigation's start (``performance.now()`` is 0 there), for the first load.
_WATCH_LOAD = """
(() => {
  const w = {start: 0, changes: []};
  window.__journey = w;
  const attach = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { requestAnimationFrame(attach); return; }
    w.changes.push([performance.now(), app.getAttribute('data-test-script-state')]);
    window.__journeyObserver = new MutationObserver(() => {
      w.changes.push([performance.now(), app.getAttribute('data-test-script-state')]);
    });
    window.__journeyObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  attach();
})();
"""

#: The menu's pages in order (``pages.common.state.PAGES``, English titles).
_MENU = ("Overview", "Control charts", "Drill-down", "Teams", "Staffing", "Report", "Data")


def _timed(tab, action, settle_ms: int, timeout_ms: int) -> float:
    """Seconds from ``action``'s first input event until the script finished."""
    tab.evaluate(_WATCH)
    action()
    tab.wait_for_function(_FINISHED, arg=settle_ms, timeout=timeout_ms, polling=50)
    if tab.locator(_NO_EXCEPTION).count():
        raise RuntimeError(f"exception box: {tab.locator(_NO_EXCEPTION).first.inner_text()}")
    return tab.evaluate(_ELAPSED)


def _wait_idle(tab, timeout_ms: int) -> None:
    tab.wait_for_timeout(300)
    tab.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )


def _menu_link(tab, title: str):
    return tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first


def _queue_changes(tab, queue: str, repeats: int, settle: int, timeout_ms: int) -> list[float]:
    """Seconds of ``repeats`` queue filter changes on the page shown, alternately pick and remove."""
    queues = tab.locator(".st-key-queues")
    times = []
    for repeat in range(repeats):
        if repeat % 2 == 0:  # pick a queue (the list opened before the clock starts)
            queues.locator('input[role="combobox"]').click()
            option = tab.get_by_role("option", name=queue, exact=True)
            option.wait_for()
            times.append(_timed(tab, option.click, settle, timeout_ms))
            tab.keyboard.press("Escape")
            _wait_idle(tab, timeout_ms)
        else:  # remove it again (all queues)
            remove = queues.locator('button[aria-label^="Remove"]').first
            times.append(_timed(tab, remove.click, settle, timeout_ms))
        print(f"filter change {repeat + 1}: {times[-1]:.3f} s", file=sys.stderr, flush=True)
    return times


def _new_tab(browser, timeout_ms: int):
    """A page as a manager's desktop shows it (1440 × 1000, English), steps bounded by the timeout."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    tab.set_default_timeout(timeout_ms)
    return tab


def _first_load(tab, url: str, settle: int, timeout_ms: int) -> float:
    """Seconds from the navigation's start until the first script run has finished."""
    tab.add_init_script(_WATCH_LOAD)
    tab.goto(url, wait_until="domcontentloaded")
    tab.wait_for_function(_FINISHED, arg=settle, timeout=timeout_ms, polling=50)
    return tab.evaluate(_ELAPSED)


def sample_journey(args, executable: str) -> int:
    """First load on the bundled sample, every page's first visit and revisit, filter changes."""
    from playwright.sync_api import sync_playwright

    timeout_ms = int(args.timeout * 1000)
    # --cache-dir: a folder kept between runs holds the sample's Parquet copy, as the
    # cache of a server that was started before; by default an empty temporary folder
    cache = args.cache_dir or tempfile.mkdtemp(prefix="ccmetrics-journey-cache-")
    os.environ["CCMETRICS_CACHE_DIR"] = cache
    server = StreamlitServer().start()
    visits: dict[str, list[float]] = {title: [] for title in _MENU}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            tab = _new_tab(browser, timeout_ms)
            first_load_s = _first_load(tab, server.url, args.settle, timeout_ms)
            print(f"first load: {first_load_s:.2f} s", file=sys.stderr, flush=True)
            for rounds in range(2):
                for title in _MENU:
                    if rounds == 0 and title == "Overview":
                        continue  # the first load was its first visit
                    link = _menu_link(tab, title)
                    visits[title].append(_timed(tab, link.click, args.settle, timeout_ms))
                    print(f"{title}: {visits[title][-1]:.2f} s", file=sys.stderr, flush=True)
            _menu_link(tab, "Overview").click()
            _wait_idle(tab, timeout_ms)
            times = _queue_changes(tab, args.queue, args.repeats, args.settle, timeout_ms)
            # a second visitor: a new session in a server whose libraries are imported
            # and whose caches hold the sample
            second_load_s = _first_load(
                _new_tab(browser, timeout_ms), server.url, args.settle, timeout_ms
            )
            browser.close()
    finally:
        server.stop()
        if not args.cache_dir:
            shutil.rmtree(cache, ignore_errors=True)

    print(f"# bench/browser_journey.py --sample, {time.strftime('%Y-%m-%d %H:%M')}")
    print("# bundled sample, Chromium headless; seconds from the click until the script finished")
    print(f"first load (navigation start -> script finished): {first_load_s:.2f} s")
    print(f"first load of a second session (same server, new tab): {second_load_s:.2f} s")
    print("| page | first visit (s) | revisit (s) |")
    print("|---|---:|---:|")
    for title in _MENU:
        first = first_load_s if title == "Overview" else visits[title][0]
        print(f"| {title} | {first:.2f} | {visits[title][-1]:.2f} |")
    print(
        "queue filter change on Overview, s: "
        + ", ".join(f"{t:.3f}" for t in times)
        + f" (best {min(times):.3f}, median {statistics.median(times):.3f})"
    )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000, help="calls in the upload")
    parser.add_argument("--days", type=int, default=365, help="days of data")
    parser.add_argument("--repeats", type=int, default=8, help="filter changes timed")
    parser.add_argument("--queue", default="VIP", help="queue picked and removed")
    parser.add_argument("--settle", type=int, default=500, help="ms the script must stay idle")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per step")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="no upload: the bundled sample, every page's first visit and revisit",
    )
    parser.add_argument(
        "--cache-dir",
        default="",
        help="with --sample: $CCMETRICS_CACHE_DIR kept between runs (default: a new empty folder)",
    )
    args = parser.parse_args(argv)

    executable = chromium_path()
    if executable is None:
        print("Chromium not installed (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    if args.sample:
        return sample_journey(args, executable)
    import datagen
    from playwright.sync_api import sync_playwright

    path, rows = datagen.calls_csv(args.calls, args.days)
    timeout_ms = int(args.timeout * 1000)
    cache = tempfile.mkdtemp(prefix="ccmetrics-journey-cache-")
    os.environ["CCMETRICS_CACHE_DIR"] = cache
    server = StreamlitServer().start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            tab = _new_tab(browser, timeout_ms)
            tab.goto(server.url, wait_until="domcontentloaded")
            _wait_idle(tab, timeout_ms)
            tab.locator('[data-testid="stSidebarNav"] a').filter(has_text="Data").first.click()
            _wait_idle(tab, timeout_ms)

            # the calls uploader by its key: the sidebar's targets uploader comes first in the page
            dropzone = tab.locator(CALLS_UPLOADER)
            print("page open; uploading ...", file=sys.stderr, flush=True)
            upload_s = _timed(
                tab, lambda: dropzone.set_input_files(str(path)), args.settle, timeout_ms
            )
            tab.get_by_text(f"In use: {path.name}").first.wait_for()
            print(f"upload + load: {upload_s:.2f} s", file=sys.stderr, flush=True)

            started = time.perf_counter()
            tab.locator('[data-testid="stSidebarNav"] a').filter(has_text="Overview").first.click()
            _wait_idle(tab, timeout_ms)
            tab.wait_for_timeout(args.settle)
            first_overview_s = time.perf_counter() - started

            times = _queue_changes(tab, args.queue, args.repeats, args.settle, timeout_ms)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(cache, ignore_errors=True)

    print(f"# bench/browser_journey.py, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"# {rows:,} calls ({path.stat().st_size / 1e6:,.0f} MB CSV), Chromium headless")
    print(f"upload + load (file input -> script finished): {upload_s:.2f} s")
    print(
        f"first Overview after the upload (click -> idle, Playwright clock): {first_overview_s:.2f} s"
    )
    print(
        "queue filter change on Overview (click -> script finished), s: "
        + ", ".join(f"{t:.3f}" for t in times)
    )
    print(f"best {min(times):.3f} s, median {statistics.median(times):.3f} s over {len(times)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
