"""The fentwatch lexicon: controlled substances, their names, CAS numbers and structures, as reviewed data, with its
loader and validator. The ground floor: imports nothing of ours."""

from .loader import (
    LEXICON_DIR,
    Control,
    Form,
    Lexicon,
    LexiconError,
    Lookalike,
    Name,
    Substance,
    load_lexicon,
)
from .cas import cas_is_valid, cas_check_digit

__all__ = [
    "LEXICON_DIR",
    "Control",
    "Form",
    "Lexicon",
    "LexiconError",
    "Lookalike",
    "Name",
    "Substance",
    "cas_check_digit",
    "cas_is_valid",
    "load_lexicon",
]
