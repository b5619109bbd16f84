#!/usr/bin/env python3
"""`make bench`: builds what the benches need (release), runs every benchmark one after the other,
each under its own timeout, collects their FIGURE lines and prints the table of figures beside
their same-run baselines, the "How cost grows" table and, last, one line `BENCH {json}`.

Environment:
  BENCH_SIZES      users for the size-dependent runs (default "10000 100000 1000000"; "10k 100k")
  BENCH_ONLY       run only these steps (comma-separated names or prefixes: tokens,sync,window)
  BENCH_SKIP       skip these steps (same form)
  BENCH_APP_BUILD  auto (default: the release app and the .deb of `make package` are rebuilt
                   when older than their sources), always, never (use what is there)
  BENCH_TIMEOUT_SCALE  multiplies every step's timeout (default 1)
Each step's whole output goes to .run/bench/<step>.log and, as it runs, to stderr.
Exit status: 0 when every step ran to the end (an unmet goal is not a failure), 1 otherwise.
"""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_figures as bf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.setdefault("CARGO_TARGET_DIR", str(Path.home() / ".cache/amorphic-su-target")))
os.environ.setdefault("TAURI_FRONTEND_PATH", "ui")
os.environ.setdefault("CARGO_TERM_COLOR", "never")
RELEASE = TARGET / "release"  # `cargo build --profile bench` and `tauri build` both write here
SERVER, CLI, APP = RELEASE / "amorphic-su-server", RELEASE / "amorphic-su", RELEASE / "amorphic-su-desktop"
LOGS = ROOT / ".run" / "bench"
# What the release app and its .deb are built from (tests and benches are not).
APP_SOURCES = ["src-tauri", "crates", "ui/src", "ui/index.html", "ui/package.json", "ui/package-lock.json",
               "ui/vite.config.ts", "Cargo.toml", "Cargo.lock", "tauri.conf.json", "packaging", "icons"]


@dataclass
class Step:
    name: str
    cmd: list[str]
    timeout: float
    size: int | None = None  # BENCH_USERS for this run
    primary: int | None = None  # the size whose keys stay without a size suffix
    env: dict[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = ()  # the builds it runs on (names of build steps)
    build: bool = False  # a build: timed, not a bench; run only when a selected step needs it


@dataclass
class Result:
    step: Step
    seconds: float
    status: str  # "ok", "failed (exit N)", "timeout after N s", "skipped: why"
    output: str = ""

    @property
    def failed(self) -> bool:
        return self.status not in ("ok",) and not self.status.startswith("skipped")


CURRENT: list[subprocess.Popen] = []  # the step running now, stopped with bench.py


def stop_and_exit(signum: int, _frame: object) -> None:
    """Ctrl-C or a TERM stops the running step's whole process group, then bench.py."""
    for p in CURRENT:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    print(f"make bench: stopped by signal {signum}", file=sys.stderr)
    sys.exit(128 + signum)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def run(step: Step) -> Result:
    """Runs one step in its own process group, its output to the log and to stderr; on timeout
    the whole group is stopped (TERM, then KILL 10 s later)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / (step.name.replace(" ", "-").replace("/", "-") + ".log")
    env = {**os.environ, **step.env}
    if step.size is not None:
        env["BENCH_USERS"] = str(step.size)
    print(f"\n=== {step.name}: {' '.join(step.cmd)}"
          + (f" (BENCH_USERS={step.size})" if step.size else "") + f", load {load_average()}",
          file=sys.stderr, flush=True)
    t = time.monotonic()
    timed_out = threading.Event()
    chunks: list[str] = []
    with open(log, "w") as out:
        try:
            p = subprocess.Popen(step.cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, text=True, errors="replace", start_new_session=True)
        except OSError as e:
            return Result(step, 0.0, f"failed ({e})")

        def stop() -> None:
            timed_out.set()
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 0)):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    return
                deadline = time.monotonic() + wait
                while wait and p.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.2)
        CURRENT[:] = [p]
        timer = threading.Timer(step.timeout, stop)
        timer.daemon = True  # a stopped bench.py does not wait for it
        timer.start()
        assert p.stdout is not None
        for line in p.stdout:
            chunks.append(line)
            out.write(line)
            sys.stderr.write(line)
        rc = p.wait()
        timer.cancel()
        CURRENT.clear()
    seconds = time.monotonic() - t
    if timed_out.is_set():
        status = f"timeout after {step.timeout:.0f} s"
    else:
        status = "ok" if rc == 0 else f"failed (exit {rc})"
    print(f"=== {step.name}: {status} in {seconds:.1f} s (log {log.relative_to(ROOT)})", file=sys.stderr, flush=True)
    return Result(step, seconds, status, "".join(chunks))


def client_benches() -> list[str]:
    """The client crate's bench targets among sync, cache and fleet (cache only once it exists)."""
    manifest = tomllib.loads((ROOT / "crates/client/Cargo.toml").read_text())
    names = {b.get("name") for b in manifest.get("bench", [])}
    return [n for n in ("sync", "cache", "fleet") if n in names]


def newest_source() -> tuple[float, str]:
    files = subprocess.run(["git", "ls-files", "-z", "--", *APP_SOURCES], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    newest = (0.0, "")
    for f in files:
        if not f or "/tests/" in f or "/benches/" in f:
            continue
        try:
            newest = max(newest, (os.stat(ROOT / f).st_mtime, f))
        except FileNotFoundError:
            pass
    return newest


def bundle_dir() -> Path:
    """Where `make package` leaves the shipped bundles (its profile's folder), else the release one."""
    for profile in ("installer", "release"):
        if glob.glob(str(TARGET / profile / "bundle/deb/*.deb")):
            return TARGET / profile / "bundle"
    return TARGET / "installer" / "bundle"


def newest_deb() -> Path | None:
    debs = sorted(glob.glob(str(bundle_dir() / "deb/*.deb")), key=os.path.getmtime)
    return Path(debs[-1]) if debs else None


def build_steps() -> tuple[list[Step], list[str]]:
    """The release app the window bench opens (`tauri build --no-bundle`) and the shipped .deb
    (`make package`): each rebuilt when missing or older than the newest source it is built from,
    unless BENCH_APP_BUILD says otherwise; says what it decided."""
    mode = os.environ.get("BENCH_APP_BUILD", "auto")
    src_time, src = newest_source()
    deb = newest_deb()
    tauri = str(ROOT / "ui/node_modules/.bin/tauri")
    steps, notes = [], []
    for name, built, step in [
        ("release app", APP, Step("build app", [tauri, "build", "--no-bundle", "--ci"], 3600, build=True)),
        (".deb", deb, Step("build package", ["make", "--no-print-directory", "package"], 3600, build=True)),
    ]:
        if mode == "never":
            notes.append(f"{name}: BENCH_APP_BUILD=never, taken as it is ({built or 'missing'})")
        elif mode == "always":
            steps.append(step)
            notes.append(f"{name}: BENCH_APP_BUILD=always, rebuilt")
        elif built is None or not Path(built).exists():
            steps.append(step)
            notes.append(f"{name}: none yet, built")
        elif os.path.getmtime(built) < src_time:
            steps.append(step)
            notes.append(f"{name}: older than {src}, rebuilt")
        else:
            notes.append(f"{name}: newer than every source, reused ({built})")
    return steps, notes


def plan(sizes: list[int]) -> tuple[list[Step], list[str]]:
    scale = float(os.environ.get("BENCH_TIMEOUT_SCALE", "1"))
    notes: list[str] = []
    benches = client_benches()

    def per_size(n: int, base: float) -> float:
        # Seeding, syncing and searching grow with the users: 1M gets ~4x a 10k run's time.
        return scale * base * (1 + 3 * min(n, 1_000_000) / 1_000_000)

    steps = [
        Step("build server and CLI", ["cargo", "build", "--profile", "bench", "-p", "amorphic-su-server",
                                      "-p", "amorphic-su"], 3600, build=True),
        Step("build server bench", ["cargo", "bench", "--no-run", "-p", "amorphic-su-server", "--bench", "tokens"],
             3600, build=True),
        *[Step(f"build {b} bench", ["cargo", "bench", "--no-run", "-p", "amorphic-su-client", "--bench", b],
               3600, build=True) for b in benches],
    ]
    builds, build_notes = build_steps()
    steps += builds
    server_cli, app, package = ("build server and CLI",), ("build app",), ("build package",)
    window_needs = server_cli + app
    if (ROOT / "examples/empty_window.rs").exists():
        # The window bench's baseline, an empty Tauri window with the app's release profile (the
        # bench builds it itself otherwise, inside its timed step).
        steps.append(Step("build empty window", ["cargo", "build", "--release", "--features", "tauri/custom-protocol",
                                                 "--example", "empty_window"], 3600, build=True))
        window_needs += ("build empty window",)
    steps.append(Step("tokens", ["cargo", "bench", "-p", "amorphic-su-server", "--bench", "tokens"], 300 * scale,
                      needs=("build server bench",)))
    for n in sizes:
        # cache before sync: both print cache_bytes_<size>, and the sync's (after a full sync) is kept.
        for b in ("cache", "sync"):
            if b in benches:
                steps.append(Step(f"{b} {bf.size_tag(n)}", ["cargo", "bench", "-p", "amorphic-su-client", "--bench", b],
                                  per_size(n, 240), size=n, primary=100_000, needs=(f"build {b} bench",)))
    if "fleet" in benches:
        steps.append(Step("fleet", ["cargo", "bench", "-p", "amorphic-su-client", "--bench", "fleet"], 300 * scale,
                          needs=("build fleet bench",)))
    steps.append(Step("bulk cli", ["scripts/session.sh", "--", "scripts/bench-bulk-cli.sh", str(SERVER), str(CLI)],
                      240 * scale, needs=server_cli))
    if (ROOT / "scripts/bench-wan.sh").exists():
        steps.append(Step("wan", ["scripts/bench-wan.sh"], 600 * scale, size=100_000, primary=100_000,
                          needs=("build sync bench",)))
    else:
        notes.append("scripts/bench-wan.sh is not there yet: no WAN figures")
    for n in sizes:
        steps.append(Step(f"window {bf.size_tag(n)}", ["scripts/session.sh", "--display", "--",
                                                       "scripts/bench-window.sh", str(SERVER), str(CLI), str(APP)],
                          per_size(n, 420), size=n, primary=10_000, needs=window_needs))
    steps.append(Step("deb", ["scripts/bundle-sizes.sh", str(bundle_dir())], 60 * scale, needs=package))
    wanted = {n for s in selected(steps) for n in s.needs}
    notes += [n for n in build_notes if (n.startswith(".deb") and package[0] in wanted)
              or (n.startswith("release app") and app[0] in wanted)]
    return steps, notes


def selected(steps: list[Step]) -> list[Step]:
    """The benches BENCH_ONLY and BENCH_SKIP leave (names or prefixes), and the builds they need."""
    def names(var: str) -> list[str]:
        return [s.strip() for s in os.environ.get(var, "").split(",") if s.strip()]
    only, skip = names("BENCH_ONLY"), names("BENCH_SKIP")
    benches = [s for s in steps if not s.build and (not only or any(s.name.startswith(p) for p in only))
               and not any(s.name.startswith(p) for p in skip)]
    needed = {n for s in benches for n in s.needs}
    return [s for s in steps if (s.build and s.name in needed) or s in benches]


def deb_fallback(figures: dict[str, bf.Figure]) -> None:
    """The .deb's size when the bundle script printed no FIGURE for it."""
    deb = newest_deb()
    if "deb_bytes" not in figures and deb is not None:
        figures["deb_bytes"] = bf.Figure("deb_bytes", float(deb.stat().st_size), "bytes",
                                         deb.name, goal_abs="<= 6291456", step="deb")


def main() -> int:
    try:
        sizes = [bf.parse_size(s) for s in os.environ.get("BENCH_SIZES", "10000 100000 1000000").replace(",", " ").split()]
    except ValueError as e:
        print(f"BENCH_SIZES: {e}", file=sys.stderr)
        return 2
    if not sizes:
        print("BENCH_SIZES is empty: give at least one number of users (e.g. 10000)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, stop_and_exit)
    signal.signal(signal.SIGINT, stop_and_exit)
    load_start = load_average()
    steps, notes = plan(sizes)
    steps = selected(steps)
    results: list[Result] = []
    figures: dict[str, bf.Figure] = {}
    for step in steps:
        broken = [r.step.name for r in results if r.step.build and r.failed and r.step.name in step.needs]
        if broken:
            results.append(Result(step, 0.0, f"skipped: {', '.join(broken)} failed"))
            continue
        r = run(step)
        results.append(r)
        found, errors = bf.parse_figures(r.output, step.name, step.size)
        notes += errors
        notes += bf.merge(figures, bf.adopt(found, step.size, step.primary))
    if any(s.name == "deb" for s in steps):
        deb_fallback(figures)

    bench_time = sum(r.seconds for r in results if not r.step.build)
    build_time = sum(r.seconds for r in results if r.step.build)
    print()
    print(f"make bench: {len(figures)} figures; sizes {', '.join(bf.size_tag(s) for s in sizes)}; "
          f"{os.cpu_count()} cores; load average {load_start} at the start, {load_average()} at the end; "
          f"build {build_time / 60:.1f} min, benches {bench_time / 60:.1f} min")
    for n in notes:
        print(f"- {n}")
    print()
    print(bf.markdown(["step", "time", "result", "figures"],
                      [[r.step.name, f"{r.seconds:.1f} s", r.status,
                        str(len(bf.parse_figures(r.output)[0]))] for r in results]))
    print()
    print(bf.figures_table(figures))
    print()
    print("How cost grows")
    print()
    print(bf.growth_table(figures, sizes))
    print()
    line, missing = bf.bench_line(figures)
    failed = [r.step.name for r in results if r.failed]
    if missing:
        print(f"make bench: missing {len(missing)} key(s), printed as null: {', '.join(missing)}", file=sys.stderr)
    if failed:
        print(f"make bench: failed: {', '.join(failed)} (logs in {LOGS.relative_to(ROOT)})", file=sys.stderr)
    sys.stdout.flush()
    print(line, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
