"""Serving at load: N concurrent clients against a real ``valuecrm serve`` on 127.0.0.1.

    python bench/serve_load.py --db valuecrm.duckdb            # 1 and 200 clients, 30 s each
    python bench/serve_load.py --db valuecrm.duckdb --quick    # 1 and 50 clients, 8 s each
    python bench/serve_load.py --db D --clients 1,50,200 --seconds 20 --markdown bench/SERVE_LOAD.md

The script copies the database into a temporary folder (the original is never opened for
writing), adds a viewer and an analyst there (``valuecrm users add``), starts ``valuecrm serve``
on a free loopback port, waits for it to answer, sends every figure route of the mix in each of
its variants once (the warm-up pass: what a server that has run a while keeps; one customer
lookup of each kind), and then, for each number of clients, runs a
closed loop: every client sends its next request as soon as the previous one is answered (no
think time), for ``--seconds`` (or ``--requests`` in all). Each client has its own connection
(keep-alive) and, for the dashboard, its own session cookie, as a browser would.

The mix (weights): each request is a viewer's page on the dashboard or an analyst's API read,
half each (every client is signed in as both; one client in four reads the pages in Chinese).
Customer ids are drawn at random from the latest snapshot; searches are a piece of such an id
(viewers may search by id only):

- viewer (dashboard pages, signed in with a session cookie): ``/overview`` 3, ``/rfm`` 2,
  ``/value`` 2, ``/customers`` (the value list, page 1-5) 2, ``/customers?q=ID-PIECE`` 2,
  ``/customers/ID`` (360 page) 3;
- analyst (REST API, bearer token): ``/api/segments`` 2 (by RFM segment or tier),
  ``/api/kpis`` 2, ``/api/snapshots`` 1, ``/api/snapshots/latest`` 1,
  ``/api/customers?q=ID-PIECE`` 2, ``/api/customers/ID`` (360) 3,
  ``/api/snapshots/latest/customers?page=1-5`` 1.

``--mix figures`` leaves out the customer lookups (360 views and searches: each is a scan of
the orders and customers tables, answered once per customer and user, then kept).

It reports throughput, p50/p95/p99 per route and overall, errors (a status other than 200, or
a transport error), the server's peak memory (VmHWM) and the CPU seconds of the server and of
this load generator: both share the machine's cores, so the server gets what the client leaves.
Linux only for memory and CPU (elsewhere they show as n/a).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VIEWER_MIX = (("/overview", 3), ("/rfm", 2), ("/value", 2), ("/customers", 2),
              ("/customers?q", 2), ("/customers/ID", 3))
ANALYST_MIX = (("/api/segments", 2), ("/api/kpis", 2), ("/api/snapshots", 1),
               ("/api/snapshots/latest", 1), ("/api/customers?q", 2), ("/api/customers/ID", 3),
               ("/api/snapshots/latest/customers", 1))
LOOKUPS = ("/customers?q", "/customers/ID", "/api/customers?q", "/api/customers/ID")
POOL = 5000  # customer ids drawn for the 360 views and searches (at most)


def valuecrm_command() -> list[str]:
    """The CLI of the interpreter running this script (a venv's ``bin/valuecrm``)."""
    beside = Path(sys.executable).with_name("valuecrm")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "valuecrm"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_user(db: Path, name: str, role: str) -> str:
    out = subprocess.run([*valuecrm_command(), "--db", str(db), "users", "add", name, "--role",
                          role, "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["token"]


def start_server(db: Path, port: int, extra: list[str]) -> tuple[subprocess.Popen[bytes], float]:
    started = time.monotonic()
    process = subprocess.Popen([*valuecrm_command(), "--db", str(db), "serve", "--host",
                                "127.0.0.1", "--port", str(port), "--log-level", "warning",
                                *extra])
    deadline = started + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start-up (exit code {process.returncode})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process, time.monotonic() - started
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not answer within 600 s")


def proc_status(pid: int, key: str) -> int | None:
    """A ``kB`` field of /proc/PID/status (e.g. VmHWM, the peak resident memory), in bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def proc_cpu(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Fixtures:
    """What the requests are made of: tokens, customer ids and pieces of ids to search."""

    viewer: str
    analyst: str
    ids: list[str]
    pages: int = 5

    def url(self, route: str, rng: random.Random) -> str:
        customer = rng.choice(self.ids)
        piece = customer[: max(3, len(customer) - 2)]  # matches a handful of ids
        if route == "/customers?q":
            return f"/customers?q={piece}"
        if route == "/api/customers?q":
            return f"/api/customers?q={piece}"
        if route == "/customers/ID":
            return f"/customers/{customer}"
        if route == "/api/customers/ID":
            return f"/api/customers/{customer}"
        if route == "/customers":
            return f"/customers?page={rng.randint(1, self.pages)}"
        if route == "/api/snapshots/latest/customers":
            return f"/api/snapshots/latest/customers?page={rng.randint(1, self.pages)}"
        if route == "/api/segments":
            return f"/api/segments?by={rng.choice(['rfm_segment', 'tier'])}"
        return route


class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as it gets (a few dozen microseconds of
    Python per request, several times less than httpx): the load generator shares the cores
    with the server, so what it spends is taken from the server. GET only; the answer's body
    is read whole (Content-Length or chunked)."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, headers: dict[str, str]) -> tuple[int, bytes]:
        """Status and body of ``GET target``; reconnects once if the server closed it."""
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n{lines}\r\n"
                              .encode())
            try:
                return await asyncio.wait_for(self._answer(), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _answer(self) -> tuple[int, bytes]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        fields = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip()
        if b"content-length" in fields:
            body = await self.reader.readexactly(int(fields[b"content-length"]))
        elif fields.get(b"transfer-encoding") == b"chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            body = b"".join(parts)
        else:
            body = await self.reader.read()
        if fields.get(b"connection") == b"close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class Client:
    """One simulated user, signed in on the dashboard as a viewer (session cookie) and holding
    an analyst's API token: each request is a page or an API read, half each."""

    http: httpx.AsyncClient  # for signing in
    connection: Connection  # for the measured requests
    viewer: dict[str, str]  # the session and language cookies
    analyst: dict[str, str]
    rng: random.Random
    lookups: bool = True  # False: the figures only (no 360 views, no searches)

    def next_request(self) -> tuple[str, dict[str, str]]:
        """The next route of the mix, and the headers to send with it."""
        api = self.rng.random() < 0.5
        mix = [(r, w) for r, w in (ANALYST_MIX if api else VIEWER_MIX)
               if self.lookups or r not in LOOKUPS]
        routes, weights = zip(*mix, strict=True)
        return self.rng.choices(routes, weights)[0], self.analyst if api else self.viewer


@dataclass
class Level:
    """The results of one run at one number of clients."""

    clients: int
    seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)  # URLs of 360 views and searches
    server_cpu: float | None = None
    client_cpu: float = 0.0
    peak_memory: int | None = None

    @property
    def requests(self) -> int:
        return sum(len(t) for t in self.times.values())


def percentile(sorted_times: list[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0-100) of ascending ``sorted_times``."""
    if not sorted_times:
        return float("nan")
    rank = max(1, -(-len(sorted_times) * q // 100))
    return sorted_times[int(rank) - 1]


async def make_client(base: str, fixtures: Fixtures, seed: int, timeout: float,
                      lookups: bool = True) -> Client:
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    http = httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits)
    signed = await http.post("/login", data={"token": fixtures.viewer})
    if signed.status_code != 303:
        raise SystemExit(f"sign-in failed: {signed.status_code} {signed.text[:200]}")
    if rng.random() < 0.25:
        http.cookies.set("vcrm_lang", "zh-CN")
    cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    url = httpx.URL(base)
    return Client(http, Connection(url.host, url.port or 80, timeout), {"Cookie": cookie},
                  {"Authorization": f"Bearer {fixtures.analyst}"}, rng, lookups)


async def run_level(base: str, fixtures: Fixtures, clients: int, seconds: float | None,
                    requests: int | None, pid: int, timeout: float, seed: int,
                    lookups: bool) -> Level:
    made = await asyncio.gather(*(make_client(base, fixtures, seed * 100_003 + i, timeout,
                                              lookups) for i in range(clients)))
    level = Level(clients)
    budget = [requests if requests is not None else 10**12]
    cpu_before, own_before = proc_cpu(pid), own_cpu()
    started = time.perf_counter()
    deadline = started + (seconds if seconds is not None else 10**9)

    async def loop(client: Client) -> None:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            route, headers = client.next_request()
            url = fixtures.url(route, client.rng)
            began = time.perf_counter()
            try:
                status, body = await client.connection.get(url, headers)
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
                status = None
                detail = f"{route}: {type(error).__name__} {error}"
            else:
                detail = f"{route}: HTTP {status} {body[:160]!r}"
            level.times[route].append(time.perf_counter() - began)
            if route.endswith(("ID", "?q")):
                level.lookups.append(url)
            if status != 200:
                level.errors[route] += 1
                if len(level.examples) < 5:
                    level.examples.append(detail)

    try:
        await asyncio.gather(*(loop(c) for c in made))
    finally:
        level.seconds = time.perf_counter() - started
        cpu_after = proc_cpu(pid)
        level.server_cpu = (None if cpu_before is None or cpu_after is None
                            else cpu_after - cpu_before)
        level.client_cpu = own_cpu() - own_before
        level.peak_memory = proc_status(pid, "VmHWM")
        await asyncio.gather(*(c.http.aclose() for c in made),
                             *(c.connection.close() for c in made))
    return level


async def warm_up(base: str, fixtures: Fixtures, timeout: float) -> float:
    """Every route of the mix once, and each figure route in each of its variants (both
    languages, the pages of the lists, both groupings), one after another: what a server that
    has run a while has kept. Customer lookups are left cold (one each)."""
    started = time.perf_counter()
    client = await make_client(base, fixtures, 1, timeout)
    try:
        for mix, headers in ((VIEWER_MIX, {}), (ANALYST_MIX, client.analyst)):
            for route, _ in mix:
                urls = {fixtures.url(route, client.rng)} if route in LOOKUPS else (
                    {f"/customers?page={n}" for n in range(1, fixtures.pages + 1)}
                    if route == "/customers" else
                    {f"{route}?page={n}" for n in range(1, fixtures.pages + 1)}
                    if route.endswith("/customers") else
                    {f"/api/segments?by={by}" for by in ("rfm_segment", "tier")}
                    if route == "/api/segments" else {route})
                for lang in ((None, "zh-CN") if not headers else (None,)):
                    client.http.cookies.delete("vcrm_lang")  # make_client may have set it
                    if lang:
                        client.http.cookies.set("vcrm_lang", lang)
                    for url in sorted(urls):
                        response = await client.http.get(url, headers=headers)
                        if response.status_code != 200:
                            raise SystemExit(f"warm-up {url}: HTTP {response.status_code} "
                                             f"{response.text[:300]}")
                    if lang:
                        client.http.cookies.delete("vcrm_lang")
    finally:
        await client.http.aclose()
    return time.perf_counter() - started


async def lookups_ready(base: str, timeout: float) -> float:
    """Wait until the server's lookup copy (per-customer tables in customer order) is built,
    as ``/api/health`` says; the seconds waited."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while (await http.get("/api/health")).json().get("lookups", "ready") != "ready":
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"the lookup copy was not ready after {timeout:.0f} s")
            await asyncio.sleep(0.5)
    return time.perf_counter() - started


async def draw_ids(base: str, analyst: str, timeout: float, seed: int) -> tuple[list[str], int]:
    """Customer ids spread over the latest snapshot (random pages of its value list)."""
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=timeout,
                                 headers={"Authorization": f"Bearer {analyst}"}) as http:
        first = (await http.get("/api/snapshots/latest/customers",
                                params={"page_size": 500})).json()
        total = int(first.get("total") or len(first["items"]))
        pages = max(1, -(-total // 500))
        ids = [item["customer_id"] for item in first["items"]]
        for page in rng.sample(range(2, pages + 1), min(pages - 1, POOL // 500 - 1)):
            found = (await http.get("/api/snapshots/latest/customers",
                                    params={"page_size": 500, "page": page})).json()
            ids += [item["customer_id"] for item in found["items"]]
    if not ids:
        raise SystemExit("the latest snapshot has no customers: run 'valuecrm analyze' first")
    rng.shuffle(ids)
    return ids[:POOL], -(-total // 50)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def gb(size: int | None) -> str:
    return "n/a" if size is None else f"{size / 2**30:.2f} GB"


def level_table(level: Level) -> str:
    lines = [f"### {level.clients} client{'s' if level.clients > 1 else ''}", "",
             f"{level.requests:,} requests in {level.seconds:.1f} s: "
             f"**{level.requests / level.seconds:,.1f} requests/s**, "
             f"{sum(level.errors.values())} errors; server CPU "
             + ("n/a" if level.server_cpu is None else f"{level.server_cpu:.1f} s")
             + f", load generator CPU {level.client_cpu:.1f} s; "
             f"server peak memory (VmHWM, since start) {gb(level.peak_memory)}. Customer "
             f"lookups (360 views and searches): {len(level.lookups):,}, of "
             f"{len(set(level.lookups)):,} distinct URLs.", "",
             "| route | requests | errors | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    every: list[float] = []
    for route, _ in (*VIEWER_MIX, *ANALYST_MIX):
        times = sorted(level.times.get(route, []))
        every += times
        if times:
            lines.append(f"| `{route}` | {len(times):,} | {level.errors.get(route, 0)} | "
                         f"{ms(percentile(times, 50))} | {ms(percentile(times, 95))} | "
                         f"{ms(percentile(times, 99))} | {ms(times[-1])} |")
    every.sort()
    if every:
        lines.append(f"| **all** | **{len(every):,}** | **{sum(level.errors.values())}** | "
                     f"**{ms(percentile(every, 50))}** | **{ms(percentile(every, 95))}** | "
                     f"**{ms(percentile(every, 99))}** | **{ms(every[-1])}** |")
    if level.examples:
        lines += ["", "Errors, for example:", *[f"- {e}" for e in level.examples]]
    return "\n".join(lines)


def summary(level: Level) -> dict[str, object]:
    every = sorted(t for times in level.times.values() for t in times)
    return {"clients": level.clients, "requests": level.requests, "seconds": level.seconds,
            "throughput": level.requests / level.seconds if level.seconds else None,
            "errors": sum(level.errors.values()), "p50_ms": percentile(every, 50) * 1000,
            "p95_ms": percentile(every, 95) * 1000, "p99_ms": percentile(every, 99) * 1000,
            "server_cpu_s": level.server_cpu, "client_cpu_s": level.client_cpu,
            "server_peak_bytes": level.peak_memory,
            "routes": {route: {"requests": len(t), "errors": level.errors.get(route, 0),
                               "p50_ms": percentile(sorted(t), 50) * 1000,
                               "p99_ms": percentile(sorted(t), 99) * 1000}
                       for route, t in level.times.items()}}


async def measure(base: str, fixtures: Fixtures, args: argparse.Namespace, pid: int,
                  ) -> tuple[float, list[Level]]:
    fixtures.ids, fixtures.pages = await draw_ids(base, fixtures.analyst, args.timeout,
                                                  args.seed)
    fixtures.pages = min(fixtures.pages, 5)
    warm = await warm_up(base, fixtures, args.timeout)
    print(f"warm-up pass (every figure route in each variant): {warm:.1f} s", flush=True)
    waited = await lookups_ready(base, args.timeout * 5)
    print(f"lookup copy ready {waited:.1f} s after the warm-up pass", flush=True)
    levels = []
    for clients in args.clients:
        level = await run_level(base, fixtures, clients, args.seconds, args.requests, pid,
                                args.timeout, args.seed, args.mix == "all")
        print(level_table(level), "", sep="\n", flush=True)
        levels.append(level)
    return warm, levels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True,
                        help="an analysed database (copied; the copy is served and removed)")
    parser.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")],
                        help="numbers of concurrent clients, one run each (default 1,200)")
    parser.add_argument("--seconds", type=float, help="length of each run (default 30)")
    parser.add_argument("--requests", type=int, help="or: requests in all per run")
    parser.add_argument("--quick", action="store_true", help="1 and 50 clients, 8 s each")
    parser.add_argument("--mix", choices=("all", "figures"), default="all",
                        help="all (default), or figures: without customer lookups (360 views "
                             "and searches)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--serve-option", action="append", default=[], dest="serve_options",
                        help="passed on to 'valuecrm serve' (repeat for several)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    if args.clients is None:
        args.clients = [1, 50] if args.quick else [1, 200]
    if args.requests is None and args.seconds is None:
        args.seconds = 8.0 if args.quick else 30.0
    if not args.db.exists():
        parser.error(f"{args.db} does not exist")

    workdir = Path(tempfile.mkdtemp(prefix="serve_load_"))
    server = None
    try:
        db = workdir / args.db.name
        shutil.copyfile(args.db, db)
        fixtures = Fixtures(viewer=add_user(db, "load-viewer", "viewer"),
                            analyst=add_user(db, "load-analyst", "analyst"), ids=[])
        port = free_port()
        server, start_seconds = start_server(db, port, args.serve_options)
        base = f"http://127.0.0.1:{port}"
        print(f"serving a copy of {args.db} at {base}; answered after {start_seconds:.1f} s",
              flush=True)
        warm, levels = asyncio.run(measure(base, fixtures, args, server.pid))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=120)
        shutil.rmtree(workdir, ignore_errors=True)
    command = "python bench/serve_load.py --db " + str(args.db) + "".join(
        f" {a}" for a in sys.argv[1:] if a not in ("--db", str(args.db)))
    header = [f"`{command}`", "",
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores "
              f"shared by the server and the load generator; load average at the end "
              f"{os.getloadavg()[0]:.1f}. The server answered {start_seconds:.1f} s after "
              f"start; the warm-up pass (every figure route in each variant, one lookup of "
              f"each kind) took {warm:.1f} s. Mix: {args.mix}.", ""]
    text = "\n".join(header + [level_table(level) + "\n" for level in levels])
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        args.json.write_text(json.dumps({"command": command, "levels": [
            summary(level) for level in levels]}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
