"""The prefilter finds the same names and CAS numbers with Hyperscan and with its pyahocorasick fallback."""

import platform
import sys

import pytest

import detect.prefilter as prefilter_module
from detect.prefilter import Prefilter

KEYS = ["fentanyl", "4-anpp", "芬太尼", "fent"]
SHORT = ["npp"]
CAS = ["437-38-7", "21409-26-7"]
TEXTS = [
    # (text, expected name spans, expected CAS spans)
    ("buy fentanyl now", [(4, 8), (4, 12)], []),
    ("供应芬太尼粉末 4-anpp", [(2, 5), (8, 14)], []),
    ("npp and snpp and npps", [(0, 3)], []),
    ("cas 437-38-7 or 437 - 38 - 7; not 1437-38-7 or 437-38-77", [], [(4, 12), (16, 28)]),
]


@pytest.fixture(params=["hyperscan", "fallback"])
def pf(request, monkeypatch):
    if request.param == "fallback":
        monkeypatch.setattr(prefilter_module, "hyperscan", None)
    elif prefilter_module.hyperscan is None and platform.machine() == "x86_64" and sys.platform == "linux":
        pytest.fail("hyperscan is a dependency on this platform but is not installed")
    return Prefilter(KEYS, SHORT, CAS)


@pytest.mark.parametrize("text, names, cas", TEXTS)
def test_same_results_on_both_engines(pf, text, names, cas):
    assert sorted(pf.name_spans(text)) == sorted(names)
    assert [(s, e) for s, e, _ in pf.cas_spans(text)] == cas
    assert all(c == "437-38-7" for _, _, c in pf.cas_spans(text))
