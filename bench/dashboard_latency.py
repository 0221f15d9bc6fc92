"""Latency of every dashboard page and the main API routes against a real ``valuecrm serve``.

    .venv/bin/python bench/dashboard_latency.py --db valuecrm.duckdb [--requests 20] [--json F]
    .venv/bin/python bench/dashboard_latency.py --url http://127.0.0.1:8000 --token TOKEN

With ``--db`` the script makes a temporary admin user (``valuecrm users add``), starts the server
on a free port, measures, revokes the user through the API and stops the server. Each route gets
one warm-up request (its time is reported as "first": caches per snapshot are filled then) and
``--requests`` timed ones, one after another, with httpx; p50 and p95 are over the timed ones.
"""

from __future__ import annotations

import argparse
import json
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/overview", "/rfm", "/value", "/lifecycle", "/models", "/customers",
         "/customers?q=C000001", "/customers/{customer_id}", "/actions",
         "/actions?list=winback", "/overview?lang=zh-CN", "/models?lang=zh-CN"]
API = ["/api/customers", "/api/customers?q=C000001", "/api/customers/{customer_id}",
       "/api/snapshots", "/api/snapshots/latest", "/api/snapshots/latest/customers",
       "/api/segments", "/api/segments/rfm_segment/Champions", "/api/kpis", "/api/models",
       "/api/analyses"]


def valuecrm(*args: str) -> str:
    exe = str(ROOT / ".venv" / "bin" / "valuecrm")
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    exe = str(ROOT / ".venv" / "bin" / "valuecrm")
    process = subprocess.Popen([exe, "--db", str(db), "serve", "--host", "127.0.0.1", "--port",
                                str(port), "--log-level", "warning"])
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the server did not start")


def measure(client: httpx.Client, path: str, requests: int) -> dict[str, object]:
    started = time.perf_counter()
    first = client.get(path)
    first_ms = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != first.status_code:
            raise SystemExit(f"{path}: {first.status_code} then {response.status_code}")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"path": path, "status": first.status_code, "first_ms": round(first_ms, 1),
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
            "bytes": len(first.content)}


def run(url: str, token: str, requests: int) -> list[dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=600) as web, \
            httpx.Client(base_url=url, timeout=600, headers=headers) as api:
        signed = web.post("/login", data={"token": token})
        if signed.status_code != 303:
            raise SystemExit(f"sign-in failed: {signed.status_code}")
        top = api.get("/api/snapshots/latest/customers", params={"page_size": 1}).json()
        customer_id = top["items"][0]["customer_id"]
        results = []
        for client, paths in ((web, PAGES), (api, API)):
            for path in paths:
                result = measure(client, path.replace("{customer_id}", customer_id), requests)
                print(f"{result['path']:<40} {result['status']} first {result['first_ms']:>9} "
                      f"p50 {result['p50_ms']:>7} p95 {result['p95_ms']:>7} ms", flush=True)
                results.append(result)
    return results


def table(results: list[dict[str, object]]) -> str:
    lines = ["| route | first (ms) | p50 (ms) | p95 (ms) |", "|---|---:|---:|---:|"]
    lines += [f"| `{r['path']}` | {r['first_ms']} | {r['p50_ms']} | {r['p95_ms']} |"
              for r in results]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="serve this database and measure it")
    parser.add_argument("--url", help="measure a running server instead (with --token)")
    parser.add_argument("--token", help="an admin token (made and revoked if not given)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if (args.db is None) == (args.url is None):
        parser.error("give --db or --url")
    server, user = None, None
    token, url = args.token, args.url
    try:
        if args.db is not None:
            if token is None:
                user = f"bench-latency-{secrets.token_hex(3)}"
                token = json.loads(valuecrm("--db", str(args.db), "users", "add", user,
                                            "--role", "admin", "--json"))["token"]
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            server = start_server(args.db, port)
        elif token is None:
            parser.error("--url needs --token")
        results = run(url, token, args.requests)
        print()
        print(table(results))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if user is not None and server is not None:
            httpx.delete(f"{url}/api/users/{user}",
                         headers={"Authorization": f"Bearer {token}"}, timeout=60)
        if server is not None:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
