#!/usr/bin/env python3
"""Summarizes bench/audit.sh's results folder as Markdown (printed): the bucket, then one row per command."""
import glob
import json
import os
import re
import statistics
import sys

out = sys.argv[1]
MiB = 1024 * 1024
n, sample, sample_every, parallel = (int(x) for x in open(os.path.join(out, "params")).read().split())


def time_blocks(path):
    """Every /usr/bin/time -v block in a file: wall s, user + sys s, max RSS KiB."""
    blocks, cur = [], {}
    for line in open(path):
        line = line.strip()
        if line.startswith("User time"):
            cur["cpu"] = float(line.split(": ")[1])
        elif line.startswith("System time"):
            cur["cpu"] += float(line.split(": ")[1])
        elif line.startswith("Elapsed (wall clock)"):
            parts = line.rsplit(": ", 1)[1].split(":")
            cur["wall"] = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
        elif line.startswith("Maximum resident set size"):
            cur["rss"] = int(line.split(": ")[1])
            blocks.append(cur)
            cur = {}
    return blocks


# The bucket.
kinds = {}
for line in open(os.path.join(out, "listing.tsv")):
    key, size = line.rstrip("\n").rsplit("\t", 1)
    name = key.rsplit("/", 1)[-1]
    kind = ("audit log" if key.startswith("audit/") else "published signing key" if key.startswith("signing-keys/")
            else "segment" if name.endswith(".mp4.age") else "manifest" if name == "manifest.json"
            else "manifest signature" if name == "manifest.json.sig" else "other (not a recording)")
    c, b = kinds.get(kind, (0, 0))
    kinds[kind] = (c + 1, b + int(size))
total_bytes = sum(b for _, b in kinds.values())
seed = json.load(open(os.path.join(out, "seed.json")))
audit = json.load(open(os.path.join(out, "audit.json")))
print(f"Bucket: {n} objects, {total_bytes / MiB:.1f} MiB; {audit['counts']['recordings']} recordings "
      f"({seed['copies']} copies of {seed['sources']} recorded with `recorder record`, rewritten and re-signed; "
      f"{audit['counts']['recordings'] - seed['copies'] - seed['sources']} through the service), "
      f"{audit['counts']['segments']} segments, {audit['counts']['logEntries']} audit-log entries.\n")
print("| objects | count | MiB | mean bytes |")
print("|---|---:|---:|---:|")
for kind, (c, b) in sorted(kinds.items(), key=lambda kv: -kv[1][0]):
    print(f"| {kind} | {c} | {b / MiB:.2f} | {b // c} |")
codes = {}
for f in audit["findings"]:
    codes[f["code"]] = codes.get(f["code"], 0) + 1
print(f"\nThe audit's findings: {', '.join(f'{v} {k}' for k, v in sorted(codes.items())) or 'none'}; settings: "
      + ", ".join(f"{s['name']} {s['status']}" for s in audit["settings"]) + f"; holds: {audit['holds']}.\n")

# Timings: hyperfine rounds (one run of each command per round).
times = {}
for path in sorted(glob.glob(os.path.join(out, "round-*.json"))):
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
counted = {}
for line in open(os.path.join(out, "counted.txt")):
    f = line.split()
    req0, get0, getb0, put0, lat0, req1, get1, getb1, put1, lat1, cpu0, cpu1, peak = (float(x) for x in f[1:14])
    counted[f[0]] = {"req": req1 - req0, "get_b": getb1 - getb0, "server_cpu": cpu1 - cpu0, "tree_rss": peak, "ttfb": lat1 - lat0}

list_mean = statistics.mean(times["aws-list"])
rec_mean = statistics.mean(times["recorder-audit"])
rows = []
for name, ts in times.items():
    mean = statistics.mean(ts)
    sd = statistics.stdev(ts) if len(ts) > 1 else 0.0
    blocks = time_blocks(os.path.join(out, f"{name}.time"))
    c = counted[name]
    cpu = statistics.mean(b["cpu"] for b in blocks)
    keys = sample if "-each-" in name else n
    if "-each-" in name:   # extrapolated: the listing, then the sampled keys' cost per key times every key
        full = list_mean + (mean - list_mean) / sample * n
        requests = c["req"] + (c["req"] - counted["aws-list"]["req"]) / sample * (n - sample)
        cpu_list = statistics.mean(b["cpu"] for b in time_blocks(os.path.join(out, "aws-list.time")))
        cpu_full = cpu_list + (cpu - cpu_list) / sample * n
    else:
        full, requests, cpu_full = mean, c["req"], cpu
    objects_per_s = n / full if name != "aws-list" else n / mean
    rows.append((name, keys, len(ts), mean, sd, min(ts), full, objects_per_s, requests, c["get_b"], cpu_full, c["server_cpu"],
                 c["ttfb"], max(b["rss"] for b in blocks), c["tree_rss"]))

print(f"Times: hyperfine, {len(times['recorder-audit'])} rounds of one run of each command, alternating. "
      f"`-each-` rows ran one aws process per key on every {sample_every}th key ({sample} keys) and are extrapolated to all {n}: "
      "listing time + (measured − listing) ÷ keys sampled × all keys. MiB/s read: bytes the gateway sent (GET bodies) per second; "
      "requests, bytes, the gateway's and OSD's CPU and the gateway's time to first byte (summed over its GETs; HEADs are not in that counter) "
      "from the counted run (for `-each-` rows: measured on the sample).\n")
print("| command | keys | runs | mean s ± σ | min s | s for all objects | objects/s | recorder ÷ this (objects/s) | bucket MiB/s | "
      "S3 requests | MiB read | read MiB/s | CPU s (tool) | CPU s (gateway+OSD) | gateway first-byte s (GETs, summed) | peak RSS MiB (largest process) | peak RSS MiB (all processes) |")
print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
rec_ops = n / rec_mean
for (name, keys, runs, mean, sd, mn, full, ops, req, getb, cpu, scpu, ttfb, rss, trss) in rows:
    ratio = "" if name in ("recorder-audit", "aws-list") else f"{rec_ops / ops:.2f}"
    print(f"| {name} | {keys} | {runs} | {mean:.2f} ± {sd:.2f} | {mn:.2f} | {full:.1f} | {ops:.1f} | {ratio} | {total_bytes / MiB / full:.2f} | "
          f"{req:.0f} | {getb / MiB:.1f} | {getb / MiB / mean:.2f} | {cpu:.1f} | {scpu:.1f} | {ttfb:.1f} | {rss / 1024:.0f} | {trss / 1024:.0f} |")

report_bytes = int(open(os.path.join(out, "report.bytes")).read())
with_report, without = statistics.mean(times["recorder-report"]), statistics.mean(times["recorder-audit"])
print(f"\n--report: {report_bytes} bytes ({report_bytes / 1024:.0f} KiB) of HTML; recorder-report − recorder-audit: "
      f"{with_report - without:+.2f} s ({(with_report / without - 1) * 100:+.1f}%) in the mean, {min(times['recorder-report']) - min(times['recorder-audit']):+.2f} s in the fastest runs.")
print(f"\nCores: {open(os.path.join(out, 'cores')).read().strip()}; commit {open(os.path.join(out, 'commit')).read().strip()}; load average (1 min) "
      "at each round's start and end: " + ", ".join(line.split()[2] for line in open(os.path.join(out, "load.txt"))) + ".")
uptime = os.path.join(out, "uptime.txt")
if os.path.exists(uptime):
    print("\nuptime at the script's start and end (seeding included):\n")
    for line in open(uptime):
        print(f"    {line.strip()}")
