"""Driving wrk: a Lua script per run (headers, body, fresh ids) that reports JSON."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPORT = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f,'
    .. ' "status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
"""

# Each wrk thread walks its own stride of the id list, so no id is posted twice.
FRESH = """
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  sent = 0
end
function request()
  local id = ids[tid + 1 + sent * nthreads] or ids[#ids]
  sent = sent + 1
  return wrk.format(nil, (string.gsub(path, "{id}", tostring(id))))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_installed() -> str:
    """The wrk binary; installs Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package (apt-get)...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)  # noqa: S607 - apt-get from PATH, as an admin would run it
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607 - apt-get from PATH, as an admin would run it
    return shutil.which("wrk") or "wrk"


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string for our ASCII values


def script(
    method: str, path: str, headers: dict[str, str], body: str, ids: list[int], threads: int
) -> str:
    lines = [f"wrk.method = {_lua_string(method)}", f"path = {_lua_string(path)}"]
    lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()]
    if body:
        lines.append(f"wrk.body = {_lua_string(body)}")
    if ids:
        lines.append(f"nthreads = {threads}")
        lines.append("ids = {" + ",".join(map(str, ids)) + "}")
        lines.append(FRESH)
    else:
        lines.append(f"wrk.path = {_lua_string(path)}")
    lines.append(REPORT)
    return "\n".join(lines)


def run(
    binary: str, url: str, lua: str, workdir: Path, seconds: float, connections: int, threads: int
) -> Result:
    """One bounded wrk run (traffic to 127.0.0.1 only); its JSON report as a Result."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the bench only loads servers on 127.0.0.1")
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "run.lua"
    path.write_text(lua)
    command = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    command += ["-s", str(path), url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)  # noqa: S603 - our own wrk command line
    for line in output.stdout.splitlines():
        if line.startswith("BENCH "):
            return Result(**json.loads(line[len("BENCH ") :]))
    raise RuntimeError(f"wrk gave no report: {output.stdout}\n{output.stderr}")
