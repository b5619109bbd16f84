"""The figures of `make bench`: FIGURE lines read from the benches' output, each set beside its
same-run baseline with the ratio and the goal, the table of them, the "How cost grows" table and
the closing BENCH line. No I/O here but parsing text; scripts/bench.py runs the benches.

A bench prints, per figure, one line on stdout:
  FIGURE {"key":"token_issue_rps","value":21409.0,"unit":"req/s","label":"...",
          "baseline":"loopback_rps","goal":">= 0.45"}
`goal` is on the ratio value / baseline; `goal_abs` on the value itself, in its unit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Every key the BENCH line holds, null when no bench printed it.
REQUIRED = [
    "token_issue_rps", "acting_as_rps", "loopback_rps", "cache_write_rows_per_s",
    "sqlite_c_insert_rows_per_s", "full_sync_100k_s", "full_sync_100k_wan_s",
    "incremental_sync_1k_ms", "search_p95_ms_100k", "search_p95_ms_1m", "cold_start_ms_10k",
    "empty_tauri_first_paint_ms", "idle_pss_mib", "keystroke_p95_ms_100k", "deb_bytes",
]

# A required key no bench printed under its own name is taken from the same figure at its size.
ALIASES = {"idle_pss_mib": "idle_pss_mib_10k", "full_sync_100k_s": "full_sync_s_100k"}

# "How cost grows": a row per measure; the key patterns tried at each size ({t} = "10k", ...);
# a pattern's key without "_{t}", printed by the run of that very size, counts too.
GROWTH = [
    ("full sync, end to end", "s", ["full_sync_s_{t}", "full_sync_{t}_s"], 1.0),
    ("search p95", "ms", ["search_p95_ms_{t}"], 1.0),
    ("cache on disk (file + -wal) after the full sync", "MB", ["cache_bytes_{t}"], 1e-6),
    ("app memory, idle PSS of the process tree", "MiB", ["idle_pss_mib_{t}"], 1.0),
    ("window cold start to first rows (median)", "ms", ["cold_start_ms_{t}"], 1.0),
]

# A size inside a key: full_sync_100k_s, cache_bytes_1m, search_p95_ms_10k.
SIZE_IN_KEY = re.compile(r"(^|_)\d+[km](_|$)")
GOAL = re.compile(r"^\s*(>=|<=|>|<|=)\s*(-?[0-9][0-9_,]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")


@dataclass
class Figure:
    key: str
    value: float
    unit: str = ""
    label: str = ""
    baseline: str | None = None
    goal: str | None = None
    goal_abs: str | None = None
    size: int | None = None  # BENCH_USERS of the run that printed it
    step: str = ""


@dataclass
class Row:
    key: str
    value: str
    unit: str
    baseline: str
    ratio: str
    goal: str
    met: str
    label: str = ""


def size_tag(n: int) -> str:
    """10000 -> "10k", 1000000 -> "1m", 12345 -> "12345" (as the benches suffix keys)."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def parse_size(text: str) -> int:
    """ "100000", "100_000", "100k", "1m" -> the number of users."""
    t = text.strip().lower().replace("_", "").replace(",", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    digits = t[:-1] if mult > 1 else t
    if not digits.isdigit() or int(digits) == 0:
        raise ValueError(f"not a number of users: {text!r} (e.g. 10000, 100k, 1m)")
    return int(digits) * mult


def parse_figures(text: str, step: str = "", size: int | None = None) -> tuple[list[Figure], list[str]]:
    """The FIGURE lines of a bench's output, and a complaint for each malformed one."""
    figures, errors = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("FIGURE "):
            continue
        try:
            d = json.loads(line[len("FIGURE "):])
            key, value = d["key"], d["value"]
            if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9_]+", key):
                raise ValueError(f"key {key!r} is not snake_case")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"value of {key} is not a number: {value!r}")
            figures.append(Figure(
                key=key, value=float(value), unit=str(d.get("unit", "")), label=str(d.get("label", "")),
                baseline=d.get("baseline") or None, goal=d.get("goal") or None,
                goal_abs=d.get("goal_abs") or None, size=size, step=step,
            ))
        except (ValueError, KeyError, TypeError) as e:
            errors.append(f"{step or 'bench'}: bad FIGURE line ({e}): {line[:200]}")
    return figures, errors


def adopt(figures: list[Figure], size: int | None, primary: int | None) -> list[Figure]:
    """A run at a size other than the bench's primary one: its keys without a size get the size
    as a suffix (cache_write_rows_per_s at 1M -> cache_write_rows_per_s_1m), and so do baselines
    naming such a key of the same run, so runs at several sizes never overwrite each other."""
    if size is None or size == primary:
        return figures
    tag = size_tag(size)
    renamed = {f.key for f in figures if not SIZE_IN_KEY.search(f.key)}
    for f in figures:
        if f.key in renamed:
            f.key = f"{f.key}_{tag}"
        if f.baseline in renamed:
            f.baseline = f"{f.baseline}_{tag}"
    return figures


def merge(into: dict[str, Figure], figures: list[Figure]) -> list[str]:
    """Adds figures by key (a later one replaces an earlier); says which keys came twice."""
    notes = []
    for f in figures:
        old = into.get(f.key)
        if old is not None and old.value != f.value:
            notes.append(f"{f.key} printed twice ({old.step}: {old.value:g}, {f.step}: {f.value:g}); kept the last")
        into[f.key] = f
    return notes


def parse_goal(goal: str) -> tuple[str, float]:
    m = GOAL.match(goal)
    if not m:
        raise ValueError(f"goal {goal!r} is not like '>= 0.45' or '<= 2'")
    return m.group(1), float(m.group(2).replace("_", "").replace(",", ""))


def goal_met(goal: str, x: float) -> bool:
    op, bound = parse_goal(goal)
    return {">=": x >= bound, "<=": x <= bound, ">": x > bound, "<": x < bound, "=": x == bound}[op]


def fmt(x: float | None) -> str:
    if x is None:
        return "-"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 0.01 or a == 0:
        return f"{x:.2f}"
    return f"{x:.3g}"


def evaluate(f: Figure, figures: dict[str, Figure]) -> Row:
    """A figure beside its baseline: the ratio, and whether each goal it has is met."""
    base = figures.get(f.baseline) if f.baseline else None
    ratio = f.value / base.value if base is not None and base.value != 0 else None
    verdicts, goals = [], []
    if f.goal:
        goals.append(f"ratio {f.goal}")
        if ratio is None:
            verdicts.append(None)
        else:
            verdicts.append(goal_met(f.goal, ratio))
    if f.goal_abs:
        goals.append(f"{f.goal_abs} {f.unit}".strip())
        verdicts.append(goal_met(f.goal_abs, f.value))
    if not verdicts:
        met = ""
    elif False in verdicts:
        met = "**missed**"
    elif None in verdicts:
        met = "n/a (no baseline)"
    else:
        met = "met"
    baseline = ""
    if f.baseline:
        baseline = f"{f.baseline} = {fmt(base.value)}" if base else f"{f.baseline} (missing)"
    return Row(f.key, fmt(f.value), f.unit, baseline, fmt(ratio) if ratio is not None else "",
               "; ".join(goals), met, f.label)


def markdown(headers: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    return "\n".join(out)


def figures_table(figures: dict[str, Figure]) -> str:
    rows = [evaluate(f, figures) for f in figures.values()]
    return markdown(
        ["figure", "value", "unit", "baseline (same run)", "ratio", "goal", "met", "what"],
        [[r.key, r.value, r.unit, r.baseline, r.ratio, r.goal, r.met, r.label] for r in rows],
    )


def growth_value(figures: dict[str, Figure], patterns: list[str], size: int) -> float | None:
    tag = size_tag(size)
    for p in patterns:
        f = figures.get(p.format(t=tag))
        if f is not None:
            return f.value
    for p in patterns:
        f = figures.get(p.replace("_{t}", ""))
        if f is not None and f.size == size:
            return f.value
    return None


def growth_table(figures: dict[str, Figure], sizes: list[int]) -> str:
    """Each measure at each size, and how many times the largest size's cost is the smallest's."""
    rows = []
    for label, unit, patterns, scale in GROWTH:
        values = [growth_value(figures, patterns, s) for s in sizes]
        cells = [fmt(v * scale) if v is not None else "-" for v in values]
        first, last = values[0], values[-1]
        times = f"x{fmt(last / first)}" if len(sizes) > 1 and first and last is not None else ""
        rows.append([f"{label} ({unit})", *cells, times])
    spread = f"{size_tag(sizes[-1])} / {size_tag(sizes[0])}" if len(sizes) > 1 else ""
    return markdown(["users cached", *[size_tag(s) for s in sizes], spread], rows)


def bench_line(figures: dict[str, Figure]) -> tuple[str, list[str]]:
    """`BENCH {json}`: every required key (null when missing) and every other key printed; and
    the required keys missing."""
    def value(k: str) -> float | None:
        f = figures.get(k) or figures.get(ALIASES.get(k, ""))
        return f.value if f else None
    values = {k: value(k) for k in REQUIRED}
    for k, f in figures.items():
        values.setdefault(k, f.value)
    missing = [k for k in REQUIRED if values[k] is None]
    return "BENCH " + json.dumps(values, separators=(",", ":")), missing
