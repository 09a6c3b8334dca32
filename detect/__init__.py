"""fentwatch detection: find fentanyl-like substances and precursors in listing text and explain every hit. Returns
hits and reasons, never stores or decides anything; imports only ``lexicon``."""

# The names below load on first use (PEP 562), so that ``import detect.opsin`` or ``detect.config`` does not import
# spaCy and RDKit through the engine: ``fentwatch scan`` starts OPSIN's JVM before that import (detect/opsin.py
# ``start_early``).
_EXPORTS = {"DETECTOR_VERSION": "engine", "Detector": "engine", "scan": "engine", "scan_many": "engine",
            "Contact": "result", "Hit": "result", "ScanResult": "result"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'detect' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
