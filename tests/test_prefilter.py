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


CONTACT_TEXTS = [
    # (text, the contact kinds whose labels must be found, in order)
    ("Contact: WhatsApp: +00 000 000 6470; Wickr Me: example_x; Hotel: 5; tel: +00 000 111 2222",
     ["whatsapp", "wickr", "phone"]),
    ("微信：wxid_abc；电话：+00 000 000 1111; Wickr ID: abc_d; Telegram : @tg_user; Signal no.: +00 000 111 0001",
     ["wechat", "phone", "wickr", "telegram", "signal"]),
    ("Hotel: Grand; cell: +00 000 000 9999; wa:+00 000 000 8888; tel: +00 000 000 7777", ["phone", "whatsapp", "phone"]),
]


@pytest.mark.parametrize("text, kinds", CONTACT_TEXTS)
def test_contact_labels_same_on_both_engines(text, kinds):
    from detect import contacts

    low = text.lower()
    python = contacts._labelled_python(low)
    assert [k for k, _ in python] == kinds
    if prefilter_module.hyperscan is not None:
        assert contacts._labelled_hyperscan(low) == python
    elif platform.machine() == "x86_64" and sys.platform == "linux":
        pytest.fail("hyperscan is a dependency on this platform but is not installed")


def test_contacts_same_on_both_engines(monkeypatch):
    import json
    from pathlib import Path

    from detect import contacts

    corpus = Path(__file__).parent / "data" / "corpus" / "listings.jsonl"
    texts = [f"{x['title']}\n{x['text']}" for x in map(json.loads, corpus.read_text(encoding="utf-8").splitlines())]
    fast = [[(c.kind, c.value) for c in contacts.extract_contacts(t)] for t in texts]
    monkeypatch.setattr(contacts, "hyperscan", None)
    slow = [[(c.kind, c.value) for c in contacts.extract_contacts(t)] for t in texts]
    assert fast == slow
    assert sum(map(len, slow)) > len(texts)  # most listings carry at least one contact
