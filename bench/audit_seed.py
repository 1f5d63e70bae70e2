#!/usr/bin/env python3
"""Lays out, in a local folder, the copies that bench/audit.sh uploads to fill its bucket.

    audit_seed.py SOURCES TREE BUCKET COPIES PLAIN [MP4]

SOURCES holds one folder per real recording (made by `recorder record`): its
manifest.json (as stored) and its segment-0001.mp4.age. For each of COPIES
recordings it writes TREE/{host}/{meeting}/{recording}/manifest.json: the
source's manifest with its recordingId, hostId, meetingId and segment locations
rewritten to the new folder (string replacement on the recorder's own bytes,
nothing else changed), and the source's segment beside it (a hard link: the
same ciphertext, so its size and SHA-256 are still the manifest's). The
manifests are signed afterwards with `ssh-keygen -Y sign` (bench/audit.sh).
Recordings are spread over 20 hosts, 2 or 3 recordings per meeting.

It also writes PLAIN small objects that are not recordings: attendance exports
(CSV text) under exports/, and, when MP4 is given, two unencrypted MP4 files
under uploads/ (what the audit exists to catch). Prints what it wrote as JSON.
"""
import hashlib
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone


def main():
    sources_dir, tree, bucket, copies, plain = sys.argv[1:6]
    mp4 = sys.argv[6] if len(sys.argv) > 6 else None
    copies, plain = int(copies), int(plain)
    sources = []
    for name in sorted(os.listdir(sources_dir)):
        folder = os.path.join(sources_dir, name)
        text = open(os.path.join(folder, "manifest.json"), encoding="utf-8").read()
        manifest = json.loads(text)
        assert len(manifest["segments"]) == 1, "sources are one-segment recordings"
        location = manifest["segments"][0]["location"]
        sources.append({
            "text": text,
            "folder_uri": location[: location.rindex("/") + 1],
            "segment": os.path.join(folder, "segment-0001.mp4.age"),
            "segment_name": location[location.rindex("/") + 1:],
        })
    if not sources:
        sys.exit("audit_seed.py: no source recordings")

    hosts = ["host-" + hashlib.sha256(f"bench-host-{h}".encode()).hexdigest()[:12] for h in range(20)]
    start = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
    segment_bytes = 0
    for i in range(copies):
        src = sources[i % len(sources)]
        host = hosts[i % len(hosts)]
        meeting = f"room-{(i // len(hosts)) // 2 + 1:05d}"   # a host's consecutive recordings share a meeting, 2 at a time
        when = start + timedelta(minutes=7 * i)
        rec = f"rec-{when:%Y%m%dT%H%M%SZ}-{hashlib.sha256(f'bench-rec-{i}'.encode()).hexdigest()[:8]}"
        folder = os.path.join(tree, host, meeting, rec)
        os.makedirs(folder)
        text = src["text"].replace(src["folder_uri"], f"s3://{bucket}/{host}/{meeting}/{rec}/")
        text = re.sub(r'"recordingId": "[^"]*"', f'"recordingId": "{rec}"', text, count=1)
        text = re.sub(r'"hostId": "[^"]*"', f'"hostId": "{host}"', text, count=1)
        text = re.sub(r'"meetingId": "[^"]*"', f'"meetingId": "{meeting}"', text, count=1)
        with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.link(src["segment"], os.path.join(folder, src["segment_name"]))
        segment_bytes += os.path.getsize(src["segment"])

    plain_bytes = 0
    mp4_count = 2 if mp4 and plain >= 2 else 0
    os.makedirs(os.path.join(tree, "exports"), exist_ok=True)
    for j in range(plain - mp4_count):
        rows = ["meeting,participant,joined,left"] + [
            f"room-{j + 1:05d},participant-{k + 1},2026-11-{j % 28 + 1:02d}T09:{k:02d}:00Z,2026-11-{j % 28 + 1:02d}T09:{k + 30:02d}:00Z"
            for k in range(2 + j % 8)]
        data = ("\n".join(rows) + "\n").encode()
        with open(os.path.join(tree, "exports", f"attendance-{j + 1:04d}.csv"), "wb") as f:
            f.write(data)
        plain_bytes += len(data)
    if mp4_count:
        os.makedirs(os.path.join(tree, "uploads"), exist_ok=True)
        for j in range(mp4_count):
            os.link(mp4, os.path.join(tree, "uploads", f"recording-{j + 1}.mp4"))
            plain_bytes += os.path.getsize(mp4)

    json.dump({"copies": copies, "segment_bytes": segment_bytes, "plain": plain, "plain_mp4": mp4_count,
               "plain_bytes": plain_bytes, "sources": len(sources)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
