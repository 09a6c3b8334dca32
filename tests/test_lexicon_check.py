"""The lexicon validator, on a good entry and on each kind of broken entry (a table of mutations)."""

import copy
import shutil

import pytest
import yaml
from click.testing import CliRunner

from detect.opsin import Opsin
from fentwatch.cli import main
from lexicon import LEXICON_DIR, cas_is_valid, load_lexicon
from lexicon.validate import check_lexicon

GOOD = {
    "id": "fentanyl",
    "name": "Fentanyl",
    "category": "fentanyl-like",
    "medical": True,
    "smiles": "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "inchikey": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",
    "forms": [{"form": "base", "cas": "437-38-7", "source": "S1"}],
    "names": {"common": ["Fentanyl"], "zh": ["芬太尼"], "misspellings": ["fentanil"]},
    "control": [{"jurisdiction": "US", "instrument": "Schedule II", "source": "S1"}],
    "sources": {"S1": {"title": "test source", "url": "https://example.org/", "checked": ["cas"]}},
}
OTHER = {
    "id": "acetylfentanyl",
    "name": "Acetylfentanyl",
    "category": "fentanyl-like",
    "smiles": "CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "inchikey": "FYIUUQUPOKIKNI-UHFFFAOYSA-N",
    "forms": [{"form": "base", "cas": "3258-84-2", "source": "S1"}],
    "names": {"common": ["Acetylfentanyl"]},
    "sources": {"S1": {"title": "test source"}},
}


def write_lexicon(tmp_path, entries, lookalikes=None):
    (tmp_path / "substances").mkdir()
    for e in entries:
        (tmp_path / "substances" / f"{e['id']}.yaml").write_text(yaml.safe_dump(e, allow_unicode=True), "utf-8")
    if lookalikes is not None:
        (tmp_path / "lookalikes.yaml").write_text(yaml.safe_dump({"lookalikes": lookalikes}), "utf-8")
    return tmp_path


def mutated(**changes):
    e = copy.deepcopy(GOOD)
    for key, value in changes.items():
        e[key] = value
    return e


def test_good_lexicon_passes(tmp_path):
    write_lexicon(tmp_path, [GOOD, OTHER])
    substances, problems = check_lexicon(tmp_path, opsin=Opsin)
    assert problems == []
    assert {s.id for s in substances} == {"fentanyl", "acetylfentanyl"}


BROKEN = [
    # (changes to the good entry, words the message must contain)
    ({"smiles": "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1)"}, "SMILES does not parse"),
    ({"inchikey": "FYIUUQUPOKIKNI-UHFFFAOYSA-N"}, "differs from the one computed"),
    ({"forms": [{"form": "base", "cas": "437-38-8", "source": "S1"}]}, "437-38-8"),  # wrong check digit
    ({"forms": [{"form": "base", "cas": "43738-7", "source": "S1"}]}, "check digit"),  # malformed
    ({"sources": {}}, "no sources"),
    ({"forms": [{"form": "base", "cas": "437-38-7", "source": "S9"}]}, "'S9'"),
    ({"control": [{"jurisdiction": "CN", "instrument": "x", "source": "S7"}]}, "'S7'"),
    ({"category": "opioid"}, "category must be one of"),
    ({"medical": False}, "'medical'"),
    ({"smiles": "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.Cl"}, "several fragments"),
    ({"ambiguous": [{"name": "4-AP", "note": "x"}]}, "not one of the substance's names"),
]


@pytest.mark.parametrize("changes, message", BROKEN, ids=[m for _, m in BROKEN])
def test_broken_entry_is_named(tmp_path, changes, message):
    write_lexicon(tmp_path, [mutated(**changes), OTHER])
    _, problems = check_lexicon(tmp_path, opsin=Opsin)
    assert problems, "the broken entry passed"
    assert any(message in p.message and "fentanyl.yaml" in p.entry for p in problems), problems


def test_shared_synonym_needs_ambiguous_mark(tmp_path):
    other = copy.deepcopy(OTHER)
    other["names"]["common"].append("fentanil")
    write_lexicon(tmp_path, [GOOD, other])
    _, problems = check_lexicon(tmp_path, opsin=Opsin)
    assert any("'fentanil' belongs to several substances" in p.message for p in problems)
    # marked ambiguous in both: allowed
    good = mutated(ambiguous=[{"name": "fentanil", "note": "test"}])
    other["ambiguous"] = [{"name": "fentanil", "note": "test"}]
    shutil.rmtree(tmp_path / "substances")
    write_lexicon(tmp_path, [good, other])
    assert check_lexicon(tmp_path, opsin=Opsin)[1] == []


def test_duplicate_cas_across_substances(tmp_path):
    other = copy.deepcopy(OTHER)
    other["forms"].append({"form": "citrate", "cas": "437-38-7", "source": "S1"})
    write_lexicon(tmp_path, [GOOD, other])
    assert any("437-38-7 is also recorded" in p.message for p in check_lexicon(tmp_path, opsin=Opsin)[1])


def test_unreadable_yaml_is_named(tmp_path):
    write_lexicon(tmp_path, [GOOD])
    (tmp_path / "substances" / "bad.yaml").write_text("id: bad\nname: [unclosed\n", "utf-8")
    _, problems = check_lexicon(tmp_path, opsin=Opsin)
    assert [p.entry for p in problems] == ["bad.yaml"]
    assert "not valid YAML" in problems[0].message


def test_id_must_match_file_name(tmp_path):
    write_lexicon(tmp_path, [GOOD])
    (tmp_path / "substances" / "fentanyl.yaml").rename(tmp_path / "substances" / "fent.yaml")
    _, problems = check_lexicon(tmp_path, opsin=Opsin)
    assert "does not match the file name" in problems[0].message


def test_lookalike_clashing_with_controlled_cas(tmp_path):
    look = [{"name": "Fenthion", "cas": ["437-38-7"], "why": "test"}]
    write_lexicon(tmp_path, [GOOD], lookalikes=look)
    assert any("belongs to controlled substance fentanyl" in p.message
               for p in check_lexicon(tmp_path, opsin=Opsin)[1])


def test_cli_check_exit_codes(tmp_path):
    runner = CliRunner()
    (tmp_path / "good").mkdir()
    good = write_lexicon(tmp_path / "good", [GOOD, OTHER])
    result = runner.invoke(main, ["lexicon", "check", "--dir", str(good)])
    assert result.exit_code == 0, result.output
    assert "lexicon OK: 2 substances" in result.output
    bad = tmp_path / "bad"
    bad.mkdir()
    write_lexicon(bad, [mutated(inchikey="AAAAAAAAAAAAAA-UHFFFAOYSA-N")])
    result = runner.invoke(main, ["lexicon", "check", "--dir", str(bad)])
    assert result.exit_code == 1
    assert "fentanyl.yaml (fentanyl)" in result.output and "differs from the one computed" in result.output


@pytest.mark.parametrize("cas, ok", [
    ("437-38-7", True),       # fentanyl
    ("50-00-0", True),        # formaldehyde
    ("7732-18-5", True),      # water
    ("437-38-8", False),      # check digit off by one
    ("125541-92-2", False),   # one digit off 125541-22-2
    ("437387", False),        # no hyphens: not the registry format
])
def test_cas_check_digit(cas, ok):
    assert cas_is_valid(cas) is ok


class _Borrowed:
    """One check's use of the module's OPSIN: its own warnings; close() leaves the JVM to the module's end."""

    def __init__(self, real: Opsin):
        self.real, self.warnings = real, []

    def convert(self, names):
        before = len(self.real.warnings)
        out = self.real.convert(names)
        self.warnings = self.real.warnings[before:]
        return out

    def close(self):
        pass


@pytest.fixture(scope="module")
def one_opsin():
    """The maker check_lexicon takes (``opsin=``), handing out one real OPSIN (one JVM) to the module's checks with
    systematic names, instead of a JVM started per check."""
    real = Opsin()
    yield lambda: _Borrowed(real)
    real.close()


def test_shipped_lexicon_passes_and_loads(one_opsin):
    substances, problems = check_lexicon(LEXICON_DIR, opsin=one_opsin)
    assert problems == [], "\n".join(map(str, problems))
    lex = load_lexicon()
    assert len(lex) == len(substances) >= 19
    assert lex.by_inchikey["PJMPHNIQZUBGLI-UHFFFAOYSA-N"].id == "fentanyl"
    assert {"fentanyl", "sufentanil", "remifentanil"} <= {s.id for s in lex.substances if s.medical}


def test_systematic_name_of_another_compound_is_caught_by_opsin(tmp_path, one_opsin):
    # acetylfentanyl's systematic name recorded under fentanyl: OPSIN reads it as a different structure
    wrong = mutated(names={"common": ["Fentanyl"],
                           "systematic": ["N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]acetamide"]})
    write_lexicon(tmp_path, [wrong, OTHER])
    _, problems = check_lexicon(tmp_path, opsin=one_opsin)
    assert any("according to OPSIN, another compound" in p.message and p.entry.startswith("fentanyl.yaml")
               for p in problems), problems
    right = mutated(names={"common": ["Fentanyl"],
                           "systematic": ["N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"]})
    shutil.rmtree(tmp_path / "substances")
    write_lexicon(tmp_path, [right, OTHER])
    assert check_lexicon(tmp_path, opsin=one_opsin)[1] == []
