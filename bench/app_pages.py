"""Each page's script time on the bundled sample, in process (Streamlit's AppTest, no browser).

Usage: ``python bench/app_pages.py [--root DIR] [--profile PAGE]``.

Not a test. Runs ``app.py`` of ``--root`` (default: this checkout; another checkout
measures an older commit in the same session) in one AppTest session: the first
run (the Overview, imports and the sample's load included), a rerun, a queue
picked and removed on the Overview, then every page of the menu once (first
visit) and once more (revisit), then four queue changes on the Overview. Prints
the seconds of each run, timed around ``AppTest.run``: the script alone, without
the browser's drawing or the websocket that ``bench/browser_journey.py`` also
counts. ``--profile PAGE`` (a page file's stem, e.g. ``teams_page``, or
``first_load``) prints cProfile's 40 costliest calls of that page's first run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["main"]

#: The menu's pages after the Overview (``pages.common.state.PAGES``).
PAGES = (
    "control_charts_page",
    "drilldown_page",
    "teams_page",
    "staffing_page",
    "report_page",
    "data_page",
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose app.py runs")
    parser.add_argument("--queue", default="VIP", help="queue picked and removed")
    parser.add_argument("--profile", default="", help="page stem (or first_load) to profile")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    os.chdir(root)

    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiles: dict[str, cProfile.Profile] = {}
    run_thread = LocalScriptRunner._run_script_thread

    def profiled(self):  # the script runs in its own thread: profile that thread
        profile = cProfile.Profile()
        profiles["last"] = profile
        profile.enable()
        try:
            return run_thread(self)
        finally:
            profile.disable()

    if args.profile:
        LocalScriptRunner._run_script_thread = profiled
    app = AppTest.from_file(str(root / "app.py"), default_timeout=300)
    rows: list[tuple[str, float]] = []

    def timed(label: str, stem: str = "") -> None:
        started = time.perf_counter()
        app.run()
        rows.append((label, time.perf_counter() - started))
        if app.exception:
            raise RuntimeError(f"{label}: {[e.value for e in app.exception]}")
        if args.profile and stem == args.profile:
            text = io.StringIO()
            stats = pstats.Stats(profiles["last"], stream=text)
            stats.sort_stats("cumulative").print_stats(40)
            print(text.getvalue(), file=sys.stderr)

    def queue(pick: bool, label: str) -> None:
        widget = app.multiselect(key="queues")
        widget.select(args.queue) if pick else widget.unselect(args.queue)
        timed(label)

    timed("first load (Overview)", "first_load")
    timed("Overview rerun")
    queue(True, "queue picked")
    queue(False, "queue removed")
    for stem in PAGES:
        app.switch_page(f"pages/{stem}.py")
        timed(f"{stem}: first visit", stem)
    for stem in ("overview_page", *PAGES):
        app.switch_page(f"pages/{stem}.py")
        timed(f"{stem}: revisit")
    app.switch_page("pages/overview_page.py")
    app.run()  # back on the Overview (not timed): the queue changes rerun it
    for repeat in range(4):
        queue(repeat % 2 == 0, f"Overview queue change {repeat + 1} (after every page)")

    print(f"# bench/app_pages.py --root {root}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"# load average {os.getloadavg()[0]:.2f} at the end")
    for label, seconds in rows:
        print(f"{label}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
