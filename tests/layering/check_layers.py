#!/usr/bin/env python3
"""Checks core/src's layering: a file may include headers of its own
subsystem and of the subsystems below it, never above.

    util < config < revision < db < plugin < script < runtime < autogenerate < fleet < command

core/README.md explains the order. Run with the path of core/src; prints
every include that runs back up, and exits 1 if there is one."""
import os
import re
import sys

LAYERS = ["util", "config", "revision", "db", "plugin", "script", "runtime", "autogenerate",
          "fleet", "command"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def violations(src):
    rank = {name: i for i, name in enumerate(LAYERS)}
    found = []
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            found.append(f"{folder}: a file directly in core/src; put it in a subsystem folder")
            continue
        if folder not in rank:
            found.append(f"{folder}/: not a subsystem of the layering; add it to LAYERS and core/README.md")
            continue
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            for target in INCLUDE.findall(text):
                if target in rank and rank[target] > rank[folder]:
                    found.append(f"{folder}/{name} includes {target}/: {folder} is below {target}")
    return found


def selftest():
    """The check must be able to fail: a tree with one include running up."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for folder, text in [("util", '#include "command/x.hpp"\n'), ("command", '#include "util/y.hpp"\n')]:
            os.makedirs(os.path.join(tmp, folder))
            with open(os.path.join(tmp, folder, "a.cpp"), "w") as f:
                f.write(text)
        found = violations(tmp)
    if found != ["util/a.cpp includes command/: util is below command"]:
        print("selftest failed:", found)
        return 1
    return 0


def main():
    if selftest() != 0:
        return 1
    src = sys.argv[1]
    found = violations(src)
    for line in found:
        print(line)
    if not found:
        print(f"core/src: {len(LAYERS)} subsystems, no include runs back up")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
