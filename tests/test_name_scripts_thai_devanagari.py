"""Names in Thai and Devanagari script, and the fentanyl stem inside a word of another script with letters no table
reads (session 7, the kinds of miss of the sixth held-out part: detect/transliterate.py,
detect/data/transliteration.yaml). The names here are written for the test (made-up offers), not copied from the
held-out part."""

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
    ("ซูเฟนทานิล", "sufentanil", "Thai so sara-u (RTGS s, u), then the stem read as one piece"),
    ("อัลเฟนทานิล", "alfentanil", "Thai o-ang carrying the vowel mai han-akat (a), lo-ling l, then the stem"),
    ("เรมิเฟนทานิล", "remifentanil", "Thai: the vowel sara-e written before ro-ruea, read after it (re), then mi"),
    ("ซูเฟนทานิล 50mcg/ml", "sufentanil", "a dose after the Thai name"),
    ("सुफेंटेनाइल", "sufentanil", "Devanagari sa with the vowel sign u (su), then the stem"),
    ("अल्फेंटेनाइल", "alfentanil", "Devanagari a, la with the virama (no inherent vowel: l), then the stem"),
    ("रेमिफेंटेनाइल", "remifentanil", "Devanagari ra + e, ma + i, then the stem"),
]


@pytest.mark.parametrize("name,substance,why", RESOLVED)
def test_names_in_thai_and_devanagari_resolve(det, name, substance, why):
    assert_gets(det, name, substance, why)


# A prefix the parser does not read, glued to the stem (Thai writes no spaces) or written as a word of its own before
# the stem word (Hindi): flagged as an unresolved fentanyl-family name, with no structure, never plain fentanyl.
UNRESOLVED = [
    ("คาร์เฟนทานิล", "Thai kho-khwai (kh), a, ro-ruea silenced by the thanthakhat: 'khafentanil', not read"),
    ("อะเซทิลเฟนทานิล", "Thai 'acetyl' as RTGS letters ('asethil'), glued to the stem"),
    ("एसिटाइल फेंटेनाइल", "Hindi 'acetyl' as a word of its own before the stem word, read glued to it"),
    ("पैरा फ्लोरो फेंटेनाइल", "Hindi 'para fluoro' before the stem word"),
]


@pytest.mark.parametrize("name,why", UNRESOLVED)
def test_a_prefix_not_read_is_never_the_bare_stem(det, name, why):
    r = det.scan(offer(name))
    assert r.flagged, why
    assert block("fentanyl") not in structures(r), why
    assert any(h.method == "unresolved-name" for h in r.hits), ([(h.substance, h.method) for h in r.hits], why)


@pytest.mark.parametrize("name", ["ยาพาราเซตามอล 500mg", "เฟอร์นิเจอร์ไม้สัก", "पेरासिटामोल 500mg", "फ़ोन कवर"])
def test_words_of_these_scripts_without_the_stem_are_not_flagged(det, name):
    """Paracetamol, teak furniture, paracetamol, a phone cover: read as Latin letters, nothing in them is a name."""
    assert not det.scan(offer(name)).flagged


def test_the_words_view_reads_the_letters_and_keeps_the_offsets():
    # Thai: a leading vowel read after its consonant, a letter silenced by the thanthakhat, o-ang carrying a vowel
    assert normalize("เฟอร์").words.text == "feo"
    assert normalize("โต๊ะ").words.text == "toa"  # to-tao, sara-o before it, a tone mark (nothing), sara-a
    assert normalize("อัล").words.text == "al"
    # Devanagari: the inherent vowel, a vowel sign, the virama, the nukta (फ़ f)
    assert normalize("कमल").words.text == "kamala"
    assert normalize("किताब").words.text == "kitaba"
    assert normalize("क्या").words.text == "kya"
    assert normalize("फ़ोन").words.text == "fona"
    n = normalize("अल्फेंटेनाइल 99%")
    assert n.words.text.startswith("alfentanil ")
    assert n.words.span(0, len("alfentanil")) == (0, len("अल्फेंटेनाइल"))
    n = normalize("อัลเฟนทานิล")
    assert n.words.span(0, len("alfentanil")) == (0, len("อัลเฟนทานิล"))


# The stem in Arabic script, Hangul, Thai or Devanagari inside a word that goes on, before or after it, with letters
# no table reads: the parser read only part of the word, so the name is an unresolved fentanyl-family name (flagged,
# no structure), never fentanyl or the structure of the part it read.
PART_READ = [
    ("فنتانیلٹ", "the Persian stem, then the Urdu letter tteh (no table reads it)"),
    ("ٹفنتانیل", "the Urdu letter tteh before the Persian stem"),
    ("펜타닐ㄱ", "the Korean stem, then a Hangul compatibility letter (no syllable, no table)"),
    ("ㅋ펜타닐", "a Hangul compatibility letter before the Korean stem"),
    ("फेंटेनाइलॐ", "the Hindi stem, then the om sign (a Devanagari letter no table reads)"),
    ("ॐसुफेंटेनाइल", "the om sign before a Hindi name that alone reads as sufentanil"),
    ("ซูเฟนทานิลฺ", "a Thai name that alone reads as sufentanil, then the phinthu sign (not in the table)"),
    ("फेंटेनाइलক", "the Hindi stem, then a Bengali letter"),
]


@pytest.mark.parametrize("name,why", PART_READ)
def test_the_stem_inside_a_word_with_letters_no_table_reads_is_unresolved(det, name, why):
    r = det.scan(offer(name))
    assert r.flagged, why
    assert not structures(r), ([(h.substance, h.method, h.inchikey) for h in r.hits], why)
    assert {h.method for h in r.hits} == {"unresolved-name"}, why


@pytest.mark.parametrize("name,substance", [("فنتانیل، 10g", "fentanyl"), ("سوفنتانیلُ", "sufentanil"),
                                            ("ซูเฟนทานิลราคาส่ง", "sufentanil"), ("फेंटेनाइल,", "fentanyl"),
                                            ("fentanyl雪", "fentanyl")])
def test_punctuation_marks_and_readable_letters_after_the_stem_keep_the_reading(det, name, substance):
    """A comma, an Arabic vowel mark, Thai words read by the table (wholesale price, written without a space), and a
    Latin stem followed by a Chinese character are not letters no table reads after a stem of these scripts."""
    r = det.scan(offer(name))
    assert block(substance) in structures(r), [(h.substance, h.method) for h in r.hits]


# Systematic names in Cyrillic letters (detect/script_names.py): read as Latin with the words view's table, offered to
# OPSIN as systematic-name candidates with their span in the text; the repairs read the transliterated spelling.
CYRILLIC_SYSTEMATIC = [
    ("N-фенил-N-[1-(2-фенилэтил)пиперидин-4-ил]бутанамид", "butyrylfentanyl", "Russian IUPAC-style name"),
    ("N-фенил-N-[1-(2-фенилетил)пиперидин-4-ил]пропанамид", "fentanyl", "Bulgarian/Ukrainian -етил for -этил"),
    ("Продаем N-(1-фенетил-4-пиперидил)пропионанилид, 99%", "fentanyl", "an anilide name inside a Russian offer"),
]


@pytest.mark.parametrize("name,substance,why", CYRILLIC_SYSTEMATIC)
def test_cyrillic_systematic_names_reach_opsin(det, name, substance, why):
    r = det.scan(offer(name))
    assert block(substance) in structures(r), ([(h.substance, h.method) for h in r.hits], why)
    hit = next(h for h in r.hits if h.inchikey and h.inchikey.startswith(block(substance)))
    assert hit.method == "iupac" and "пиперид" in hit.matched, why  # the span is the Cyrillic name in the text


@pytest.mark.parametrize("name", ["Пиперидин, 99%, бочка 200 л", "4-метилпиперидин 99%"])
def test_cyrillic_names_of_ordinary_chemicals_stay_unflagged(det, name):
    """Piperidine in a drum, 4-methylpiperidine: read by OPSIN or not, no class rule makes them a hit."""
    assert not det.scan(offer(name)).flagged
