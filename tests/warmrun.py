"""``fentwatch COMMAND`` as a real process of its own, forked from a warm one: ``WARM_FENTWATCH`` replaces
``[sys.executable, "-m", "fentwatch"]`` in tests whose subject is what the command does (a crawl, a scan), not how a
Python process starts.

A fresh ``python -m fentwatch crawl`` spends about 3 s of CPU before its first request (importing Scrapy, spaCy and
RDKit, building the detector, booting OPSIN's JVM), 60 % of a small test crawl. Here one process per pytest worker
(the *zygote*) imports all that once and builds the default detector; each command is a fork of it that runs the
real command line (``fentwatch/__main__.py``) in its own process, with the caller's arguments, working folder,
environment, standard input, output and error. Only the start-up differs: OPSIN's JVM starts when a name first
needs it instead of at start-up (``Detector(prewarm=False)``), which changes no result.

What the caller starts is a small stdlib-only client (``python -S``): it hands its three standard streams to the
zygote, forwards the signals it gets (SIGINT, SIGTERM, ...) to the command, and exits the way the command exited
(its exit status, or killed by the same signal). If the client is killed itself, the command is killed too. Without
a zygote (the variable ``FENTWATCH_TEST_ZYGOTE`` unset, or the zygote cannot start) the client becomes a plain
``python -m fentwatch``.

Tests about the process itself keep ``python -m fentwatch``: a fresh start, a server whose listening socket is
checked by pid (``ports.serve_on_free_port``), runs with another ``PYTHONPATH``. A test that kills the command with
SIGKILL (which cannot be forwarded) starts it with ``warm_with_pid`` and kills the pid ``command_pid`` reads.
"""

import json
import os
import signal
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WARM_FENTWATCH = [sys.executable, "-S", os.path.join(HERE, "warmrun.py"), "run"]
ENV_SOCKET = "FENTWATCH_TEST_ZYGOTE"  # the zygote's Unix socket (set by conftest.py, one per pytest worker)
ENV_OWNER = "FENTWATCH_TEST_ZYGOTE_OWNER"  # the pytest worker's pid: the zygote ends when that process is gone
_KEPT: list = []
_PRELOAD_ENV: dict = {}
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def warm_with_pid(pid_file) -> list[str]:
    """``WARM_FENTWATCH`` that also writes the command's own pid to ``pid_file`` (see ``command_pid``), for a test
    that kills the command itself, e.g. with SIGKILL: a signal sent to the client is forwarded, but SIGKILL cannot
    be, and a killed client only makes the zygote kill the command a moment later."""
    return [sys.executable, "-S", os.path.join(HERE, "warmrun.py"), "run-pid", str(pid_file)]


def command_pid(pid_file, client, timeout: float = 300) -> int:
    """The pid of the command started with ``warm_with_pid(pid_file)`` (``client`` is its Popen): the forked command
    process, or the client itself when it became a plain ``python -m fentwatch``. Killing it kills the real command;
    the client then exits the way the command did."""
    deadline = time.monotonic() + timeout
    while not os.path.exists(pid_file):  # written by the client as soon as the command is forked
        if client.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"no command pid in {pid_file} (client status {client.returncode})")
        time.sleep(0.01)
    with open(pid_file) as f:
        return int(f.read())


def _write_pid(pid_file: str | None, pid: int) -> None:
    if pid_file:
        with open(pid_file + ".tmp", "w") as f:
            f.write(str(pid))
        os.rename(pid_file + ".tmp", pid_file)


# -- messages: a 4-byte length, then JSON ---------------------------------------------------------------------------

def _send(sock: socket.socket, obj, fds=()) -> None:
    data = json.dumps(obj).encode()
    data = struct.pack("!I", len(data)) + data
    if fds:
        socket.send_fds(sock, [data[:4]], list(fds))
        sock.sendall(data[4:])
    else:
        sock.sendall(data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out


def _recv(sock: socket.socket, nfds: int = 0):
    if nfds:
        head, fds, _, _ = socket.recv_fds(sock, 4, nfds)
        if len(head) < 4:
            head += _recv_exact(sock, 4 - len(head))
    else:
        head, fds = _recv_exact(sock, 4), []
    (n,) = struct.unpack("!I", head)
    obj = json.loads(_recv_exact(sock, n))
    return (obj, fds) if nfds else obj


# -- the client -----------------------------------------------------------------------------------------------------

def _plain(argv: list[str]) -> None:
    os.execv(sys.executable, [sys.executable, "-m", "fentwatch", *argv])


def warm_launches(monkeypatch, module) -> list:
    """Code under test that starts ``python -m fentwatch ...`` itself (``module.subprocess.Popen``, e.g. the scheduler's
    ``launch``) gets a process forked from the warm one instead: its own command line, files and process, only the
    start-up differs. Returns the list of the command lines so started (a test can assert the patch took effect)."""
    import subprocess

    plain, popen, launched = [sys.executable, "-m", "fentwatch"], subprocess.Popen, []

    def warm_popen(args, *a, **kw):
        if list(args[:len(plain)]) == plain:
            args = WARM_FENTWATCH + list(args[len(plain):])
            launched.append(args)
        return popen(args, *a, **kw)

    monkeypatch.setattr(module.subprocess, "Popen", warm_popen)
    return launched


def start_zygote(path: str):
    """The zygote for ``path``, started by the pytest worker (its child, so the CPU time of every command forked
    from it counts in the worker's children); ``stop_zygote`` ends it."""
    import subprocess

    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "warmrun.py"), "serve", path],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=os.path.dirname(HERE))
    # the socket is bound before the imports: from then on every command goes to it (waiting while it imports)
    while not os.path.exists(path):
        if proc.poll() is not None:
            raise RuntimeError(f"the fentwatch test zygote exited with status {proc.returncode}")
        time.sleep(0.01)
    return proc


def stop_zygote(proc) -> None:
    """SIGTERM: the zygote stops taking commands, waits for those still running, and exits."""
    proc.terminate()
    proc.wait(timeout=600)


def client(argv: list[str], pid_file: str | None = None) -> None:
    path = os.environ.get(ENV_SOCKET)
    if not path or not os.path.exists(path):  # no zygote (yet): a plain process
        _write_pid(pid_file, os.getpid())  # (execv keeps the pid)
        _plain(argv)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        _send(sock, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}, fds=(0, 1, 2))
        pid = _recv(sock)["pid"]
    except (OSError, EOFError):
        sock.close()
        _write_pid(pid_file, os.getpid())
        _plain(argv)
    _write_pid(pid_file, pid)
    for sig in FORWARDED:
        signal.signal(sig, lambda s, _frame: os.kill(pid, s))
    status = _recv(sock)["status"]
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):  # (those two have no handler to reset)
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    sys.exit(os.waitstatus_to_exitcode(status))


# -- the zygote -----------------------------------------------------------------------------------------------------

def _preload() -> None:
    """What a crawl or a scan imports and builds before its first page; nothing that starts a thread, a process
    or Twisted's reactor (each command installs its own)."""
    import fentwatch.cli  # noqa: F401
    import crawler.ops.crawl  # noqa: F401
    import crawler.pipelines  # noqa: F401
    import crawler.spiders  # noqa: F401
    import scrapy.core.downloader.handlers.http11  # noqa: F401
    import scrapy.core.engine  # noqa: F401
    import store.additions  # noqa: F401
    from detect import engine

    engine._default = engine.Detector(prewarm=False)  # what default_detector() builds; the JVM starts on first use
    _preload_components()
    assert "twisted.internet.reactor" not in sys.modules
    _PRELOAD_ENV.update(_settings_env(os.environ))


def _preload_components() -> None:
    """The modules a crawl imports by name when it starts: every class its settings name (middlewares, extensions,
    pipelines, download handlers, the scheduler ...; Scrapy imports even those set to None, to compare their names)
    and the spider modules its spider loader walks. About 220 modules, a third of a second of CPU in each fork, most
    of it aiohttp and Twisted Conch for two extensions fentwatch turns off."""
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object, walk_modules

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    paths = set()
    for name in ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES", "ADDONS"):
        paths |= {p for p in settings.getwithbase(name) if isinstance(p, str)}
    paths |= {p for p in settings.getwithbase("DOWNLOAD_HANDLERS").values() if isinstance(p, str)}  # by scheme
    for name in ("SCHEDULER", "DUPEFILTER_CLASS", "STATS_CLASS", "LOG_FORMATTER", "REQUEST_FINGERPRINTER_CLASS",
                 "SCHEDULER_PRIORITY_QUEUE", "SCHEDULER_MEMORY_QUEUE", "SCHEDULER_DISK_QUEUE", "SPIDER_LOADER_CLASS",
                 "DOWNLOADER", "ITEM_PROCESSOR", "SCHEDULER_START_MEMORY_QUEUE", "SCHEDULER_START_DISK_QUEUE",
                 "ROBOTSTXT_PARSER"):
        if isinstance(settings.get(name), str):
            paths.add(settings.get(name))
    for path in sorted(paths):
        try:
            load_object(path)
        except Exception:  # noqa: BLE001 - an optional handler (s3 without botocore ...): the fork finds out as before
            pass
    import resource  # noqa: F401 - (the memory-usage extension's)

    import scrapy.crawler  # noqa: F401
    import scrapy.utils.project  # noqa: F401

    for module in settings.getlist("SPIDER_MODULES"):
        walk_modules(module)


def _settings_env(env) -> dict:
    """The ``FENTWATCH_*`` variables (settings files, store paths), but the zygote's own."""
    return {k: v for k, v in env.items() if k.startswith("FENTWATCH_") and k not in (ENV_SOCKET, ENV_OWNER)}


def _command(msg: dict, fds: list[int]) -> None:
    """In the forked command process: take over the client's streams, folder and environment; run the command line
    as ``python -m fentwatch`` would; exit with its status. Never returns."""
    import atexit
    import io
    import random
    import runpy
    import traceback

    for i, fd in enumerate(fds):
        os.dup2(fd, i)
        os.close(fd)
    os.chdir(msg["cwd"])
    os.environ.clear()
    os.environ.update(msg["env"])
    if _settings_env(os.environ) != _PRELOAD_ENV:  # another settings file: what was built from the default is not
        from detect import config, engine  # this command's

        engine._default = None
        config.load_settings.cache_clear()
    for sig in FORWARDED + (signal.SIGCHLD,):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a new Python process
    random.seed()  # a new process has its own random state
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    _KEPT.extend((sys.stdin, sys.stdout, sys.stderr))  # the zygote's stream objects, never closed: fds 0-2 are ours
    enc = os.environ.get("PYTHONIOENCODING", "utf-8").split(":")[0] or "utf-8"
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding=enc)
    unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))  # python -u: no buffer under the text layer

    def writer(fd, **kw):
        raw = io.FileIO(fd, "w", closefd=False)
        return io.TextIOWrapper(raw if unbuffered else io.BufferedWriter(raw), encoding=enc,
                                write_through=unbuffered, **kw)

    sys.stdout = sys.__stdout__ = writer(1, line_buffering=os.isatty(1))
    sys.stderr = sys.__stderr__ = writer(2, errors="backslashreplace", line_buffering=True)
    sys.argv = [os.path.join(os.path.dirname(HERE), "fentwatch", "__main__.py"), *msg["argv"]]
    code = 0
    try:
        runpy.run_module("fentwatch", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:  # as Python does: the traceback, then death by SIGINT
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:  # noqa: BLE001 - an uncaught exception: traceback and status 1, as Python does
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a closed pipe: nothing more to say
                pass
        if code < 0:
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        os._exit(code & 0xFF)


def _monitor(conn: socket.socket) -> None:
    """In a forked child of the zygote, for one client: fork the command, tell the client its pid, wait for it (or
    for the client to go away: then kill it), tell the client how it ended."""
    import selectors

    msg, fds = _recv(conn, 3)
    pid = os.fork()
    if pid == 0:
        conn.close()
        _command(msg, fds)
    for fd in fds:
        os.close(fd)
    _send(conn, {"pid": pid})
    pidfd = os.pidfd_open(pid)
    sel = selectors.DefaultSelector()
    sel.register(pidfd, selectors.EVENT_READ)
    sel.register(conn, selectors.EVENT_READ)
    while True:
        ready = {key.fileobj for key, _ in sel.select()}
        if pidfd in ready:
            break
        if conn in ready and not conn.recv(1, socket.MSG_PEEK):  # the client is gone
            os.kill(pid, signal.SIGKILL)
            sel.unregister(conn)
    _, status = os.waitpid(pid, 0)
    try:
        _send(conn, {"status": status})
    except OSError:
        pass


class _Stop(BaseException):
    """SIGTERM: a BaseException, so that no ``except Exception`` on the way (an import in ``_preload``) takes it."""


_stopping = False


def _stop(_sig, _frame):
    global _stopping
    _stopping = True  # read by the accept loop too, should a handler on the way swallow the exception anyway
    raise _Stop


def serve(path: str) -> None:
    owner = int(os.environ.get(ENV_OWNER, os.getppid()))
    signal.signal(signal.SIGTERM, _stop)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    listener.listen(64)
    os.rename(path + ".tmp", path)  # clients connect now and wait in the backlog while the imports run
    monitors = set()
    try:
        _preload()
        listener.settimeout(1)
        while not _stopping:
            for pid in list(monitors):  # reaped here (not by ignoring SIGCHLD: their CPU time must count)
                if os.waitpid(pid, os.WNOHANG)[0]:
                    monitors.discard(pid)
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                try:
                    os.kill(owner, 0)
                except ProcessLookupError:
                    break  # the pytest worker is gone
                continue
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                listener.close()
                conn.settimeout(None)
                try:
                    _monitor(conn)
                finally:
                    os._exit(0)
            monitors.add(pid)
            conn.close()
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        listener.close()
        try:
            os.unlink(path)
        except OSError:
            pass
        for pid in monitors:
            os.waitpid(pid, 0)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        sys.path.insert(0, os.path.dirname(HERE))
        serve(sys.argv[2])
    elif sys.argv[1] == "run-pid":
        client(sys.argv[3:], pid_file=sys.argv[2])
    else:
        client(sys.argv[2:])
