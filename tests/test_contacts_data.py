"""The contact labels are data (detect/data/contacts.yaml) with their sources, read through importlib.resources:
every app name has a source (or says that none was found), names are unique and lowercase, and each kind's names
are read by the real contact extractor, with and without Hyperscan."""

import pytest
import yaml

from detect import contacts, prefilter

DATA = yaml.safe_load(contacts.CONTACTS_FILE.read_text(encoding="utf-8"))["kinds"]


def test_every_app_name_has_a_source_or_says_it_has_none():
    for kind, entry in DATA.items():
        if kind == "phone":  # ordinary words
            continue
        sourced = [n for s in entry["sources"] for n in s["names"]]
        assert sorted(sourced) == sorted(entry["names"]), kind  # each name once, in one source line
        for s in entry["sources"]:
            assert s.get("url", "").startswith("https://") or s["title"].startswith("no published source"), s


def test_labels_are_lowercase_unique_and_longest_first():
    names = [n for entry in DATA.values() for n in entry["names"]]
    assert len(names) == len(set(names)) == len(contacts.LABELS)
    assert all(n == n.lower() for n in names)
    lengths = [len(k) for k in contacts.LABELS]
    assert lengths == sorted(lengths, reverse=True)  # "wickr me" is tried before "wickr"


@pytest.fixture(params=["hyperscan", "fallback"])
def engine(request, monkeypatch):
    if request.param == "fallback":
        monkeypatch.setattr(contacts, "hyperscan", None)
    elif prefilter.hyperscan is None:
        pytest.fail("hyperscan is not installed")
    return request.param


@pytest.mark.parametrize("kind", sorted(DATA))
def test_every_label_of_the_data_file_is_read(engine, kind):
    for name in DATA[kind]["names"]:
        found = contacts.extract_contacts(f"Offer 99%. {name.title()}: +00 000 555 1234 (fast reply)")
        assert [(c.kind, c.value) for c in found] == [(kind, "000005551234")], name


def test_a_broken_data_file_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "contacts.yaml"
    bad.write_text("kinds:\n  whatsapp: {names: [wa]}\n  phone: {names: [WA]}\n", encoding="utf-8")
    monkeypatch.setattr(contacts, "CONTACTS_FILE", bad)
    with pytest.raises(ValueError, match="'WA' of phone is not lowercase"):
        contacts.load_labels()
