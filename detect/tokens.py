"""A small regex tokenizer for the ``words`` view: CJK characters one by one, letter/digit runs, single symbols.

Chinese has no spaces, so each Han character is its own token: a Chinese name is then a token sequence that the
PhraseMatcher finds inside running Chinese text. It is also far faster than spaCy's rule tokenizer on this text
(see PERF-NOTES: spaCy's tokenizer stops caching after a newline).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"[{CJK}]|[^\W_{CJK}]+|\S")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def is_cjk(ch: str) -> bool:
    return bool(re.match(f"[{CJK}]", ch))


class Tokenizer:
    """spaCy tokenizer: ``Doc`` whose ``user_data["offsets"]`` holds each token's (start, end) in the input text."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        toks = tokenize(text)
        words = [t for t, _, _ in toks]
        spaces = [toks[i][2] < toks[i + 1][1] if i + 1 < len(toks) else False for i in range(len(toks))]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["offsets"] = [(s, e) for _, s, e in toks]
        doc.user_data["words"] = words
        return doc

    # spaCy serialises the tokenizer with the pipeline; this one has no state of its own.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "Tokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "Tokenizer":
        return self


@registry.tokenizers("fentwatch.Tokenizer.v1")
def create_tokenizer():
    """Registered so that ``spacy.blank(..., config=...)`` builds this tokenizer directly, without first compiling
    the language's default tokenizer rules (a quarter of a second) only to replace them."""

    def make(nlp):
        return Tokenizer(nlp.vocab)

    return make
