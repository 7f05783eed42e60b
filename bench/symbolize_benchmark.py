#!/usr/bin/env python3
# ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0
"""Benchmark `ksleuth symbolize --addresses` against `addr2line -fi` and `llvm-symbolizer`.

Picks the largest ELF file with DWARF at hand (or --elf), samples 10,000 addresses spread over
its function symbols, and runs each tool on the same addresses (read from standard input, one
process per tool and run), reporting the fastest wall time, peak resident memory, the ratios,
and on how many addresses ksleuth's frames (function, file, line, column, inline chain) are
llvm-symbolizer's, whose output format `ksleuth symbolize --addresses` shares.

    python3 bench/symbolize_benchmark.py [--elf FILE] [--ksleuth PATH] [--count N] [--repeat N]
"""

import argparse
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def has_dwarf(path):
    try:
        out = subprocess.run(["readelf", "-S", "-W", path], capture_output=True, text=True, check=False).stdout
    except OSError:
        return False
    return ".debug_info" in out and ".debug_line" in out


def largest_elf():
    patterns = [".build*/debug/*.xctest", ".build*/debug/ksleuth", ".build*/*/debug/*.xctest", ".build*/release/ksleuth"]
    candidates = set()
    for pattern in patterns:
        candidates.update(glob.glob(os.path.join(ROOT, pattern)))
    candidates = sorted((p for p in candidates if os.path.isfile(p)), key=os.path.getsize, reverse=True)
    for path in candidates:
        if has_dwarf(path):
            return path
    return None


def sample_addresses(path, count):
    out = subprocess.run(["nm", "-S", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    spans = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] in "tTwW":
            start, size = int(parts[0], 16), int(parts[1], 16)
            if size > 0:
                spans.append((start, size))
    spans.sort()
    total = sum(size for _, size in spans)
    step = max(1, total // count)
    addresses, position = [], 0
    for start, size in spans:
        offset = (-position) % step
        while offset < size and len(addresses) < count:
            addresses.append(start + offset)
            offset += step
        position += size
    return addresses[:count]


def measure(command, stdin_text, output_path):
    """Runs `command` in a child that reports its own child's peak RSS (KiB) and wall time; the
    command's standard output goes to `output_path`."""
    runner = (
        "import resource,subprocess,sys,time\n"
        "data=sys.stdin.buffer.read()\n"
        "out=open(sys.argv[1],'wb')\n"
        "t=time.perf_counter()\n"
        "p=subprocess.run(sys.argv[2:],input=data,stdout=out,stderr=subprocess.DEVNULL)\n"
        "e=time.perf_counter()-t\n"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write('%f %d %d\\n'%(e,r,p.returncode))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, output_path] + command, input=stdin_text.encode(), capture_output=True,
        check=False)
    elapsed, rss, status = result.stderr.decode().strip().splitlines()[-1].split()
    return float(elapsed), int(rss), int(status)


def answers(path):
    """The per-address answers of llvm-symbolizer's text output: blocks separated by a blank line."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return [block for block in handle.read().split("\n\n") if block.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elf", help="the ELF file with DWARF to symbolize in (default: the largest at hand)")
    parser.add_argument("--ksleuth", help="the ksleuth binary (default: a release build, else a debug one)")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the fastest is reported")
    args = parser.parse_args()

    elf = args.elf or largest_elf()
    if not elf:
        print("skipped: no ELF file with DWARF found; build first (swift build --build-tests) or pass --elf")
        return
    ksleuth = args.ksleuth
    if not ksleuth:
        for candidate in sorted(glob.glob(os.path.join(ROOT, ".build*/release/ksleuth"))) + sorted(
                glob.glob(os.path.join(ROOT, ".build*/debug/ksleuth"))):
            ksleuth = candidate
            break
    if not ksleuth:
        sys.exit("no ksleuth binary found; swift build -c release first or pass --ksleuth")

    addresses = sample_addresses(elf, args.count)
    text = "\n".join("0x%x" % a for a in addresses) + "\n"
    print("ELF: %s (%.1f MB), %d addresses" % (elf, os.path.getsize(elf) / 1e6, len(addresses)))
    print("ksleuth: %s" % ksleuth)

    tools = [("ksleuth", [ksleuth, "symbolize", "--vmlinux", elf, "--addresses", "-"])]
    addr2line = shutil.which("addr2line")
    if addr2line:
        tools.append(("addr2line -fi", [addr2line, "-f", "-i", "-e", elf]))
    toolchain = "/opt/swift/usr/bin/llvm-symbolizer"
    symbolizer = toolchain if os.path.exists(toolchain) else shutil.which("llvm-symbolizer")
    if symbolizer:
        tools.append(("llvm-symbolizer", [symbolizer, "--no-demangle", "--obj=" + elf]))

    work = tempfile.mkdtemp(prefix="ksleuth-symbolize-bench-")
    results = {}
    outputs = {}
    print("%-16s %10s %12s %8s" % ("tool", "seconds", "peak RSS MB", "status"))
    try:
        # Rounds, not tool after tool: a shared machine's load then weighs on every tool alike.
        runs = {name: [] for name, _ in tools}
        for _ in range(max(1, args.repeat)):
            for name, command in tools:
                outputs[name] = os.path.join(work, name.split()[0] + ".out")
                runs[name].append(measure(command, text, outputs[name]))
        for name, _ in tools:
            elapsed = min(run[0] for run in runs[name])
            rss = max(run[1] for run in runs[name])
            status = max(run[2] for run in runs[name])
            results[name] = (elapsed, rss)
            print("%-16s %10.3f %12.1f %8d" % (name, elapsed, rss / 1024, status))
        base = results["ksleuth"]
        for name, (elapsed, rss) in results.items():
            if name != "ksleuth":
                print("%s / ksleuth: time x%.2f, memory x%.2f" % (name, elapsed / base[0], rss / max(base[1], 1)))
        if "llvm-symbolizer" in outputs:
            mine, theirs = answers(outputs["ksleuth"]), answers(outputs["llvm-symbolizer"])
            same = sum(1 for a, b in zip(mine, theirs) if a == b)
            print("ksleuth and llvm-symbolizer give the same frames for %d of %d addresses (%d answered by both)"
                  % (same, len(addresses), min(len(mine), len(theirs))))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
