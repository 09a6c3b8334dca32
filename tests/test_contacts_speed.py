"""contacts.py skips the app-name pattern (APP_BEFORE_RE) where a cheap test says it cannot match: the test must never
say no where the pattern matches, so the contacts found stay the same. Fake contacts only (+00 000 0000, example.com)."""

import random

from detect.contacts import APP_BEFORE_RE, LABELS, _may_end_app_name

PIECES = [label for label in LABELS] + ["微信号", "电报", "WhatsApp", "TG", " ", "  ", "\t", "\n", ":", "：", "@", "+",
                                        "+00 000 0000", "@seller_x", "sales0@example.com", "a", "0", "-", "_", ".",
                                        "me", "Telegram", "x微信", "hotel"]


def _agrees(low: str) -> None:
    for pos in range(len(low) + 1):
        for start in {max(0, pos - 24), 0, max(0, pos - 3)}:
            if APP_BEFORE_RE.search(low, start, pos):
                assert _may_end_app_name(low, start, pos), (low, start, pos)


def test_cases():
    for text in ["telegram @x", "TG @x", "whatsapp +00 000 0000", "wickr me: @abc", "微信 abc123", "微信号：abc123",
                 "signal\t:\t+00", "wa\n+00", "wa\n\n+00", "hotel @x", "sales0@example.com", "tg::@x", "电报 @x"]:
        low = text.lower()
        _agrees(low)
    assert _may_end_app_name("telegram @x", 0, 9) and not _may_end_app_name("sales0@example.com", 0, 6)


def test_generated():
    """3,000 strings glued from app names, separators and contact values, every end position and three windows."""
    rng = random.Random(14)
    for _ in range(3000):
        _agrees("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8))).lower())
