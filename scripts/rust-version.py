#!/usr/bin/env python3
"""Checks that Cargo.toml's `rust-version` is at least every locked dependency's.

A declared minimum below a dependency's own `rust-version` promises a build that cargo then
refuses ("package `x` requires rustc 1.89"). This reads the dependencies' declared minimums from
`cargo metadata --locked`, so it needs no other toolchain. (Standard-library items newer than the
declared version are caught by clippy's `incompatible_msrv` lint, which CI runs with -D warnings.)

    scripts/rust-version.py    exit 0 if the declaration holds, else 1 naming the crates above it
"""

import json
import os
import subprocess
import sys
import tomllib

from drillbook_scripts import ROOT


def version(text):
    """'1.89' or '1.89.0' as (1, 89, 0)."""
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as manifest:
        package = tomllib.load(manifest)["package"]
    declared_text = package.get("rust-version")
    if declared_text is None:
        sys.exit("rust-version: Cargo.toml declares no rust-version")
    declared = version(declared_text)
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
        ).stdout
    )
    dependencies = [
        p for p in metadata["packages"] if p["name"] != package["name"] and p.get("rust_version")
    ]
    above = sorted(
        (version(p["rust_version"]), p["name"], p["version"])
        for p in dependencies
        if version(p["rust_version"]) > declared
    )
    if above:
        print(
            f"rust-version: Cargo.toml declares {declared_text}, but these locked "
            f"dependencies need more:",
            file=sys.stderr,
        )
        for needed, name, crate_version in reversed(above):
            print(
                f"  {name} {crate_version} requires rustc {'.'.join(map(str, needed))}",
                file=sys.stderr,
            )
        print(
            f"rust-version: raise rust-version in Cargo.toml to "
            f"{'.'.join(map(str, above[-1][0][:2]))}",
            file=sys.stderr,
        )
        sys.exit(1)
    highest = max((version(p["rust_version"]), p["name"]) for p in dependencies)
    print(
        f"rust-version: Cargo.toml declares {declared_text}; the highest among "
        f"{len(dependencies)} locked dependencies that declare one is "
        f"{'.'.join(map(str, highest[0][:2]))} ({highest[1]})"
    )


if __name__ == "__main__":
    main()
