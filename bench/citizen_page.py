"""The citizen's page on a cheap phone: what the first load of /lapor transfers, how soon the
form is usable on a throttled "slow 4G" connection, and Lighthouse's accessibility and best
practices scores. A benchmark, not a test: it prints figures for BENCHMARKS.md.

Runs the service as `make run` does (SQLite, one gunicorn+gevent web process) and drives
Debian's chromium through Playwright; Lighthouse comes from the npm registry, installed under
the git-ignored `instance/lighthouse` (`npm install --prefix instance/lighthouse lighthouse@12`),
and runs against the same chromium (CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from bench.common import machine, prepare_database, service_env
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.processes import WebServer

LIGHTHOUSE = PROJECT_DIR / "instance" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
# Chrome DevTools' "Slow 4G" preset (its former "Fast 3G"): 562.5 ms latency, 1.44 Mbit/s
# down, 675 kbit/s up; with the CPU slowed 4x like a low-end Android.
SLOW_4G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6e6 / 8 * 0.9,
    "uploadThroughput": 750e3 / 8 * 0.9,
}
CPU_SLOWDOWN = 4
BUDGET_BYTES = 150 * 1024
BUDGET_READY_MS = 3000


def first_load_bytes(browser, base_url: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes on the wire (headers + body, as CDP counts them) for a first visit: the page, its
    files, and what the service worker fetches to keep the form for offline use."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"]))
    )
    page.goto(base_url + "/lapor", wait_until="networkidle")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(500)
    rows = [(urls.get(rid, rid).replace(base_url, ""), size) for rid, size in sizes.items()]
    # The worker's own fetches (cache.addAll) are another target: count them from the server's
    # answers, headers included, so the total is what a first visit really costs.
    import requests

    worker_paths = page.evaluate("""() => caches.open('lapor-v1').then(c => c.keys())
        .then(keys => keys.map(k => new URL(k.url).pathname))""")
    for path in [*worker_paths, "/lapor-sw.js"]:
        response = requests.get(base_url + path, timeout=10)
        header_bytes = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 20
        rows.append((f"{path} (service worker)", len(response.content) + header_bytes))
    # (The worker script itself is fetched by the browser, not the page: counted above too.)
    context.close()
    return sum(size for _, size in rows), sorted(rows, key=lambda r: -r[1])


def ready_times(browser, base_url: str, runs: int) -> tuple[list[float], list[float]]:
    """(ms until the form is enhanced and usable, ms until the plain form is interactive) for
    fresh visits on slow 4G with a 4x slower CPU."""
    ready, interactive = [], []
    for _ in range(runs):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(base_url + "/lapor", wait_until="commit")
        page.wait_for_function("() => performance.getEntriesByName('lapor-ready').length > 0", timeout=60_000)
        ready.append(page.evaluate("performance.getEntriesByName('lapor-ready')[0].startTime"))
        interactive.append(page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive"))
        context.close()
    return ready, interactive


def lighthouse(url: str, out_dir: Path) -> dict[str, float] | str:
    if not LIGHTHOUSE.exists():
        return "not run: Lighthouse is not installed (npm install --prefix instance/lighthouse lighthouse@12)"
    report = out_dir / "lighthouse.json"
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    flags = " ".join(["--headless", "--no-sandbox", *CHROMIUM_ARGS[1:]])
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=accessibility,best-practices,performance",
            f"--chrome-flags={flags}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not report.exists():
        return f"failed: {result.stderr.strip()[-300:]}"
    data = json.loads(report.read_text())
    scores = {name: round(category["score"] * 100) for name, category in data["categories"].items()}
    failed = [
        audit["id"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
        and any(
            audit["id"] in [ref["id"] for ref in data["categories"][c]["auditRefs"]]
            for c in ("accessibility", "best-practices")
        )
    ]
    scores["failed_audits"] = failed
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run_dir = Path(tempfile.mkdtemp(prefix="aduan-citizen-bench-"))
    env = service_env(f"sqlite:///{run_dir / 'aduan.db'}")
    prepare_database(env)
    server = WebServer(env, run_dir / "web.log", fork=False)  # as in production
    server.start()
    try:
        from playwright.sync_api import sync_playwright

        base = server.base_url
        import requests

        filed = requests.post(
            base + "/api/v1/complaints",
            timeout=10,
            json={"description": "Jalan berlubang di Jl. Dhoho", "location": {"lat": -7.81, "lon": 112.01}},
        )
        filed.raise_for_status()
        track_url = f"{base}/lacak/{filed.json()['ticket_number']}?token={filed.json()['tracking_token']}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            total, rows = first_load_bytes(browser, base)
            ready, interactive = ready_times(browser, base, args.runs)
            browser.close()
        print(f"# machine: {machine()}")
        print(
            f"first load of /lapor, 390x844, no map tiles: {total / 1024:.1f} KB transferred "
            f"(budget {BUDGET_BYTES // 1024} KB: {'met' if total <= BUDGET_BYTES else 'NOT met'})"
        )
        for path, size in rows:
            print(f"  {size / 1024:7.1f} KB  {path}")
        leaflet = sum(
            (PROJECT_DIR / "ticketing/static/vendor/leaflet" / name).stat().st_size
            for name in ("leaflet.js", "leaflet.css")
        )
        print(f"  (Leaflet, {leaflet / 1024:.0f} KB, loads only when the citizen opens the map)")
        print(f"slow 4G (562.5 ms, 1.44/0.68 Mbit/s) + CPU x{CPU_SLOWDOWN}, {args.runs} fresh visits:")
        print(
            f"  form enhanced and usable (lapor.js ready): median {statistics.median(ready):.0f} ms, "
            f"max {max(ready):.0f} ms (budget {BUDGET_READY_MS} ms: "
            f"{'met' if max(ready) < BUDGET_READY_MS else 'NOT met'})"
        )
        print(
            f"  plain form interactive (domInteractive):   median {statistics.median(interactive):.0f} ms, "
            f"max {max(interactive):.0f} ms"
        )
        for name, url in (("/lapor", base + "/lapor"), ("/lacak/<n>?token=", track_url)):
            scores = lighthouse(url, run_dir)
            if isinstance(scores, str):
                print(f"lighthouse {name}: {scores}")
                continue
            verdict = "met" if scores["accessibility"] >= 95 and scores["best-practices"] >= 95 else "NOT met"
            print(
                f"lighthouse {name} (mobile defaults): accessibility {scores['accessibility']}, "
                f"best practices {scores['best-practices']}, performance "
                f"{scores['performance']} (budget a11y and best practices >= 95: {verdict})"
                + (f"; failing: {', '.join(scores['failed_audits'])}" if scores["failed_audits"] else "")
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
