"""Screenshot pages of a running Odoo as a logged-in user (headless Chromium).

Usage (Odoo served by ./dev.sh run):
  .venv/bin/python scripts/screenshot.py --db store_service_crm \
      --url /odoo/action-store_service_crm.res_partner_action_customer --out docs/screenshots/x.png
Options: --base http://localhost:8069 --login admin --password admin --lang zh_CN
         --click CSS[::TEXT] (click an element before the shot) --wait SECONDS --size 1400x900

Drives Chromium through the DevTools protocol (websocket-client): logs in with
Odoo's JSON-RPC, sets the session cookie, opens the page, waits until the
web client is idle and saves a PNG.
"""

import argparse
import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Chrome:
    def __init__(self, size):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="ssc-chrome-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--window-size={size.replace('x', ',')}",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json") as r:
                    pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.seq = 0

    def call(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.seq:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return res.get("result", {}).get("value")

    def wait_for(self, expression, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.evaluate(expression):
                return True
            time.sleep(0.3)
        return False

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang")
    parser.add_argument("--url", required=True)
    parser.add_argument("--click", action="append", default=[])
    parser.add_argument("--wait", type=float, default=1.5)
    parser.add_argument("--size", default="1400x900")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    session = requests.Session()
    resp = session.post(
        f"{args.base}/web/session/authenticate",
        json={"params": {"db": args.db, "login": args.login, "password": args.password}},
        timeout=60,
    )
    result = resp.json().get("result")
    if not result:
        raise SystemExit(f"login failed: {resp.text[:300]}")
    if args.lang:
        session.post(
            f"{args.base}/web/dataset/call_kw/res.users/write",
            json={
                "params": {
                    "model": "res.users",
                    "method": "write",
                    "args": [[result["uid"]], {"lang": args.lang}],
                    "kwargs": {},
                }
            },
            timeout=60,
        )
        # the session keeps the language of its login: log in again
        session.post(
            f"{args.base}/web/session/authenticate",
            json={"params": {"db": args.db, "login": args.login, "password": args.password}},
            timeout=60,
        )
    chrome = Chrome(args.size)
    try:
        chrome.call("Network.enable")
        host = args.base.split("//", 1)[1].split(":")[0]
        chrome.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain=host,
            path="/",
        )
        chrome.call("Page.enable")
        chrome.call("Page.navigate", url=args.base + args.url)
        idle = "document.readyState === 'complete' && !!document.querySelector('.o_action_manager')"
        chrome.wait_for(idle)
        time.sleep(args.wait)
        for selector in args.click:
            # "CSS" or "CSS::text" (the first element matching CSS whose text contains text)
            css, _sep, text = selector.partition("::")
            find = (
                f"[...document.querySelectorAll({json.dumps(css)})]"
                f".find(e => e.textContent.includes({json.dumps(text)}))"
            )
            if not chrome.wait_for(f"!!{find}", timeout=15):
                raise SystemExit(f"nothing to click at {selector}")
            chrome.evaluate(f"{find}.click()")
            time.sleep(args.wait)
        png = chrome.call("Page.captureScreenshot", format="png")["data"]
        with open(args.out, "wb") as f:
            f.write(base64.b64decode(png))
        print(f"saved {args.out}")
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
