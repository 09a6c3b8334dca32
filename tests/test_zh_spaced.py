"""Chinese names written with separators between their characters ("芬 太 尼", "卡.芬.太.尼", "芬太 尼").

Sellers space a name out to get past a keyword filter; Chinese puts no space between words, so the words view drops
one to three separators between two Han characters (detect/normalize.py, _close_han_gaps). Before, every spaced
Chinese name came out with no hit at all. Listings are advertisement text only; contacts are fake.
"""

import json
import re
from pathlib import Path

import pytest

from detect.engine import default_detector
from detect.normalize import normalize
from lexicon.loader import load_lexicon

LEX = load_lexicon()
# every Chinese name of the lexicon written in Han characters alone (the trivial names: 芬太尼, 卡芬太尼 ...)
HAN_NAMES = sorted({(n.text, s.id) for s in LEX.substances for n in s.names
                    if re.fullmatch(r"[\u4e00-\u9fff]+", n.text)})
SEPARATORS = [" ", "\u3000", ".", "*", "-", "_", "·", " . ", "/"]
SALE = "纯度：99%\n包装：1kg/袋\n价格：电议\n电话：+00 000 0000"
NAMES_SET = Path(__file__).parent / "data" / "names" / "names.jsonl"


@pytest.fixture(scope="module")
def det():
    return default_detector()  # the worker's shared detector: built once, not per file


def spaced(name: str, sep: str) -> str:
    return sep.join(name)


def substances(result) -> set[str]:
    return {h.substance_id for h in result.hits}


def test_the_lexicon_has_han_names_to_space():
    assert len(HAN_NAMES) >= 19 and ("芬太尼", "fentanyl") in HAN_NAMES


@pytest.mark.parametrize("sep", SEPARATORS, ids=repr)
def test_every_spaced_han_name_of_the_lexicon_reads_as_written_together(det, sep):
    for name, sid in HAN_NAMES:
        together = det.scan({"id": "t", "title": f"{name} 现货", "text": SALE})
        apart = det.scan({"id": "a", "title": f"{spaced(name, sep)} 现货", "text": SALE})
        assert sid in substances(together), name
        assert substances(apart) == substances(together), (spaced(name, sep), apart.hits)
        assert apart.flagged == together.flagged
        hit = next(h for h in apart.hits if h.substance_id == sid)
        assert hit.matched == spaced(name, sep)  # the hit covers the spaced name, no more


def test_the_hit_points_at_the_spaced_name_in_the_listing(det):
    title = "现货供应 芬 . 太 . 尼 99%"
    r = det.scan({"id": "p", "title": title, "text": SALE})
    hit = next(h for h in r.hits if h.substance_id == "fentanyl")
    assert (hit.start, hit.end) == (5, 14) and title[hit.start:hit.end] == "芬 . 太 . 尼"


def test_spaced_offsets_map_back_to_the_original():
    text = "产品：卡 芬 太 尼"
    words = normalize(text).words
    s = words.text.index("卡芬太尼")
    assert words.span(s, s + 4) == (3, 10)


def test_a_line_break_or_enumeration_comma_still_separates_words():
    for text in ("芬\n太尼", "芬、太尼", "芬，太尼"):
        assert "芬太尼" not in normalize(text).words.text, text


def test_list_of_names_keeps_both(det):
    r = det.scan({"id": "l", "title": "芬太尼 卡芬太尼 / 舒芬太尼", "text": SALE})
    assert {"fentanyl", "carfentanil", "sufentanil"} <= substances(r)


def _zh_negatives():
    rows = [json.loads(line) for line in NAMES_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["name"] for r in rows if r["label"] == "negative" and re.search(r"[\u4e00-\u9fff]", r["name"])]


def test_chinese_look_alikes_spaced_out_are_still_not_flagged(det):
    """The names set's Chinese look-alike drugs (sharing 哌啶, 芬 or 苯乙基; stored pages) with a space between every
    two characters, and an ordinary spaced-out Chinese listing."""
    negatives = _zh_negatives()
    assert len(negatives) >= 19
    for name in negatives:
        r = det.scan({"id": "n", "title": spaced(name, " "), "text": SALE})
        assert not r.flagged, (name, r.hits)
    ordinary = det.scan({"id": "o", "title": "本公司 长期 供应 各种 化工 原料 哌啶 吡啶 苯乙酮", "text": SALE})
    assert not ordinary.flagged and not ordinary.hits
