"""Creates a VideoRoom and one remote publisher in a Janus; prints the publisher's RTP port.

Usage: janus_room.py JANUS_HTTP_URL ROOM WORKDIR   (writes WORKDIR/clip.webm, a 4 s VP8/Opus clip to replay)
"""
import json
import subprocess
import sys
import urllib.request
import uuid

url, room, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def post(path, payload):
    payload["transaction"] = uuid.uuid4().hex
    req = urllib.request.Request(url + path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=10).read())


def message(body):
    session = post("", {"janus": "create"})["data"]["id"]
    handle = post(f"/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"})["data"]["id"]
    answer = post(f"/{session}/{handle}", {"janus": "message", "body": body})
    post(f"/{session}", {"janus": "destroy"})
    data = answer["plugindata"]["data"]
    if "error_code" in data:
        sys.exit(f"Janus refused: {data['error']}")
    return data


subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000",
                "-f", "lavfi", "-i", "color=c=0xDC2828:s=320x240:r=15", "-t", "4",
                "-map", "0:a", "-c:a", "libopus", "-b:a", "48k", "-ac", "2", "-ar", "48000",
                "-map", "1:v", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "250k", "-g", "15",
                "-auto-alt-ref", "0", "-f", "webm", f"{work}/clip.webm"], check=True)
message({"request": "create", "room": room, "publishers": 16, "fir_freq": 2})
answer = message({"request": "add_remote_publisher", "room": room, "display": "Alice", "iface": "127.0.0.1",
                  "streams": [{"type": "audio", "mid": "0", "mindex": 0, "codec": "opus"},
                              {"type": "video", "mid": "1", "mindex": 1, "codec": "vp8"}]})
print(answer["port"])
