"""The order the pytest-xdist workers take the test files in (tests/conftest.py): longest first by
tests/data/file_seconds.json, files it does not know yet first of all, the tests of a file in their order."""

from conftest import in_file_order


def test_files_longest_first_unknown_ones_before_them_and_tests_kept_in_order():
    items = ["a.py::1", "b.py::1", "a.py::2", "new.py::1", "c.py::1", "b.py::2", "newer.py::1"]
    seconds = {"a.py": 1.0, "b.py": 30.0, "c.py": 5.0}
    assert in_file_order(items, seconds, lambda i: i.split("::")[0]) == [
        "new.py::1", "newer.py::1", "b.py::1", "b.py::2", "c.py::1", "a.py::1", "a.py::2"]
