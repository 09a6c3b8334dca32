"""OPSIN's JVM starts on the first listing that has a systematic-name candidate, not when a detector is built: a scan
or crawl with no such name never pays for the JVM (about a CPU-second)."""

from detect.engine import Detector, default_detector
from detect.opsin import Opsin


def detector_with_its_own_opsin() -> Detector:
    shared = default_detector()  # the worker's lexicon and settings; a JVM of its own, not started
    return Detector(shared.lex, shared.settings, opsin=Opsin())


def test_no_jvm_for_listings_without_a_systematic_name():
    det = detector_with_its_own_opsin()
    try:
        assert det.opsin.proc is None
        results = list(det.scan_many([{"title": "Fentanyl 99%", "text": "Fentanyl powder, 1 kg, WhatsApp +00 000 0000"},
                                      {"title": "Acetone", "text": "Acetone 99.5%, 200 L drum, sales@example.com"}]))
        assert results[0].flagged and not results[1].flagged
        assert det.opsin.proc is None
    finally:
        det.opsin.close()


def test_the_jvm_starts_with_the_first_systematic_name_and_reads_it():
    det = detector_with_its_own_opsin()
    try:
        result = det.scan({"title": "Product", "text": "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]butanamide 99%"})
        assert det.opsin.proc is not None
        assert result.flagged and any(h.substance == "Butyrylfentanyl" for h in result.hits), result.hits
    finally:
        det.opsin.close()
