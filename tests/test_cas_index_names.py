"""CAS index names ("Propanamide, N-phenyl-N-[...]-": the parent first, the substituents after a comma, a closing
hyphen) are offered to OPSIN whole, which reads them (real OPSIN, real engine). Made-up ad text only."""

import pytest

from detect.engine import default_detector
from detect.iupac import iupac_candidates

FENTANYL_KEY = "PJMPHNIQZUBGLI-UHFFFAOYSA-N"
ANPP_KEY = "ZCMDXDQUYIWEKB-UHFFFAOYSA-N"  # 4-ANPP: N-phenyl-1-(2-phenylethyl)piperidin-4-amine


@pytest.mark.parametrize("text, whole", [
    ("Product: Propanamide, N-phenyl-N-[1-(2-phenylethyl)-4-piperidinyl]-, 99%",
     "Propanamide, N-phenyl-N-[1-(2-phenylethyl)-4-piperidinyl]-"),
    ("4-Piperidinamine, N-phenyl-1-(2-phenylethyl)- for sale", "4-Piperidinamine, N-phenyl-1-(2-phenylethyl)-"),
    ("4-(Methoxycarbonyl)-4-[(1-oxopropyl)phenylamino]-1-piperidinepropanoic acid, methyl ester 98%",
     "4-(Methoxycarbonyl)-4-[(1-oxopropyl)phenylamino]-1-piperidinepropanoic acid, methyl ester"),
])
def test_the_whole_cas_index_name_is_a_candidate(text, whole):
    assert whole in [c for c, _, _ in iupac_candidates(text)]


def test_a_comma_in_a_list_of_names_is_no_cas_heading():
    cands = [c for c, _, _ in iupac_candidates("we stock 1-boc-4-piperidone, 4-piperidone hydrochloride, more")]
    assert cands == ["1-boc-4-piperidone", "4-piperidone hydrochloride", "4-piperidone"]


@pytest.mark.parametrize("name, key", [
    ("Propanamide, N-phenyl-N-[1-(2-phenylethyl)-4-piperidinyl]-", FENTANYL_KEY),
    ("4-Piperidinamine, N-phenyl-1-(2-phenylethyl)-", ANPP_KEY),
])
def test_a_listing_under_a_cas_index_name_gets_its_structure(name, key):
    result = default_detector().scan({"id": "c", "title": name, "text": "Purity 99%, 1 kg, price on request. "
                                                                       "Contact sales@example.com"})
    assert result.flagged
    assert key in {h.inchikey for h in result.hits}
