"""A letter whose lowercase is longer than itself must not move what the detector reads (hostile input).

"İ" (U+0130, Turkish dotted capital I) lowers to two characters. The rules that find a position in the lowered
listing and read the original at it (the contacts' labels, the CAS cues, the words around a hit that say it is
refused, denied or asked about, the analog-name guard) used to read the wrong place after one, or switched off:
one "İ" in a listing hid a cut-short CAS number and the labels of its contacts. Listings are advertisement
text only; contacts are fake.
"""

import random
import sys

import pytest

from detect.engine import default_detector
from detect.normalize import lowered_aligned

# Turkish place names, as a seller's address or a platform's location field writes them: 20 capitals "İ"
PREFIX = ("İSTANBUL - İZMİR - DİYARBAKIR - GİRESUN - İNEGÖL - SİVRİHİSAR - BİLECİK - KİLİS - ERZİNCAN - TEKİRDAĞ - "
          "BİTLİS - SİİRT - VAN - RİZE office. ")


def test_dotted_capital_i_is_the_only_character_whose_lowercase_is_longer():
    """lowered_aligned's premise, on this Python's Unicode tables: a new version that adds such a letter fails here."""
    assert [cp for cp in range(sys.maxunicode + 1) if len(chr(cp).lower()) != 1] == [0x130]


def test_lowered_aligned_is_lower_one_character_for_one():
    rng = random.Random(5)
    pieces = ["İ", "i", "I", "Σ", "ΑΣ", "ς", "ẞ", "ß", "\u212a", "ﬁ", "≥", "中", "A", "z", " ", "\u0307", "CAS", "\ud800"]
    texts = ["İstanbul", "PRİCE: 5", "İİ", "", "plain ascii"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for text in texts:
        low = lowered_aligned(text)
        assert len(low) == len(text), repr(text)
        if "İ" not in text:
            assert low == text.lower(), repr(text)  # the very same lowering where no character grows
        else:
            assert low == text.replace("İ", "I").lower(), repr(text)
            assert all(low[i] == "i" for i, c in enumerate(text) if c == "İ")


@pytest.fixture(scope="module")
def detector():
    return default_detector()  # the worker's shared detector: built once, not per file


CASES = [
    ("a CAS number cut short after a CAS cue", {"title": "CAS 21409-26 powder", "text": "99% purity, 1kg, price 100 USD."}),
    ("a CAS number without hyphens", {"title": "CAS 437387 powder", "text": "99% purity, 1kg, price 100 USD"}),
    ("labelled contacts", {"title": "Fentanyl powder",
                           "text": "99% purity. WhatsApp: +00 000 0000, Telegram: @example_shop"}),
    ("a name with a word that changes the compound",
     {"title": "Reagents", "text": "4-methoxy Fu-F analog powder, 99% purity, price 100 USD"}),
    ("a refusal", {"title": "Lab notice", "text": "We do not sell fentanyl or carfentanil. Ask for other reagents."}),
    ("a platform rule", {"title": "Notice",
                         "text": "Listings of fentanyl are forbidden on this platform and will be removed."}),
    ("a question", {"title": "Question", "text": "Is fentanyl legal in my country?"}),
]


def _reading(result):
    r = result.to_json()
    return (r["flagged"], r["score"], [(h["substance"], h["method"], h["matched"]) for h in r["hits"]],
            [(c["kind"], c["value"]) for c in r["contacts"]])


@pytest.mark.parametrize("what, listing", CASES, ids=[c[0] for c in CASES])
def test_a_dotted_capital_i_before_the_evidence_changes_nothing(detector, what, listing):
    plain = _reading(detector.scan({"id": "p", **listing}))
    turkish = _reading(detector.scan({"id": "t", **listing, "text": PREFIX + listing["text"]}))
    assert plain[2] or plain[3]  # the case has evidence to lose
    assert turkish == plain
