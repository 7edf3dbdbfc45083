"""What the Python scripts under scripts/ share, so each is written once: messages and failures
named after the script, installing Debian packages and pinned PyPI tools, a free loopback port,
HTTP and HTTPS requests to loopback, `drillbook serve` started and stopped on a loopback port,
nginx run from a temporary directory with a throw-away certificate, the default fields of the
/mock form, the paths of /sitemap.xml and a process's memory.

Python puts a script's own folder first on sys.path, so every script here imports it as it
is, run from anywhere:

    from drillbook_scripts import fail, log, ...

Standard library only, so that every script still runs on a bare Python 3.11.
"""

import html
import html.parser
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The script's name without .py, as its messages begin: "bench: ...".
PROGRAM = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def log(message):
    print(f"{PROGRAM}: {message}", file=sys.stderr, flush=True)


def fail(message):
    """Exit 1 with a message; `finally` blocks still stop the servers."""
    raise SystemExit(f"{PROGRAM}: error: {message}")


def tail(path, lines=20):
    """The last lines of a log file, for a failure message; empty when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "\n".join(f.read().rstrip().splitlines()[-lines:])
    except OSError:
        return ""


# Installing tools


def apt_install(packages):
    """Debian packages with apt-get (through sudo unless root), without recommended ones."""
    log(f"installing {' '.join(packages)} with apt-get")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def ensure_commands(packages):
    """Every command of `packages` ({command: Debian package}) on PATH, installing the packages
    of the missing ones; fails if one is still missing after that."""
    missing = sorted(
        {package for command, package in packages.items() if not shutil.which(command)}
    )
    if not missing:
        return
    apt_install(missing)
    for command in packages:
        if not shutil.which(command):
            fail(f"{command} is still not on PATH after apt-get install")


def venv_python(venv):
    return os.path.join(venv, "bin", "python")


def ensure_venv(venv, requirements):
    """A virtual environment at `venv` with the pinned PyPI `requirements`, made, or made again
    when the pins change (a stamp file in it records those it was made with)."""
    stamp = os.path.join(venv, "installed-requirements.txt")
    wanted = "\n".join(requirements) + "\n"
    try:
        with open(stamp, encoding="utf-8") as f:
            if f.read() == wanted and os.access(venv_python(venv), os.X_OK):
                return
    except FileNotFoundError:
        pass
    log(f"installing {', '.join(requirements)} into {os.path.relpath(venv, ROOT)}")
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run(
        [sys.executable, "-m", "venv", venv],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if made.returncode != 0:
        if "ensurepip" not in made.stdout:
            fail(f"cannot make {venv}:\n{made.stdout}")
        # Debian's python3 makes virtual environments only with python3-venv installed.
        apt_install(["python3-venv"])
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run(
        [venv_python(venv), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + requirements,
        check=True,
    )
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(wanted)


# HTTP on loopback


LOOPBACK = "127.0.0.1"


def free_port(host=LOOPBACK):
    """A TCP port nothing listens on at `host` now (the kernel's pick)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Response:
    """Status, headers (name, value) in the order sent, the body as sent, and the reason phrase
    of the status line."""

    def __init__(self, status, headers, body, reason=""):
        self.status = status
        self.headers = headers
        self.body = body
        self.reason = reason

    def header(self, name):
        """The value of the first header of that name, in any case, or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def connection(host, port, tls=None, timeout=10):
    """An HTTP connection to `host`:`port`, over TLS when `tls` (an ssl.SSLContext) is given."""
    if tls is None:
        return http.client.HTTPConnection(host, port, timeout=timeout)
    return http.client.HTTPSConnection(host, port, timeout=timeout, context=tls)


def request(port, path, method="GET", headers=None, body=None, timeout=10, host=LOOPBACK, tls=None):
    """One request to `host`:`port` (HTTPS when `tls`, an ssl.SSLContext, is given) on a
    connection of its own. Asks for no compression unless `headers` say otherwise; a `body` goes
    as a urlencoded form. The body comes back as sent: not decompressed, only the chunked framing
    removed."""
    sent = {"Accept-Encoding": "identity"}
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    sent.update(headers or {})
    conn = connection(host, port, tls, timeout)
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        return Response(response.status, response.getheaders(), response.read(), response.reason)
    finally:
        conn.close()


def wait_until_answers(process, port, path, what, timeout_s, logs=(), poll_s=0.02, **where):
    """The time.monotonic() of the first 200 that GET `path` on 127.0.0.1:`port` (or the `host`
    and `tls` of `where`, as for request) answers, polled every `poll_s`. Fails, with the tails
    of the `logs` files, if `process` exits first or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            fail(
                f"{what} exited with {process.returncode} before answering {path}:\n"
                + "\n".join(tail(log_path) for log_path in logs)
            )
        try:
            if request(port, path, timeout=1, **where).status == 200:
                return time.monotonic()
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            fail(
                f"{what} did not answer {path} within {timeout_s} s:\n"
                + "\n".join(tail(log_path) for log_path in logs)
            )
        time.sleep(poll_s)


class LoopbackServer:
    """A server of this script's on 127.0.0.1:`port`."""

    port = None

    def get(self, path, encoding="identity", headers=None):
        """GET `path`, asking for the `encoding` (see request)."""
        return request(self.port, path, headers={"Accept-Encoding": encoding, **(headers or {})})


def wrk_command(url, threads, connections, seconds, *options):
    """wrk's command line for one run on `url`: latency percentiles, a 2 s timeout, the load
    given, and `options` (a script, headers) before the URL."""
    load = ["-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    return ["wrk", "--latency", "--timeout", "2s", *load, *options, url]


# drillbook


class Drillbook(LoopbackServer):
    """`drillbook serve` on 127.0.0.1:`port` (a free one unless given), run from the repository.
    It can be started, killed, stopped and started again on the same port.

    `log` is where its output goes: None (nowhere), the path of a file (written anew on every
    start), or subprocess.PIPE (its stderr, as text, for the caller to read)."""

    def __init__(
        self, binary, content=None, port=None, base_url=None, env=None, log=None, name="drillbook"
    ):
        self.binary = os.path.abspath(binary)
        self.content = content
        self.port = port or free_port()
        self.addr = f"127.0.0.1:{self.port}"
        self.base_url = base_url
        self.env = {**os.environ, "RUST_LOG": "warn", "NO_COLOR": "1", **(env or {})}
        self.log = log
        self.name = name
        self.process = None
        self.startup_s = None

    def command(self):
        command = [self.binary, "serve", "--bind", self.addr]
        if self.content is not None:
            command += ["--content", self.content]
        if self.base_url is not None:
            command += ["--base-url", self.base_url]
        return command

    def spawn(self):
        """Starts the process, without waiting for it to answer."""
        if self.log is subprocess.PIPE:
            output = {
                "stdout": subprocess.DEVNULL,
                "stderr": subprocess.PIPE,
                "text": True,
                "errors": "replace",
            }
        elif self.log is None:
            output = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        else:
            output = {"stdout": open(self.log, "w"), "stderr": subprocess.STDOUT}
        self.spawned_at = time.monotonic()
        try:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, **output
            )
        finally:
            if self.log not in (None, subprocess.PIPE):
                output["stdout"].close()

    def wait_ready(self, timeout_s=60, poll_s=0.02):
        """Waits for the first 200 from /healthz; `startup_s` is the time from the spawn."""
        logs = [self.log] if self.log not in (None, subprocess.PIPE) else []
        ready_at = wait_until_answers(
            self.process, self.port, "/healthz", self.name, timeout_s, logs, poll_s
        )
        self.startup_s = ready_at - self.spawned_at

    def start(self, timeout_s=60, poll_s=0.02):
        """Spawns it and waits until it answers; stops it again if that fails."""
        self.spawn()
        try:
            self.wait_ready(timeout_s, poll_s)
        except BaseException:
            self.stop()
            raise

    def kill(self):
        self.process.kill()
        self.process.wait()

    def terminate(self, timeout=20):
        """SIGTERM; the exit status, or None if it had to be killed after `timeout` seconds."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def stop(self):
        """Ends the process if it runs (SIGTERM, then SIGKILL); safe to call more than once."""
        if self.process is not None and self.process.poll() is None:
            self.terminate()


# nginx

NGINX_TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_config(directory, comment, http, workers="auto", worker_connections=1024):
    """A main nginx.conf for nginx run in the foreground from `directory`: its pid file, error
    log and every temporary path in there, `http` (directives, already indented) in the http
    block, and `comment` (lines) at the top."""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {os.path.join(directory, kind + '_temp')};"
        for kind in NGINX_TEMP_PATHS
    )
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    return f"""\
{header}daemon off;
worker_processes {workers};
pid {os.path.join(directory, "nginx.pid")};
error_log {os.path.join(directory, "error.log")} warn;

events {{
    worker_connections {worker_connections};
}}

http {{
{temp_paths}
{http}
}}
"""


def nginx_string(value):
    """A double-quoted nginx config string. `$` would start a variable, so it is refused."""
    if "$" in value or "\n" in value or "\r" in value:
        fail(f"cannot put {value!r} in an nginx config")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def self_signed_certificate(directory, hosts=(LOOPBACK,)):
    """A throw-away P-256 certificate and key for `hosts` (IP addresses; localhost is always
    added) made with the openssl CLI in `directory`, valid for two days: (certificate path, key
    path). The certificate is its own issuer, so it is also the CA file clients trust."""
    ensure_commands({"openssl": "openssl"})
    certificate = os.path.join(directory, "certificate.pem")
    key = os.path.join(directory, "key.pem")
    names = ",".join(["DNS:localhost", *(f"IP:{host}" for host in hosts)])
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        + ["-nodes", "-days", "2", "-subj", "/CN=drillbook test", "-addext"]
        + [f"subjectAltName={names}", "-keyout", key, "-out", certificate],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if made.returncode != 0:
        fail(f"openssl req -x509 exited {made.returncode}:\n{made.stdout}")
    return certificate, key


class Nginx(LoopbackServer):
    """nginx run from `directory` with `config` as its nginx.conf, in a process group of its own
    (master and workers), waited on until GET `ready_path` on 127.0.0.1:`port` (or the `host` of
    `where`, over the `tls` of `where`) answers 200."""

    def __init__(self, directory, config, port, ready_path, timeout_s=10, **where):
        self.dir = directory
        self.port = port
        self.process = None
        self.error_log = os.path.join(directory, "error.log")
        self.config = os.path.join(directory, "nginx.conf")
        with open(self.config, "w") as f:
            f.write(config)
        stderr_path = os.path.join(directory, "stderr.log")
        with open(stderr_path, "w") as stderr:
            self.process = subprocess.Popen(
                ["nginx", "-e", self.error_log, "-p", directory + "/", "-c", self.config],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        try:
            wait_until_answers(
                self.process,
                port,
                ready_path,
                "nginx",
                timeout_s,
                [stderr_path, self.error_log],
                **where,
            )
        except BaseException:
            self.stop()
            raise

    def stop(self):
        """A fast shutdown of master and workers (SIGTERM), SIGKILL to the group if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# The site's pages


class FormDefaults(html.parser.HTMLParser):
    """The fields a browser would submit for the POST /mock form left as it is served: checked
    checkboxes and radios, and the value of every other named input."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.fields = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = (
                attrs.get("action") == "/mock" and (attrs.get("method") or "").lower() == "post"
            )
        elif tag in ("input", "select", "textarea") and self.in_form and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "reset"):
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def mock_form(port):
    """The default fields of the POST /mock form that GET /mock serves, and its number of
    questions; fails when there is no such form or it asks for none."""
    response = request(port, "/mock")
    if response.status != 200:
        fail(f"GET /mock: expected 200, found {response.status}")
    form = FormDefaults()
    form.feed(response.body.decode("utf-8", "replace"))
    if not form.fields:
        fail('GET /mock: found no <form action="/mock" method="post"> with fields')
    count = int(dict(form.fields).get("count") or 0)
    if count < 1:
        fail(f"GET /mock: expected a default `count` of at least 1, found {form.fields}")
    return form.fields, count


def start_interview(port, fields, **where):
    """The code of a mock interview started by POSTing `fields` (urlencoded, or pairs) to /mock
    (on 127.0.0.1:`port`, or where `where` says, as for request), and the response, which must
    be a 303 to its first question."""
    body = fields if isinstance(fields, str) else urllib.parse.urlencode(fields)
    response = request(port, "/mock", method="POST", body=body, **where)
    location = response.header("Location") or ""
    match = re.fullmatch(r"/mock/([^/?#]+)/1", location)
    if response.status != 303 or not match:
        fail(
            f"POST /mock {body} to {where.get('host', LOOPBACK)}:{port}: expected 303 to /mock/<code>/1, found "
            f"{response.status} Location {location!r}"
        )
    return match.group(1), response


def sitemap_paths(port, **where):
    """The path (and query) of every <loc> of /sitemap.xml (on 127.0.0.1:`port`, or where
    `where` says, as for request); fails unless it answers 200 with some."""
    response = request(port, "/sitemap.xml", **where)
    if response.status != 200:
        fail(f"GET /sitemap.xml: expected 200, found {response.status}")
    locs = re.findall(r"<loc>([^<]+)</loc>", response.body.decode("utf-8", "replace"))
    if not locs:
        fail("/sitemap.xml: expected <loc> entries, found none")
    paths = []
    for loc in locs:
        parts = urllib.parse.urlsplit(html.unescape(loc))
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def memory_kib(pid):
    """A process's VmRSS and VmHWM (its peak), in KiB, from /proc."""
    figures = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0])
    return figures
