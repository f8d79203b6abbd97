"""Live benchmarks: a content page and the lead POST under gunicorn, measured with ``wrk``.

Traffic goes to loopback only; every load run is bounded (``wrk`` for a fixed duration, servers
stopped afterwards).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

from bench import stats
from bench.live_app import HELLO

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGE = "/case-studies/cortex-academy-training-results/"
FORM = "/contact/"
CONNECTIONS = 32
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))  # shorter only for a smoke run

# wrk script: count status codes per thread, so the driver can compare them with stored rows.
# ``REQUEST`` is empty for a GET, or a request() function for the POST.
WRK_LUA = """
local threads = {}
local nextid = 0
function setup(thread)
  nextid = nextid + 1
  thread:set("tid", nextid)
  table.insert(threads, thread)
end
function init(args) ok = 0; other = 0; counter = 0 end
%(request)s
function response(status, headers, body)
  if status == %(ok)d then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("ok"); b = b + t:get("other") end
  io.write(string.format("STATUS ok=%%d other=%%d\\n", a, b))
end
"""

# For the POST: every request a distinct e-mail address, the same session and CSRF token.
POST_REQUEST = """
function request()
  counter = counter + 1
  return wrk.format("POST", PATH, HEADERS, string.format(BODY, tid, counter))
end
"""


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    """Wait until ``url`` answers (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def gunicorn(database_url: str, workers: int = 2):
    """Serve ``bench.live_app`` with gunicorn on a free loopback port; yield its base URL."""
    port = free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.live_app:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    with serving(process, f"http://127.0.0.1:{port}", HELLO, signal.SIGTERM) as base:
        yield base


@contextmanager
def serving(process: subprocess.Popen, base: str, probe: str, stop: signal.Signals):
    """Yield ``base`` once ``probe`` answers; stop the server with ``stop`` afterwards."""
    try:
        wait_for(base + probe)
        yield base
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


NGINX_CONF = """daemon off;
{user}
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  types {{ text/html html; text/css css; application/javascript js; }}
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


@contextmanager
def nginx(root: Path):
    """Serve the folder ``root`` with nginx on a free loopback port; yield its base URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="wbo-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        # As root, workers run as root too: the temporary folders are private to this user.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root, user=user))
        process = subprocess.Popen(
            [binary, "-p", tmp, "-c", str(conf)],
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        with serving(process, f"http://127.0.0.1:{port}", PAGE, signal.SIGQUIT) as base:
            yield base


_RPS_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
_P99_RE = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_STATUS_RE = re.compile(r"STATUS ok=(\d+) other=(\d+)")
_ERRORS_RE = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url: str, script: str, seconds: int = SECONDS) -> dict:
    """Load ``url`` for ``seconds`` at 32 connections; return req/s, p99 (ms) and statuses."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        done = subprocess.run(
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                lua.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(lua.name)
    out = done.stdout
    p99 = _found(_P99_RE.search(out), "the 99th percentile", out)
    status = _found(_STATUS_RE.search(out), "the status counts", out)
    return {
        "rps": float(_found(_RPS_RE.search(out), "requests/sec", out).group(1)),
        "p99_ms": float(p99.group(1)) * _UNIT[p99.group(2)],
        "ok": int(status.group(1)),
        "other": int(status.group(2)),
    }


def _found(match: re.Match[str] | None, what: str, text: str) -> re.Match[str]:
    """Return a match, or fail naming what is missing from the output."""
    if match is None:
        raise RuntimeError(f"{what} not found in: {text[-500:]}")
    return match


def get_wrk(url: str) -> dict:
    """``wrk`` GET of ``url`` counting 200 responses."""
    return wrk(url, WRK_LUA % {"ok": 200, "request": ""})


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def post_script(base: str) -> str:
    """Fetch the inquiry form once (a session and its CSRF token); return the wrk POST script."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + FORM, timeout=10).read().decode()  # loopback only
    token = _found(re.search(r'name="csrf_token" value="([^"]+)"', html), "csrf_token", html)[1]
    rendered = _found(
        re.search(r'name="rendered_at" type="hidden" value="([^"]+)"', html), "rendered_at", html
    )[1]
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    fields = [
        ("csrf_token", token),
        ("rendered_at", rendered),
        ("full_name", "Bench Investor"),
        ("email", "EMAIL"),
        ("company", "Bench Software GmbH"),
        ("job_title", "Head of Delivery"),
        ("company_website", "https://bench.example.de"),
        ("hq_country", "DE"),
        ("interest", "ict"),
        ("countries", "serbia"),
        ("countries", "north-macedonia"),
        ("project_type", "delivery_centre"),
        ("headcount_band", "50-249"),
        ("investment_band", "1m-5m"),
        ("timeline", "6-12m"),
        ("roadshow", "any"),
        ("preferred_language", "de"),
        ("message", "We plan a nearshore team of 60 Java developers."),
        ("phone", "+49 89 1234567"),
        ("consent", "y"),
    ]
    body = (
        urllib.parse.urlencode(fields)
        .replace("%", "%%")
        .replace("EMAIL", "bench-%d-%d%%40example.de")
    )
    headers = (
        "{"
        '["Content-Type"] = "application/x-www-form-urlencoded", '
        f'["Cookie"] = {_lua_string(cookie)}'
        "}"
    )
    constants = f"BODY = {_lua_string(body)}\nPATH = {_lua_string(FORM)}\nHEADERS = {headers}\n"
    return constants + WRK_LUA % {"ok": 303, "request": POST_REQUEST}


def migrate(database_url: str) -> None:
    """Create the schema on ``database_url`` with the project's migrations."""
    subprocess.run(
        [str(BIN / "flask"), "--app", "bench.live_app", "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        timeout=300,
    )


def count_rows(database_url: str, table: str) -> int:
    """Return the number of rows in ``table``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


@contextmanager
def postgres_database(server_url: str):
    """Create a throwaway database on the PostgreSQL server of ``server_url``; drop it after."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"wbo_bench_{os.getpid()}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def live_page(frozen: Path, rounds: int) -> dict:
    """Part 3: a case-study page vs "hello" (same app, gunicorn -w 2) vs nginx on the file."""
    with tempfile.TemporaryDirectory(prefix="wbo-live-") as tmp:
        database = f"sqlite:///{tmp}/bench.db"
        migrate(database)
        with gunicorn(database) as app, nginx(frozen) as static:
            same = (
                urllib.request.urlopen(app + PAGE).read()
                == (frozen / PAGE[1:] / "index.html").read_bytes()
            )
            results = stats.interleave(
                {
                    "page": lambda: get_wrk(app + PAGE),
                    "hello": lambda: get_wrk(app + HELLO),
                    "nginx": lambda: get_wrk(static + PAGE),
                },
                rounds,
            )
    return {"results": results, "same_bytes": same}


def lead_post(database_url: str, rounds: int) -> dict:
    """Part 4: valid inquiries posted at 32 connections vs "hello"; stored rows vs 303s."""
    migrate(database_url)
    with gunicorn(database_url) as app:
        script = post_script(app)
        results = stats.interleave(
            {
                "post": lambda: wrk(app + FORM, script),
                "hello": lambda: get_wrk(app + HELLO),
            },
            rounds,
        )
    stored = count_rows(database_url, "inquiries")
    answered = sum(row["post"]["ok"] for row in results)
    return {"results": results, "stored": stored, "answered": answered}
