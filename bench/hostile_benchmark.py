#!/usr/bin/env python3
"""Hostile crash logs: ksleuth must stay bounded in time and memory and never crash.

Five generated logs, each run through `ksleuth analyze --format jsonl`:

  headers   100 MB of nothing but crash headers (one report each, none with a body)
  frames    one oops with a call trace of 1,000,000 frames
  nested    one oops whose trace nests <IRQ>/<NMI>/<SOFTIRQ> sections 300,000 deep
  garbage   an oops whose frames alternate with lines of random bytes
  slub-dump a SLUB poison report whose Object rows go on for 1 GiB

For each: wall time, throughput, peak RSS (of the ksleuth process), exit status, the number
of incidents and how many are marked truncated or corrupted. The run fails (exit 1) when
ksleuth crashes (a signal, or an exit status above 2, or 2 with nothing recovered), when its
peak RSS passes --max-rss-mib, or when a report that cannot be whole is not marked so.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time


def write_headers(path, size):
    line = b"[  101.200000] BUG: unable to handle page fault for address: ffffc90000a7d000\n"
    with open(path, "wb") as out:
        block = line * 16384
        written = 0
        while written < size:
            out.write(block)
            written += len(block)


def write_frames(path, count):
    with open(path, "wb") as out:
        out.write(b"[  101.200000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n")
        out.write(b"[  101.200017] Oops: 0000 [#1] SMP PTI\n")
        out.write(b"[  101.200025] RIP: 0010:demo_probe+0x1d/0x60 [demo]\n")
        out.write(b"[  101.200040] Call Trace:\n")
        frame = b"[  101.200043]  do_one_initcall+0x46/0x1d0\n"
        for _ in range(count // 1000):
            out.write(frame * 1000)


def write_nested(path, depth):
    markers = [b"<IRQ>", b"<NMI>", b"<SOFTIRQ>"]
    with open(path, "wb") as out:
        out.write(b"[  101.200000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n")
        out.write(b"[  101.200040] Call Trace:\n")
        for index in range(depth):
            out.write(b"[  101.200041]  " + markers[index % 3] + b"\n")
            out.write(b"[  101.200042]  handle_irq+0x1/0x2\n")


def write_garbage(path, frames, seed=7):
    rng = random.Random(seed)
    with open(path, "wb") as out:
        out.write(b"[  101.200000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n")
        out.write(b"[  101.200040] Call Trace:\n")
        for _ in range(frames):
            out.write(b"[  101.200043]  do_one_initcall+0x46/0x1d0\n")
            junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120)))
            out.write(junk.replace(b"\n", b" ") + b"\n")


def write_slub_dump(path, size):
    header = (b"=============================================================================\n"
              b"BUG kmalloc-64 (Not tainted): Poison overwritten\n"
              b"-----------------------------------------------------------------------------\n\n"
              b"INFO: 0xffff880214361930-0xffff880214361930. First byte 0x6a instead of 0x6b\n"
              b"INFO: Object 0xffff880214361930 @offset=2352 fp=0xffff880214361dc8\n\n")
    suffix = b": " + b"6b " * 16 + b" kkkkkkkkkkkkkkkk\n"
    with open(path, "wb") as out:
        out.write(header)
        address = 0xffff880214361930
        written = len(header)
        while written < size:
            block = b"".join(b"Object %016x" % (address + 16 * index) + suffix for index in range(4096))
            address += 16 * 4096
            out.write(block)
            written += len(block)


def run(binary, path):
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    process = subprocess.Popen(
        [binary, "analyze", "--format", "jsonl", "--no-signatures", path],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    incidents = truncated = corrupted = 0
    largest = 0
    for line in process.stdout:
        record = json.loads(line)
        if "kind" not in record:
            continue
        incidents += 1
        truncated += bool(record.get("truncated"))
        corrupted += bool((record.get("identity") or {}).get("corrupted"))
        largest = max(largest, len((record.get("call_trace") or {}).get("frames") or []))
    status = process.wait()
    elapsed = time.monotonic() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": elapsed, "status": status, "incidents": incidents, "truncated": truncated,
            "corrupted": corrupted, "largest_trace": largest, "peak_rss_mib": max(rss, before) / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/ksleuth")
    parser.add_argument("--work", default="bench-work/hostile")
    parser.add_argument("--headers-mb", type=int, default=100)
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--depth", type=int, default=300_000)
    parser.add_argument("--dump-mb", type=int, default=1024)
    parser.add_argument("--max-rss-mib", type=float, default=512)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    logs = {
        "headers": (write_headers, args.headers_mb * 1024 * 1024),
        "frames": (write_frames, args.frames),
        "nested": (write_nested, args.depth),
        "garbage": (write_garbage, 100_000),
        "slub-dump": (write_slub_dump, args.dump_mb * 1024 * 1024),
    }
    failed = False
    print(f"{'log':9} {'MB':>7} {'seconds':>8} {'MB/s':>7} {'peak RSS':>9} {'status':>6} {'incidents':>9} "
          f"{'truncated':>9} {'corrupted':>9} {'frames':>7}")
    for name, (write, amount) in logs.items():
        path = os.path.join(args.work, name + ".log")
        if not os.path.exists(path):
            write(path, amount)
        size = os.path.getsize(path) / 1e6
        result = run(args.binary, path)
        # RUSAGE_CHILDREN keeps the largest child so far: the figure is this run's when it grew.
        print(f"{name:9} {size:7.1f} {result['seconds']:8.2f} {size / result['seconds']:7.1f} "
              f"{result['peak_rss_mib']:7.1f}Mi {result['status']:6} {result['incidents']:9} "
              f"{result['truncated']:9} {result['corrupted']:9} {result['largest_trace']:7}")
        # Status 2 says the input is damaged (random bytes read as binary input): what could be
        # recovered must still be there.
        if result["status"] < 0 or result["status"] > 2 or (result["status"] == 2 and result["incidents"] == 0):
            print(f"  FAIL {name}: ksleuth ended with status {result['status']}")
            failed = True
        if result["peak_rss_mib"] > args.max_rss_mib:
            print(f"  FAIL {name}: peak RSS above {args.max_rss_mib} MiB")
            failed = True
        if name in ("frames", "nested", "slub-dump") and result["truncated"] == 0:
            print(f"  FAIL {name}: a report past the caps is not marked truncated")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
