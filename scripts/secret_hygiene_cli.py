#!/usr/bin/env python3
"""The CLI's secret-hygiene sweep: a whole session of the `amorphic-su` CLI against a real
reference server, in a fresh HOME, XDG folders and TMPDIR, then a search for every secret the
session produced in every file they hold (the server's database and log, the CLI's cache and
config, every command's stdout and stderr), in the command lines and environments of every CLI
run, and in /proc of the server, the CLI and the command `exec` runs, sampled while it runs.

The session: sign in with a password, sign in with a personal access token (PAT), sync, assume a
service user, `exec` a command as it (which reaches the server through the CLI's proxy), create a
PAT (the secret is printed once: that stdout is kept in memory, the one place it may be), sign
in with that PAT, renew the assumed token, sign out everywhere (the signed-out session token must
then be refused: 401 on /whoami); then the server is sent an altered
session token, the assumed token with another principal's credential and one with an altered
signature (refused credentials must not be logged either). The secrets: the password, both
PATs, every session token and assumed token (read back from the Secret Service with secret-tool),
each token's signature alone, and the one-time credential `exec` gives its command (allowed only
in that command's environment). A self-check plants a canary in the scanned folders and in a
process, and fails unless the scanner finds each plant; then this session's own session token and
new PAT are planted (UTF-16 in a SQLite database, base64 in a log) and must be found too.

Run inside scripts/session.sh (a D-Bus session with an unlocked keyring):
  scripts/session.sh -- scripts/secret_hygiene_cli.py SERVER_BIN CLI_BIN
"""

import base64
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import secret_sweep  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "crates/server/seed/demo-seed.json")
PASSWORD = "alice-demo-password"  # alice's, from the demo seed
SEED_PAT = "amo_pat_alice_default_demo_00000000000000"  # alice's demo-default PAT, same seed
SU = "etl-bot"
ROLE = "role-data-engineers"

# What the command run by `exec` does: a request through the proxy with its one-time credential,
# then it reports (on an inherited pipe, not a file or its output) and waits to be sampled.
CHILD = r"""
import json, os, urllib.request
req = urllib.request.Request(os.environ["AMORPHIC_BASE_URL"] + "/whoami",
                             headers={"Authorization": os.environ["AMORPHIC_AUTHORIZATION_TOKEN"]})
who = json.load(urllib.request.urlopen(req, timeout=20))
with os.fdopen(int(os.environ["SWEEP_REPORT_FD"]), "w") as out:
    out.write(json.dumps({"pid": os.getpid(), "user": who.get("UserId"),
                          "token": os.environ["AMORPHIC_AUTHORIZATION_TOKEN"]}) + "\n")
os.read(int(os.environ["SWEEP_WAIT_FD"]), 1)
"""


def fail(msg):
    print(f"secret hygiene (CLI): {msg}", file=sys.stderr)
    sys.exit(1)


class Session:
    def __init__(self, server_bin, cli_bin):
        self.cli_bin = cli_bin
        self.work = tempfile.mkdtemp(prefix="amorphic-su-sweep.")
        d = {k: os.path.join(self.work, k) for k in ("home", "config", "data", "cache", "state", "tmp", "server", "logs")}
        for p in d.values():
            os.makedirs(p)
        self.logs = d["logs"]
        self.env = {
            "PATH": os.environ["PATH"],
            "DBUS_SESSION_BUS_ADDRESS": os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""),
            "XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR", ""),
            "HOME": d["home"],
            "XDG_CONFIG_HOME": d["config"],
            "XDG_DATA_HOME": d["data"],
            "XDG_CACHE_HOME": d["cache"],
            "XDG_STATE_HOME": d["state"],
            "TMPDIR": d["tmp"],
            "LANG": "C.UTF-8",
        }
        if not self.env["DBUS_SESSION_BUS_ADDRESS"]:
            fail("no D-Bus session: run it inside scripts/session.sh")
        self.runs = []  # every CLI run's (argv, env), as /proc showed them when it started
        self.samples = []  # (label, cmdline, environ) of the CLI runs sampled while running
        self.step = 0
        # The server logs at debug level: louder than its default, so more that could leak.
        log = open(os.path.join(d["server"], "server.log"), "wb")
        err = open(os.path.join(d["server"], "server.err.log"), "wb")
        self.server = subprocess.Popen(
            [server_bin, "--listen", "127.0.0.1:0", "--db", os.path.join(d["server"], "server.db"), "--seed", SEED],
            stdout=log, stderr=err, env={**self.env, "RUST_LOG": "debug"},
        )
        self.url = None
        for _ in range(1200):
            with open(log.name) as fh:
                first = fh.readline().strip()
            if first.startswith("listening on "):
                self.url = first[len("listening on "):]
                break
            if self.server.poll() is not None:
                fail(f"the server did not start; see {err.name}")
            time.sleep(0.05)
        if not self.url:
            fail("the server did not report its address within 60 s")

    def cli(self, *args, stdin=None, keep_stdout=False, **popen):
        """Runs the CLI; stdout and stderr go to log files (scanned), except keep_stdout's."""
        self.step += 1
        argv = [self.cli_bin, *args]
        self.runs.append((argv, dict(self.env)))
        words = [a for a in args if not a.startswith("-")]
        name = f"{self.step:02d}-{words[0] if args[0] != '--profile' else words[1]}"
        err = open(os.path.join(self.logs, name + ".err"), "wb")
        out = subprocess.PIPE if keep_stdout else open(os.path.join(self.logs, name + ".out"), "wb")
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out, stderr=err, env=self.env, **popen)
        err.close()
        if not keep_stdout:
            out.close()
        self.sample(p, f"`{' '.join(args[:3])} …`")
        return p, (stdin.encode() if stdin else None)

    def sample(self, p, label):
        """/proc cmdline and environ of a CLI run while it runs (a login waits for its standard
        input; a quick command may be gone first), kept to search at the end with every secret."""
        for _ in range(400):
            try:
                with open(f"/proc/{p.pid}/cmdline", "rb") as fh:
                    cmdline = fh.read()
                with open(f"/proc/{p.pid}/environ", "rb") as fh:
                    environ = fh.read()
            except OSError:
                return
            if p.poll() is not None:
                return
            # Until its exec is done, the process shows this script's command line.
            if cmdline.startswith(self.cli_bin.encode()):
                self.samples.append((f"{label} (pid {p.pid})", cmdline, environ))
                return
            time.sleep(0.005)

    def run(self, *args, stdin=None, keep_stdout=False):
        p, data = self.cli(*args, stdin=stdin, keep_stdout=keep_stdout)
        out, _ = p.communicate(data, timeout=60)
        for f in (p.stdout, p.stderr):
            if f:
                f.close()
        if p.returncode != 0:
            fail(f"`amorphic-su {' '.join(args)}` exited {p.returncode}; see {self.logs}")
        return out

    def keychain(self):
        """Every secret of the app in the Secret Service, by account."""
        out = subprocess.run(
            ["secret-tool", "search", "--all", "service", "amorphic-su-desktop"],
            capture_output=True, text=True, env={**os.environ}, check=False,
        ).stdout
        # One block per item on stdout, "[/path]" first (the attributes go to stderr): the keyring
        # crate labels an item "<account>@<service>:<target> (keyring vX)".
        found, item = {}, {}
        for line in out.splitlines() + ["["]:
            if line.startswith("["):
                if "account" in item and "secret" in item:
                    found[item["account"]] = item["secret"]
                item = {}
            elif line.startswith("label = "):
                item["account"] = line.split(" = ", 1)[1].split("@amorphic-su-desktop")[0]
            elif line.startswith("secret = "):
                item["secret"] = line.split(" = ", 1)[1]
        return found


def main(server_bin, cli_bin):
    started = time.monotonic()
    s = Session(server_bin, cli_bin)
    secrets = {"alice's password": PASSWORD, "alice's seed PAT": SEED_PAT}

    def collect(when):
        for account, value in s.keychain().items():
            if value not in secrets.values():
                secrets[f"{account} ({when})"] = value

    passed = False
    try:
        s.run("profile", "add", "main", "--url", s.url, "--user", "alice", "--role", "SystemRole-SuperAdmin")
        s.run("profile", "use", "main")
        s.run("login", "--password", "--password-stdin", stdin=PASSWORD)
        s.run("whoami")
        collect("password sign-in")
        s.run("profile", "add", "pat", "--url", s.url)
        s.run("--profile", "pat", "login", "--token-stdin", stdin=SEED_PAT)
        s.run("--profile", "pat", "whoami")
        collect("PAT sign-in")
        s.run("sync")
        s.run("users", "list", "--service")
        s.run("assume", SU, "--role", ROLE, "--minutes", "30")
        collect("assume")
        if not any(":assumed:" in k for k in secrets):
            fail("no assumed token in the keychain after `assume`")

        # exec: sample /proc of the server, the CLI and its command while the command runs.
        report_r, report_w = os.pipe()
        wait_r, wait_w = os.pipe()
        s.env["SWEEP_REPORT_FD"], s.env["SWEEP_WAIT_FD"] = str(report_w), str(wait_r)
        exec_cli, _ = s.cli("exec", SU, "--", sys.executable, "-c", CHILD, pass_fds=(report_w, wait_r))
        del s.env["SWEEP_REPORT_FD"], s.env["SWEEP_WAIT_FD"]
        os.close(report_w)
        os.close(wait_r)
        with os.fdopen(report_r) as fh:
            line = fh.readline()
        if not line:
            exec_cli.wait(timeout=60)
            fail(f"the command run by exec reported nothing (exec exited {exec_cli.returncode}); see {s.logs}")
        child = json.loads(line)
        if child["user"] != SU:
            fail(f"through exec's proxy the command acted as {child['user']}, not {SU}")
        secrets["exec's one-time credential"] = child["token"]
        collect("exec")
        # Every process of this run (this script, the server, the CLI, the command), while the
        # command runs. The command holds its one-time credential in its environment (that is its
        # purpose), and nothing else: no real token.
        live = Sweep(secrets)
        others = {k: v for k, v in secrets.items() if k != "exec's one-time credential"}
        child_sweep = Sweep(others)
        tree = secret_sweep.process_tree(os.getpid())
        for pid, name in tree.items():
            (child_sweep if pid == child["pid"] else live).scan_process(pid, name)
        for pid, what in ((s.server.pid, "the server"), (exec_cli.pid, "the CLI's exec"), (child["pid"], "exec's command")):
            if pid not in live.processes | child_sweep.processes:
                fail(f"{what} (pid {pid}) had ended before it was sampled")
        os.close(wait_w)
        if exec_cli.wait(timeout=60) != 0:
            fail(f"exec exited {exec_cli.returncode}; see {s.logs}")

        shown_once = s.run("--json", "access-tokens", "create", "--as", SU, "--name", "sweep", "--role",
                           ROLE, "--days", "1", keep_stdout=True)
        created = json.loads(shown_once)
        pat = created["Token"]
        secrets["the PAT created"] = pat
        # The one place the new PAT may be: the output that shows it once. The scanner must see it there.
        shown = Sweep({"the PAT created": pat})
        shown.search(shown_once, "access-tokens create's stdout")
        if not shown.findings:
            fail("the scanner does not find the new PAT in the output that shows it")
        s.run("profile", "add", "bot", "--url", s.url)
        s.run("--profile", "bot", "login", "--token-stdin", stdin=pat)
        s.run("--profile", "bot", "whoami")
        collect("service user's PAT sign-in")
        s.run("tokens", "reassume", SU)
        collect("renew")
        s.run("tokens", "list")
        s.run("--json", "tokens", "list")
        s.run("--json", "whoami")
        for profile in ("bot", "pat", "main"):
            s.run("--profile", profile, "logout")
        left = s.keychain()
        if left:
            fail(f"signed out everywhere, the keychain still holds {sorted(left)}")
        # Refused credentials are not logged either: a session token altered, the assumed token
        # with another principal's credential (it is bound to alice's), and the assumed token
        # with its signature altered, sent to the server directly.
        session = next(v for k, v in secrets.items() if k.startswith("main:session"))
        jwt = next(v for k, v in secrets.items() if ":assumed:" in k)
        # Signing out ended the session on the server too: its token is refused from then on.
        try:
            urllib.request.urlopen(urllib.request.Request(s.url + "/whoami", headers={"Authorization": session}), timeout=20)
            fail("after `logout` the server still accepts the session token it signed out with")
        except urllib.error.HTTPError as e:
            if e.code != 401:
                fail(f"the signed-out session token got {e.code}, not 401")
        altered = {
            "a session token altered": session[:-6] + ("AAAAAA" if not session.endswith("AAAAAA") else "BBBBBB"),
            "an assumed token with its signature altered": jwt[:-6] + ("AAAAAA" if not jwt.endswith("AAAAAA") else "BBBBBB"),
        }
        secrets.update(altered)
        for headers in (
            {"Authorization": altered["a session token altered"]},
            {"Authorization": pat, "X-Amorphic-Service-User": jwt},
            {"Authorization": session, "X-Amorphic-Service-User": altered["an assumed token with its signature altered"]},
        ):
            try:
                urllib.request.urlopen(urllib.request.Request(s.url + "/whoami", headers=headers), timeout=20)
                fail(f"the server accepted a wrong credential ({sorted(headers)})")
            except urllib.error.HTTPError as e:
                if e.code != 401:
                    fail(f"a wrong credential got {e.code}, not 401")

        sweep = Sweep(secrets)
        for argv, env in s.runs:
            sweep.search("\0".join(argv).encode(), f"the command line of `{' '.join(argv[1:4])} …`")
            env_bytes = "\0".join(f"{k}={v}" for k, v in env.items()).encode()
            sweep.search(env_bytes, f"the environment of `{' '.join(argv[1:4])} …`")
        for label, cmdline, environ in s.samples:
            sweep.search(cmdline, f"{label} /proc cmdline")
            sweep.search(environ, f"{label} /proc environ")
        sweep.scan_process(s.server.pid, "server")
        sweep.findings += live.findings + child_sweep.findings
        sweep.processes |= live.processes | child_sweep.processes
        # Every file, while the server runs (its -wal and -shm files) and after it stopped.
        sweep.scan_tree(s.work)
        s.server.send_signal(signal.SIGTERM)
        s.server.wait(timeout=30)
        sweep.scan_tree(s.work)

        report = sweep.report()
        report["cliRuns"] = len(s.runs)
        report["cliRunsSampledInProc"] = len(s.samples)
        report["processNames"] = sorted(set(tree.values()))
        report["filesByFolder"] = {
            d: sum(len(f) for _, _, f in os.walk(os.path.join(s.work, d))) for d in sorted(os.listdir(s.work))
        }
        report["secretNames"] = sorted(secrets)
        missed = secret_sweep.self_check(os.path.join(s.work, "home"))
        # And with this session's own secrets, planted where a careless change could put them
        # (the CLI's cache database, as UTF-16; a log, as base64), in the swept tree.
        if not report["findings"]:
            planted = os.path.join(s.work, "data", "planted.sqlite3")
            with sqlite3.connect(planted) as conn:
                conn.execute("CREATE TABLE t (v BLOB)")
                conn.execute("INSERT INTO t VALUES (?)", (session.encode("utf-16-le"),))
            conn.close()
            with open(os.path.join(s.logs, "planted.log"), "wb") as fh:
                fh.write(b"token=" + base64.b64encode(b"xy" + pat.encode()) + b"\n")
            check = Sweep(secrets)
            check.scan_tree(s.work)
            os.remove(planted)
            os.remove(os.path.join(s.logs, "planted.log"))
            found = {(f["secret"], os.path.basename(f["where"])) for f in check.findings}
            for want in (("main:session (password sign-in)", "planted.sqlite3"), ("the PAT created", "planted.log")):
                if want not in found:
                    missed.append(f"{want[0]} planted in {want[1]}")
        report["selfCheckMissed"] = missed
        report["seconds"] = round(time.monotonic() - started, 1)
        print(json.dumps(report, indent=1))
        if missed:
            fail(f"the self-check's planted canaries were not all found: {missed}")
        if report["findings"]:
            fail(f"{len(report['findings'])} secret(s) found outside the keychain (above)")
        print(
            f"secret hygiene (CLI): {len(secrets)} secrets ({report['needles']} encodings) in none of "
            f"{report['files']} files ({report['bytes']} bytes), {len(s.runs)} CLI command lines and "
            f"environments ({len(s.samples)} also read from /proc while running), "
            f"{report['processes']} live processes during exec; self-check found every canary"
        )
        passed = True
    finally:
        if s.server.poll() is None:
            s.server.kill()
            s.server.wait()
        if passed:
            shutil.rmtree(s.work, ignore_errors=True)
        else:
            # The files that failed are the evidence (test data, a throwaway keyring's tokens).
            print(f"secret hygiene (CLI): kept {s.work} to look at", file=sys.stderr)


Sweep = secret_sweep.Sweep

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
