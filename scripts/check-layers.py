#!/usr/bin/env python3
"""The layers of the `app` crate, lowest first. A module may use modules of its own layer that
come before it in the list, and any module of a lower layer; never one above it. Run by
scripts/test.sh: it prints each import that runs up the layers and fails if there is one."""
import os
import re
import sys

LAYERS = [
    ("ground", ["i18n", "ids", "money", "codec", "error", "form", "codes", "state", "db", "pdf"]),
    ("access", ["auth"]),
    ("ui kit", ["ui"]),
    ("people", ["users", "account"]),
    ("setup", ["config", "sellers", "catalog", "exports"]),
    ("figures", ["figures"]),
    ("domain", ["sales", "offers", "commissions", "contacts", "targets", "reports"]),
    ("work", ["desk", "import"]),
    ("app", ["shell", "lib"]),
]

ORDER = [m for _, ms in LAYERS for m in ms]
POSITION = {m: i for i, m in enumerate(ORDER)}
LAYER_OF = {m: name for name, ms in LAYERS for m in ms}


def module_of(path: str) -> str:
    return path.split("/")[0].removesuffix(".rs")


def used(source: str):
    """The crate's top modules a file names: `crate::x` paths and `use crate::{x, y}` groups."""
    code = re.sub(r"//[^\n]*", "", source)
    for m in re.finditer(r"crate::(\w+)", code):
        yield m.group(1)
    for m in re.finditer(r"crate::\{([^}]*)\}", code):
        for name in re.findall(r"(?:^|,)\s*(\w+)", m.group(1)):
            yield name


def main() -> int:
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "src")
    wrong = []
    unknown = set()
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".rs"):
                continue
            path = os.path.relpath(os.path.join(folder, name), root)
            here = module_of(path)
            if here not in POSITION:
                unknown.add(here)
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                source = f.read()
            for there in sorted(set(used(source))):
                if there == here or there not in POSITION:
                    continue
                if POSITION[there] > POSITION[here]:
                    wrong.append(f"app/src/{path}: {here} ({LAYER_OF[here]}) uses {there} ({LAYER_OF[there]})")
    for line in wrong:
        print(line)
    for module in sorted(unknown):
        print(f"app/src: module {module} is in no layer (scripts/check-layers.py)")
    if wrong or unknown:
        print(f"layers: {len(wrong)} imports run up the layers")
        return 1
    print("layers: " + " < ".join(f"{name} ({', '.join(ms)})" for name, ms in LAYERS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
