"""An anonymous chunked upload against the real review server (`fentwatch review` on 127.0.0.1): how much of it
the server takes, its answer, and its peak memory (VmHWM) before and after.

    python bench/web_upload.py [MiB]     # default 200 x 1 MiB chunks, form-encoded, to POST /login

Run it with PYTHONPATH pointing at the code to measure (issue 16: the server grew by gigabytes before the
request limits).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


def main(mib: int = 200) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-c", f"from store.db import open_store; open_store('{tmp}/store.db')"],
                       check=True)
        proc = subprocess.Popen([sys.executable, "-m", "fentwatch", "review", "--db", f"{tmp}/store.db", "--port",
                                 str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                if proc.poll() is not None:
                    raise SystemExit("fentwatch review did not start")
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            before = vm_hwm(proc.pid)
            chunk, sent, answer = b"user=a&password=" + b"x" * (1 << 20), 0, b""
            t = time.monotonic()
            with socket.create_connection(("127.0.0.1", port), timeout=120) as c:
                c.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                          b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
                try:
                    for _ in range(mib):
                        c.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        sent += len(chunk)
                    c.sendall(b"0\r\n\r\n")
                except OSError:
                    pass
                try:
                    answer = c.recv(200)
                except OSError:
                    pass
            took = time.monotonic() - t
            time.sleep(0.5)
            status = answer.split(b"\r\n")[0].decode(errors="replace") or "(connection closed)"
            print(f"sent {sent / (1 << 20):.0f} of {mib} MiB in {took:.1f} s; answer: {status}; "
                  f"server peak memory {before} MB before, {vm_hwm(proc.pid)} MB after")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
