#!/usr/bin/env python3
"""Searches files and processes for secrets: every byte of every file under the given folders
(SQLite databases and their -wal/-shm files included, searched as bytes, not text) and the
command lines and environments (/proc/PID/cmdline, /proc/PID/environ) of the given processes.

Each secret is searched raw and in the encodings a leak could take on its way to disk: base64
(standard and URL-safe, at each of the three byte alignments), URL-encoding, JSON escaping, hex,
UTF-16 (WebKit's localStorage keeps values as UTF-16) and, for a JWT, its signature alone.

Used by scripts/secret_hygiene_cli.py (the CLI's sweep) and ui/tests/window/hygiene.test.mjs
(the window's). As a command:

  secret_sweep.py [--path DIR]... [--exclude DIR]... [--pid PID]... [--pid-tree PID]...
                  [--self-check DIR]  < secrets.json        ({"name": "value", ...} on stdin)

prints a JSON report (counts; each finding names the secret, the encoding and the place, never
the value) and exits 1 when any secret was found. `--self-check DIR` first plants a canary in DIR
(files, a SQLite database, a process's command line and environment) and fails unless the
scanner finds every plant: a sweep that cannot fail proves nothing.
"""

import base64
import binascii
import json
import os
import re
import secrets as rand
import sqlite3
import subprocess
import sys
import urllib.parse

# Shorter encodings would match by chance; every secret of the product is far longer.
MIN_NEEDLE = 12


def _base64_forms(raw: bytes):
    """The part of base64(…raw…) that does not depend on the bytes around `raw`, at each of the
    three alignments `raw` can start at."""
    out = []
    for shift in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            text = enc(b"\0" * shift + raw)
            # The first group mixes in the bytes before, the last the bytes after (or padding).
            start = 4 if shift else 0
            out.append(text[start:-4])
    return out


def variants(value: str):
    """(encoding, bytes) pairs to search for one secret."""
    raw = value.encode()
    forms = [("raw", raw)]
    forms += [(f"base64/{i}", b) for i, b in enumerate(_base64_forms(raw))]
    quoted = urllib.parse.quote(value, safe="").encode()
    forms.append(("url-encoded", quoted))
    forms.append(("json-escaped", json.dumps(value)[1:-1].encode()))
    forms.append(("hex", binascii.hexlify(raw)))
    forms.append(("HEX", binascii.hexlify(raw).upper()))
    forms.append(("utf-16le", value.encode("utf-16-le")))
    forms.append(("utf-16be", value.encode("utf-16-be")))
    seen, unique = set(), []
    for name, b in forms:
        if len(b) >= MIN_NEEDLE and b not in seen:
            seen.add(b)
            unique.append((name, b))
    return unique


def needles(secrets: dict):
    """Every (secret name, encoding, bytes) to search; a JWT's signature is a secret of its own."""
    expanded = dict(secrets)
    for name, value in secrets.items():
        parts = value.split(".")
        if len(parts) == 3 and all(parts):
            expanded[f"{name} (signature)"] = parts[2]
    return [(name, enc, b) for name, value in expanded.items() for enc, b in variants(value)]


class Sweep:
    def __init__(self, secrets: dict):
        if not secrets:
            raise ValueError("no secrets to search for")
        for name, value in secrets.items():
            if not isinstance(value, str) or len(value) < MIN_NEEDLE:
                raise ValueError(f"the secret '{name}' is missing or shorter than {MIN_NEEDLE}")
        self.secrets = secrets
        self.needles = needles(secrets)
        self.any = re.compile(b"|".join(re.escape(b) for _, _, b in self.needles))
        self.files = 0
        self.bytes = 0
        self.processes = set()
        self.findings = []

    def search(self, data: bytes, where: str):
        """Records every secret (in any encoding) found in data, as being in `where`."""
        if not self.any.search(data):
            return
        for name, enc, b in self.needles:
            if b in data:
                self.findings.append({"secret": name, "encoding": enc, "where": where})

    def scan_tree(self, root: str, exclude=()):
        """Every regular file under root (symlinks not followed), except the excluded folders."""
        exclude = [os.path.realpath(e) for e in exclude]
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [
                d for d in dirnames if os.path.realpath(os.path.join(dirpath, d)) not in exclude
            ]
            for f in filenames:
                self.scan_file(os.path.join(dirpath, f))

    def scan_file(self, path: str):
        if os.path.islink(path) or not os.path.isfile(path):
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return  # vanished or unreadable (a socket's lock file): nothing written to search
        self.files += 1
        self.bytes += len(data)
        self.search(data, path)

    def scan_process(self, pid: int, label: str = ""):
        """The command line and environment of a process (gone already: nothing to search)."""
        what = f"pid {pid}{' ' + label if label else ''}"
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as fh:
                    data = fh.read()
            except OSError:
                return
            self.search(data, f"{what} /proc/{pid}/{part}")
        self.processes.add(pid)

    def report(self):
        return {
            "files": self.files,
            "bytes": self.bytes,
            "processes": len(self.processes),
            "secrets": len(self.secrets),
            "needles": len(self.needles),
            "findings": self.findings,
        }


def process_tree(root: int):
    """root and every process descending from it, with their names."""
    children, names = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        # "PID (comm) STATE PPID ...": comm may hold spaces and parentheses.
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        names[int(entry)] = comm
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in names and pid not in out:
            out[pid] = names[pid]
            todo += children.get(pid, [])
    return out


def self_check(folder: str):
    """Plants a canary JWT-shaped secret in folder (raw, base64 at an odd offset, UTF-16 in a
    SQLite database, its signature alone, URL-encoded) and in a process's command line and
    environment; returns what was planted that the scanner did not find (empty: it works)."""
    sig = base64.urlsafe_b64encode(rand.token_bytes(48)).rstrip(b"=").decode()
    canary = f"canary.{rand.token_hex(16)}.{sig}"
    other = f"canary-cmdline-{rand.token_hex(16)}"
    plant = os.path.join(folder, ".secret-sweep-canary")
    os.makedirs(plant, exist_ok=True)
    expected = []

    def write(name, data, secret, encoding):
        with open(os.path.join(plant, name), "wb") as fh:
            fh.write(b"prefix " + data + b" suffix")
        expected.append((secret, encoding, os.path.join(plant, name)))

    write("raw.log", canary.encode(), "canary", "raw")
    write("b64.txt", base64.b64encode(b"x" + canary.encode()), "canary", "base64")
    write("sig.txt", sig.encode(), "canary (signature)", "raw")
    write("url.txt", urllib.parse.quote("k=" + canary + "/", safe="").encode(), "canary", "raw")
    db = os.path.join(plant, "storage.sqlite3")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE ItemTable (key TEXT, value BLOB)")
        conn.execute("INSERT INTO ItemTable VALUES (?, ?)", ("k", canary.encode("utf-16-le")))
    expected.append(("canary", "utf-16le", db))

    # A process carrying one canary on its command line, the other in its environment.
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; print(flush=True); sys.stdin.read()", other],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "SWEEP_CANARY": canary},
    )
    try:
        # Popen returns while exec may still be setting up the new command line: wait for it.
        child.stdout.readline()
        sweep = Sweep({"canary": canary, "cmdline canary": other})
        sweep.scan_tree(folder)
        sweep.scan_process(child.pid, "canary")
    finally:
        child.stdin.close()
        child.wait()
        child.stdout.close()
        for f in os.listdir(plant):
            os.remove(os.path.join(plant, f))
        os.rmdir(plant)
    expected.append(("canary", "raw", f"/proc/{child.pid}/environ"))
    expected.append(("cmdline canary", "raw", f"/proc/{child.pid}/cmdline"))
    missed = []
    for secret, enc, where in expected:
        if not any(
            f["secret"] == secret and f["encoding"].startswith(enc) and f["where"].endswith(where)
            for f in sweep.findings
        ):
            missed.append(f"{secret} ({enc}) in {where}")
    return missed


def main(argv):
    import argparse

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--path", action="append", default=[], help="a folder or file to search")
    p.add_argument("--exclude", action="append", default=[], help="a folder not to search")
    p.add_argument("--pid", action="append", type=int, default=[], help="a process to search")
    p.add_argument("--pid-tree", action="append", type=int, default=[],
                   help="a process and all its descendants")
    p.add_argument("--self-check", metavar="DIR", help="first prove the scanner finds a canary planted in DIR")
    args = p.parse_args(argv)
    report = {}
    if args.self_check:
        missed = self_check(args.self_check)
        report["selfCheck"] = {"missed": missed}
        if missed:
            print(json.dumps(report))
            return 2
    secrets = json.load(sys.stdin)
    sweep = Sweep(secrets)
    report["paths"] = {}
    for path in args.path:
        files, size = sweep.files, sweep.bytes
        if os.path.isdir(path):
            sweep.scan_tree(path, args.exclude)
        else:
            sweep.scan_file(path)
        report["paths"][path] = {"files": sweep.files - files, "bytes": sweep.bytes - size}
    me = os.getpid()
    pids = {pid: "" for pid in args.pid}
    for root in args.pid_tree:
        pids.update(process_tree(root))
    for pid, name in sorted(pids.items()):
        if pid != me:  # this scanner holds the secrets in memory, not in its environment
            sweep.scan_process(pid, name)
    report.update(sweep.report())
    report["processNames"] = sorted({n for n in pids.values() if n})
    print(json.dumps(report))
    return 1 if sweep.findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
