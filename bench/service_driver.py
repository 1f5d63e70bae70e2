"""Measures the service against `recorder record` alone (bench/service.sh starts what it needs).

Prints a Markdown summary; raw measurements go to OUT/raw.jsonl.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import time
import urllib.request
from datetime import datetime

KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
HZ = os.sysconf("SC_CLK_TCK")

p = argparse.ArgumentParser()
for name in ("url", "recorder", "janus", "out"):
    p.add_argument(f"--{name}", required=True)
for name in ("pid", "runs", "seconds", "ttff-runs"):
    p.add_argument(f"--{name}", type=int, required=True)
a = p.parse_args()
raw = open(os.path.join(a.out, "raw.jsonl"), "w")


def log(kind, **values):
    raw.write(json.dumps({"kind": kind, **values}) + "\n")
    raw.flush()


def when(text):
    # .NET writes 7 fractional digits; Python reads 6.
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text)).timestamp()


def api(path, token):
    req = urllib.request.Request(a.url + path, headers={"Authorization": f"Bearer {token}"})
    return json.loads(urllib.request.urlopen(req, timeout=30).read())


def cli(args, token):
    env = dict(os.environ, RECORDER_URL=a.url, RECORDER_TOKEN=token)
    return subprocess.run([a.recorder, *args], env=env, check=True, capture_output=True, text=True).stdout


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15])  # utime stime cutime cstime


def running(recording_id):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if recording_id.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                return True
        except OSError:
            pass
    return False


def wait_ready():
    for _ in range(300):
        try:
            if urllib.request.urlopen(a.url + "/readyz", timeout=5).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the service did not become ready")


def wait_done(recording_id, token, timeout):
    until = time.time() + timeout
    while time.time() < until:
        r = api(f"/recordings/{recording_id}", token)
        if r["state"] in ("completed", "failed"):
            if r["state"] != "completed":
                raise SystemExit(f"recording {recording_id} failed: {r['error']}")
            return r
        time.sleep(0.2)
    raise SystemExit(f"recording {recording_id} did not end within {timeout} s")


def through_service(token, meeting, duration=None):
    args = ["schedule", "--meeting", meeting] + (["--duration", duration] if duration else [])
    t0 = time.time()
    recording_id = cli(args, token).strip()
    return t0, recording_id


def ttff_service(token, meeting, duration):
    t0, recording_id = through_service(token, meeting, duration)
    r = wait_done(recording_id, token, 120)
    return when(r["times"]["recording"]) - t0


def ttff_alone(meeting, duration):
    t0 = time.time()
    proc = subprocess.Popen([a.recorder, "record", "--events", "--meeting", meeting, "-r", KEY, "--bucket", "bench", "--duration", duration],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = None
    for line in proc.stdout:
        event = json.loads(line)
        if event["event"] == "state" and event.get("state") == "recording" and first is None:
            first = when(event["time"]) - t0
    proc.stdin.close()
    if proc.wait() != 0 or first is None:
        raise SystemExit(f"recorder record failed for {meeting}")
    return first


wait_ready()
time.sleep(30)
status = open(f"/proc/{a.pid}/status").read()
rss = {k: int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) / 1024 for k in ("VmRSS", "VmHWM")}
log("idle", **rss)

operator = os.environ["RECORDER_OPERATOR_TOKEN"]
host = json.loads(cli(["hosts", "add", "--name", "bench", "-r", KEY, "--json"], operator))["token"]

ttff = {}
synthetic = "synthetic://?participants=4&seconds=3"
for i in range(a.ttff_runs):
    for name, measure in (("synthetic via service", lambda: ttff_service(host, synthetic, None)),
                          ("synthetic alone", lambda: ttff_alone(synthetic, "3s")),
                          ("janus via service", lambda: ttff_service(host, a.janus, "3s")),
                          ("janus alone", lambda: ttff_alone(a.janus, "3s"))):
        seconds = measure()
        ttff.setdefault(name, []).append(seconds)
        log("ttff", name=name, run=i, seconds=seconds)

cpu = {"service": [], "alone": []}
meeting = f"synthetic://?participants=4&marker=0&seconds={a.seconds}"
for i in range(a.runs):
    before = cpu_ticks(a.pid)
    _, recording_id = through_service(host, meeting)
    r = wait_done(recording_id, host, a.seconds + 120)
    while running(recording_id):
        time.sleep(0.1)
    time.sleep(0.5)  # the service reaps the process before its figures count as its children's
    used = (cpu_ticks(a.pid) - before) / HZ
    media = sum(s["durationSeconds"] for s in r["segments"])
    cpu["service"].append(used / media)
    log("cpu", how="service", run=i, cpu_seconds=used, media_seconds=media, dropped=r["videoFramesDropped"])

    timed = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", a.recorder, "record", "--meeting", meeting, "-r", KEY, "--bucket", "bench", "--json"],
                           capture_output=True, text=True, check=True)
    user, system, max_kib = timed.stderr.strip().splitlines()[-1].split()
    used = float(user) + float(system)
    dropped = json.loads(timed.stdout)["videoFramesDropped"]
    cpu["alone"].append(used / a.seconds)
    log("cpu", how="alone", run=i, cpu_seconds=used, media_seconds=a.seconds, dropped=dropped, max_rss_mib=int(max_kib) / 1024)

print(f"Service idle: VmRSS {rss['VmRSS']:.0f} MiB, VmHWM {rss['VmHWM']:.0f} MiB (after start-up and readiness checks, 30 s idle)\n")
print(f"Time to first frame, {a.ttff_runs} runs each, alternating (seconds):\n")
print("| meeting | median | min | max | first run |")
print("|---|---|---|---|---|")
for name, values in ttff.items():
    print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f} | {values[0]:.3f} |")
print(f"\nCPU seconds per media second, 720p30 synthetic meeting of 4, {a.seconds} s, real time, {a.runs} runs each, alternating:\n")
print("| run | via service | alone |")
print("|---|---|---|")
for i in range(a.runs):
    print(f"| {i + 1} | {cpu['service'][i]:.3f} | {cpu['alone'][i]:.3f} |")
ratio = statistics.median(cpu["service"]) / statistics.median(cpu["alone"])
print(f"\nRatio service/alone (medians): **{ratio:.3f}** (goal ≤ 1.05)")
