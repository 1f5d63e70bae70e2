"""Measures a pool of recorder workers on one PostgreSQL (bench/pool.sh starts what it needs).

Prints a Markdown summary; raw measurements go to OUT/raw.jsonl.
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from datetime import datetime

HZ = os.sysconf("SC_CLK_TCK")
p = argparse.ArgumentParser()
for name in ("recorder", "work", "out", "identity", "postgres"):
    p.add_argument(f"--{name}", required=True)
for name in ("kills", "kills-high", "max-workers"):
    p.add_argument(f"--{name}", type=int, required=True)
a = p.parse_args()
raw = open(os.path.join(a.out, "raw.jsonl"), "w")
operator = os.environ["RECORDER_OPERATOR_TOKEN"]
pg = dict(kv.split("=", 1) for kv in a.postgres.strip("'").split(";") if kv)
DB = "pool_bench"
workers = []  # (pid, url, process)


def log(kind, **values):
    raw.write(json.dumps({"kind": kind, **values}) + "\n")
    raw.flush()


def when(text):
    return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text)).timestamp()


def psql(sql, db="recorder"):
    env = dict(os.environ, PGPASSWORD=pg["Password"])
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-h", pg["Host"], "-p", pg["Port"], "-U", pg["Username"], "-d", db, "-c", sql],
                          env=env, check=True, capture_output=True, text=True).stdout.strip()


def api(url, path, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=30).read())


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_worker():
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    state = os.path.join(a.work, f"state-{len(workers)}-{port}")
    conn = ";".join(f"{k}={v}" for k, v in dict(pg, Database=DB).items())
    proc = subprocess.Popen([a.recorder, "serve", "--urls", url, "--bucket", "bench", "--state-dir", state, "--postgres", conn, "--capacity", "2"],
                            stdout=open(os.path.join(a.out, f"worker-{port}.log"), "w"), stderr=subprocess.STDOUT)
    with open(os.path.join(a.work, "workers.pids"), "a") as f:
        f.write(f"{proc.pid}\n")
    for _ in range(300):
        try:
            if urllib.request.urlopen(url + "/healthz", timeout=5).status == 200:
                workers.append((proc.pid, url, proc))
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("a worker did not come up")


def live_url():
    return next(url for pid, url, proc in workers if proc.poll() is None)


def children_of(recording_id):
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if recording_id.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                ppid = int(re.search(r"PPid:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))
                pids.append((int(pid), ppid))
        except OSError:
            pass
    return pids


def rss_kib(pid):
    return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_state(recording_id, token, states, timeout):
    until = time.time() + timeout
    while time.time() < until:
        r = api(live_url(), f"/recordings/{recording_id}", token)
        if r["state"] in states:
            return r
        time.sleep(0.2)
    raise SystemExit(f"recording {recording_id} did not reach {states}")


def s3_get(uri, path):
    subprocess.run(["aws", "--endpoint-url", os.environ["AWS_ENDPOINT_URL_S3"], "s3", "cp", uri, path], check=True, capture_output=True)


def probe_seconds(path):
    # Frames that decode, not the container's duration: a file cut inside a fragment keeps that fragment's sample
    # table, which counts frames whose data is gone.
    # ffprobe may exit non-zero at the cut (a partial packet) after counting every frame before it.
    out = json.loads(subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                                     "-show_entries", "stream=nb_read_frames,r_frame_rate", "-of", "json", path],
                                    capture_output=True, text=True).stdout)["streams"][0]
    num, den = out["r_frame_rate"].split("/")
    return int(out["nb_read_frames"]) / (int(num) / int(den))


def kill_run(token, meeting, max_duration, label):
    rid = api(live_url(), "/recordings", token, {"meeting": meeting, "maxDuration": max_duration})["recordingId"]
    wait_state(rid, token, ("recording",), 90)
    time.sleep(8 + random.random() * 4)
    procs = children_of(rid)
    victim = procs[0][1]
    killed_at = time.time()
    os.kill(victim, signal.SIGKILL)
    for pid, _ in procs:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for entry in list(workers):
        if entry[0] == victim:
            entry[2].wait()
            workers.remove(entry)
    start_worker()  # the pool gets its worker back, as an orchestrator would
    r = wait_state(rid, token, ("completed", "failed"), 180)
    if r["state"] != "completed":
        raise SystemExit(f"{rid} failed: {r['error']}")
    manifest_path = os.path.join(a.work, f"{rid}.json")
    s3_get(r["manifest"], manifest_path)
    manifest = json.load(open(manifest_path))
    first, second = manifest["segments"][0], manifest["segments"][1]
    seg = os.path.join(a.work, f"{rid}-1.age")
    s3_get(first["location"], seg)
    mp4 = seg + ".mp4"
    dec = subprocess.run([a.recorder, "decrypt", "-i", a.identity, "-o", mp4, seg], capture_output=True, text=True)
    if dec.returncode not in (0, 4):
        raise SystemExit(f"decrypt failed: {dec.stderr}")
    try:
        playable = probe_seconds(mp4)
    except (KeyError, IndexError, ValueError) as error:
        # Keep the evidence: a truncated segment with nothing that plays is a loss to explain, not to hide.
        subprocess.run(["cp", seg, mp4, manifest_path, a.out])
        raise SystemExit(f"{rid}: segment 1 does not probe ({error!r}); its ciphertext, plaintext and manifest are in {a.out}")
    values = dict(
        label=label, recording=rid, truncated=first["truncated"], decrypt_exit=dec.returncode,
        failover_s=round(when(second["startedAt"]) - killed_at, 2),
        lost_s=round(killed_at - when(manifest["firstFrameAt"]) - playable, 2),
        gap_s=round(second["mediaStartSeconds"] - (first["mediaStartSeconds"] + playable), 2),
        manifest_gap_s=second.get("gapBeforeSeconds"),
        mbit_s=round(first["bytes"] * 8 / playable / 1e6, 2) if playable > 0 else None,
    )
    log("kill", **values)
    return values


def idle_load(count):
    while len(workers) < count:
        start_worker()
    time.sleep(10)
    pids = [pid for pid, _, proc in workers if proc.poll() is None]
    xact = f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{DB}'"
    before, ticks = int(psql(xact)), {pid: cpu_ticks(pid) for pid in pids}
    time.sleep(60)
    after = int(psql(xact))
    connections = int(psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DB}'"))
    cpu = statistics.mean((cpu_ticks(pid) - ticks[pid]) / HZ / 60 * 100 for pid in pids)
    values = dict(workers=len(pids), transactions_per_min=after - before, per_worker=round((after - before) / len(pids)),
                  connections=connections, connections_per_worker=round(connections / len(pids), 1),
                  cpu_percent_per_worker=round(cpu, 2), rss_mib_per_worker=round(statistics.mean(rss_kib(pid) for pid in pids) / 1024))
    log("idle", **values)
    return values


psql(f'DROP DATABASE IF EXISTS "{DB}"')
psql(f'CREATE DATABASE "{DB}"')
recipient = subprocess.run(["age-keygen", "-y", a.identity], check=True, capture_output=True, text=True).stdout.strip()
start_worker()
token = api(live_url(), "/hosts", operator, {"name": "Bench", "recipients": [recipient]})["token"]

idle = [idle_load(n) for n in (1, 3, a.max_workers)] if os.environ.get("BENCH_IDLE", "1") != "0" else []
while len(workers) > 2:
    pid, url, proc = workers.pop()
    proc.send_signal(signal.SIGTERM)
    proc.wait()

low = [kill_run(token, "synthetic://?participants=2&seconds=600", "40s", "synthetic") for _ in range(a.kills)]
high = [kill_run(token, "synthetic://?participants=1&seconds=600&grain=4", "40s", "synthetic-grain") for _ in range(a.kills_high)]


def row(name, runs):
    f = [r["failover_s"] for r in runs]
    g = [r["gap_s"] for r in runs]
    lost = [r["lost_s"] for r in runs]
    rate = statistics.median(r["mbit_s"] for r in runs if r["mbit_s"])
    return (f"| {name} | {len(runs)} | {rate:.2f} | {statistics.median(f):.2f} / {max(f):.2f} | {statistics.median(g):.2f} / {max(g):.2f} "
            f"| {statistics.median(lost):.2f} / {max(lost):.2f} |")


print("## Failover (SIGKILL of the worker and its recording process, 2 workers, lease 8 s)\n")
print("| meeting | kills | Mbit/s stored | kill → new segment (s), median / worst | media gap (s), median / worst | media lost at the kill (s), median / worst |")
print("|---|---|---|---|---|---|")
if low:
    print(row("synthetic (real time)", low))
if high:
    print(row("synthetic with film grain (grain=4)", high))
print("\n## Job storage and workers at rest\n")
print("| idle workers | PostgreSQL transactions/min | per worker | connections | per worker | CPU % per worker | RSS MiB per worker |")
print("|---|---|---|---|---|---|---|")
for i in idle:
    print(f"| {i['workers']} | {i['transactions_per_min']} | {i['per_worker']} | {i['connections']} | {i['connections_per_worker']} "
          f"| {i['cpu_percent_per_worker']} | {i['rss_mib_per_worker']} |")
