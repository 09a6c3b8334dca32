"""fentwatch detection: find fentanyl-like substances and precursors in listing text and explain every hit. Returns
hits and reasons, never stores or decides anything; imports only ``lexicon``."""

from .engine import DETECTOR_VERSION, Detector, scan, scan_many
from .result import Contact, Hit, ScanResult

__all__ = ["DETECTOR_VERSION", "Contact", "Detector", "Hit", "ScanResult", "scan", "scan_many"]
