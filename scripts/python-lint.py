#!/usr/bin/env python3
"""Lints the Python scripts under scripts/ with ruff, as CI does: `ruff check` (the rules of
ruff.toml at the repository's root) and `ruff format --check` (the layout ruff format gives).

    scripts/python-lint.py                 # both; exit 1 if either finds something
    scripts/python-lint.py --fix           # let ruff fix what it can and format the files
    scripts/python-lint.py --install-only  # only install ruff (CI does it ahead of time)

Installs the pinned ruff from PyPI into a virtual environment under target/python-lint/venv
when it is missing or another version, as scripts/deploy-check.py installs its tools, so every
machine lints with the same rules and layout.
"""

import argparse
import os
import subprocess
import sys

from drillbook_scripts import ROOT, ensure_venv, log

VENV = os.path.join(ROOT, "target", "python-lint", "venv")
REQUIREMENTS = ["ruff==0.17.6"]
RUFF = os.path.join(VENV, "bin", "ruff")


def ruff(*words):
    """The exit status of ruff run on scripts/ from the repository's root."""
    command = [RUFF, *words, "scripts"]
    log(" ".join(["ruff", *words, "scripts"]))
    return subprocess.run(command, cwd=ROOT).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply ruff's fixes and format the files instead of checking",
    )
    parser.add_argument(
        "--install-only", action="store_true", help="install the pinned ruff and stop"
    )
    args = parser.parse_args()

    ensure_venv(VENV, REQUIREMENTS)
    if args.install_only:
        return 0
    if args.fix:
        return ruff("check", "--fix") or ruff("format")
    checked = ruff("check")
    formatted = ruff("format", "--check")
    return 1 if checked or formatted else 0


if __name__ == "__main__":
    sys.exit(main())
