"""Start Odoo in prefork mode for a few seconds and fail on a crash.

    python scripts/prefork_check.py ODOO_BIN -c CONF -d DB [--seconds N]

Runs ``odoo-bin --workers=2 --gevent-port=P`` (no cron worker unless
``--cron-workers``: a test database's crons must not run) on two
free loopback ports, waits until the HTTP workers and the gevent
(websocket/bus) process answer ``/web/health``, opens a websocket on the
gevent port, keeps the server up a few seconds more, stops it and reads its
whole output (stdout and stderr: a process that dies while importing Odoo
writes its traceback to stderr, not to the log). It fails when the output
holds a Traceback, an ERROR or CRITICAL line, or when the gevent process was
started more than once (Odoo's prefork master restarts a dead one at once:
the crash this check was written for restarted it ~160 times a minute).
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import websocket

EVENTED_STARTED = "Evented Service (longpolling) running on"
BAD_LINE = re.compile(
    r"Traceback \(most recent call last\)|^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_healthy(ports, deadline):
    while time.time() < deadline:
        if all(healthy(p) for p in ports):
            return True
        time.sleep(0.5)
    return False


def websocket_opens(port):
    try:
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/websocket", timeout=5, origin=f"http://127.0.0.1:{port}"
        )
    except (OSError, websocket.WebSocketException) as e:
        return str(e)
    ws.close()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("odoo_bin")
    ap.add_argument("-c", "--config", required=True)
    ap.add_argument("-d", "--database", required=True)
    ap.add_argument("--seconds", type=float, default=4, help="time up after both answer")
    ap.add_argument("--start-timeout", type=float, default=60)
    ap.add_argument(
        "--cron-workers",
        type=int,
        default=0,
        help="cron worker processes (default none: a test database's crons must not run)",
    )
    args = ap.parse_args()
    http_port, gevent_port = free_port(), free_port()
    cmd = [
        sys.executable, args.odoo_bin, "-c", args.config, "-d", args.database,
        f"--db-filter=^{re.escape(args.database)}$",
        "--workers=2", f"--max-cron-threads={args.cron_workers}",
        f"--http-port={http_port}", f"--gevent-port={gevent_port}", "--http-interface=127.0.0.1",
        "--log-level=info", "--logfile=",
    ]  # fmt: skip
    started = time.time()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    problems = []
    try:
        if not wait_healthy([http_port, gevent_port], started + args.start_timeout):
            problems.append(
                f"the HTTP workers (:{http_port}) and the gevent process (:{gevent_port}) "
                f"did not both answer /web/health within {args.start_timeout:.0f} s"
            )
        else:
            err = websocket_opens(gevent_port)
            if err:
                problems.append(f"no websocket on the gevent port: {err}")
            time.sleep(args.seconds)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    spawns = out.count(EVENTED_STARTED)
    if spawns != 1:
        problems.append(
            f"the gevent (websocket/bus) process started {spawns} times (expected once)"
        )
    bad = [m.group(0) for m in BAD_LINE.finditer(out)]
    if bad:
        problems.append(f"{len(bad)} Traceback/ERROR/CRITICAL in the server's output")
    elapsed = time.time() - started
    if problems:
        sys.stdout.write(out[-6000:])
        for p in problems:
            print(f"prefork check FAILED: {p}", file=sys.stderr)
        return 1
    print(
        f"prefork check: 2 HTTP workers, {args.cron_workers} cron worker(s) and the gevent "
        f"process ran {elapsed:.1f} s with no crash (gevent started once, websocket opened)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
