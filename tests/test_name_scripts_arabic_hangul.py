"""Names in Arabic script (Persian, Arabic) and Hangul (session 7, the kinds of miss of the sixth held-out part:
detect/transliterate.py, detect/data/transliteration.yaml). The names here are written for the test (made-up
offers), not copied from the held-out part."""

from __future__ import annotations

import pytest

from detect.engine import default_detector
from detect.normalize import normalize
from name_offers import assert_gets, block, offer, structures


@pytest.fixture(scope="module")
def det():
    return default_detector()  # the worker's shared detector: built once, not per file


# (product name, the lexicon substance whose structure it must get, why)
RESOLVED = [
    ("سوفنتانيل", "sufentanil", "Arabic letters: s, u (waw as a vowel), the stem read as one piece"),
    ("سوفنتانیل", "sufentanil", "the same with the Persian yeh (U+06CC) in the stem"),
    ("آلفنتانیل", "alfentanil", "Persian: alef madda a, lam l, then the stem"),
    ("수펜타닐", "sufentanil", "Hangul: su + the stem as Korean spells it (펜타닐, f written with the letter for p)"),
    ("알펜타닐 구연산염", "alfentanil", "Hangul al + the stem, a Korean salt word after it"),
    ("레미펜타닐", "remifentanil", "Hangul re-mi + the stem"),
    # Korean prefixes as the MFDS notices spell them, read as one piece each (data: pieces)
    ("부티르 펜타닐", "butyrylfentanyl", "butyr written apart before the stem word"),
    ("테트라히드로푸라닐 펜타닐", "tetrahydrofuranylfentanyl", "two pieces, tetrahydro + furanyl, then the stem word"),
    ("카르펜타닐 구연산염", "carfentanil", "car + the stem, a salt word after it"),
    ("벤질펜타닐", "benzyl-fentanyl", "benzyl + the stem"),
]


@pytest.mark.parametrize("name,substance,why", RESOLVED)
def test_names_in_arabic_script_and_hangul_resolve(det, name, substance, why):
    assert_gets(det, name, substance, why)


# A prefix written as a word of its own before the stem word (Persian and Korean write them apart): the two are read
# as one word, which the parser does not know here, so the name is an unresolved fentanyl-family name, flagged with
# no structure: never the bare stem's substance (fentanyl), which these names are not.
UNRESOLVED = [
    ("بنزیل فنتانیل", "Persian 'benzyl fentanyl' written apart"),
    ("ميثوكسي اسيتيل فنتانيل", "Arabic letters, two words before the stem word"),
    ("메톡시 펜타닐", "Hangul 'methoxy fentanyl' written apart (no piece for methoxy)"),
    ("파라 플루오로 펜타닐", "Hangul 'para fluoro fentanyl', three words"),
]


@pytest.mark.parametrize("name,why", UNRESOLVED)
def test_a_prefix_word_before_the_stem_word_is_never_the_bare_stem(det, name, why):
    r = det.scan(offer(name))
    assert r.flagged, why
    assert block("fentanyl") not in structures(r), why


@pytest.mark.parametrize("name", ["펜타곤 모형 판매", "فنجان چای", "타이레놀 500mg", "كوب قهوة"])
def test_words_of_these_scripts_without_the_stem_are_not_flagged(det, name):
    """Pentagon, a tea cup, Tylenol, a coffee cup: read as Latin letters, nothing in them is a name."""
    assert not det.scan(offer(name)).flagged


def test_the_words_view_reads_the_letters_and_keeps_the_offsets():
    n = normalize("استیل فنتانیل 99%")
    assert n.words.text.startswith("astilfentanil")
    s, e = n.words.span(0, len("astilfentanil"))
    assert (s, e) == (0, len("استیل فنتانیل"))
    assert normalize("펜타닐").words.text == "fentanyl"  # a whole word that spells a lexicon name (loanword rules)
    assert normalize("카").words.text == "ka"  # Revised Romanization of the syllable's letters


# Hangul words read by the loanword rules (외래어 표기법: p and f both ㅍ, l and r both ㄹ, the schwa ㅓ, æ ㅐ, a silent
# final e; detect/data/transliteration.yaml, hangul_loanwords): accepted only as a lexicon name of one substance.
# Spellings made up for the test in the way Korean news writes loanwords, not copied from the held-out part.
LOANWORDS = [
    ("수펜태널", "sufentanil", "ㅐ for the a of -tan-, ㅓ for the schwa of -nil"),
    ("레미펜태닐", "remifentanil", "ㄹ for r, ㅐ for a"),
    ("알펜터닐 판매", "alfentanil", "ㅓ for the a of -tan- (a schwa), a sales word after it"),
    ("오크펜태널", "ocfentanil", "ㅋ with the vowel ㅡ (no letter): oc"),
]


@pytest.mark.parametrize("name,substance,why", LOANWORDS)
def test_hangul_loanword_spellings_of_lexicon_names_resolve(det, name, substance, why):
    assert_gets(det, name, substance, why)


def test_a_hangul_reading_is_only_ever_a_whole_lexicon_name():
    from detect.transliterate import loanword
    assert loanword("페나리딘") == "phenaridine"  # ph for ㅍ, r for ㄹ, a silent final e
    assert loanword("카펜태널") in ("carfentanil", "carfentanyl")  # ka -> car: r after a vowel is not written
    assert loanword("펜타닐판매") is None  # a word with more than the name: no reading, the letters stay
    assert loanword("컴퓨터프로그램") is None and loanword("대한민국") is None  # ordinary words
    assert loanword("펜타") is None  # fewer syllables than a name needs


@pytest.mark.parametrize("name", ["컴퓨터 프로그램 판매", "레모네이드 1리터", "파라다이스 호텔"])
def test_ordinary_korean_loanwords_are_not_flagged(det, name):
    """A computer program, lemonade, a hotel: loanwords, but no lexicon name."""
    assert not det.scan(offer(name)).flagged
