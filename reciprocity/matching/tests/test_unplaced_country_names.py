"""Run explanations name countries (issue 17): the engine's parts hold ISO codes, the page
shows the names of the one country list in the reader's language."""

from __future__ import annotations

from reciprocity.matching.models import RunUnplaced

PARTS = [
    ["nationality_cap", {"mission": "“Camp A”", "count": 2, "nationality": "SN", "cap": 2}],
    ["reciprocity_tolerance", {"mission": "“Camp B”", "host": "DE", "a": "SN", "b": "DE",
                               "ab": 3, "ba": 1, "nationality": "SN", "tolerance": 2}],
]


def test_explanations_show_country_names_in_the_readers_language() -> None:
    row = RunUnplaced(reason="nationality_cap", explanation="stored", explanation_parts=PARTS)
    english = row.explanation_in("en")
    assert "2 volunteer(s) from Senegal" in english
    assert "“Camp B” is in Germany; the Senegal-Germany agreement" in english
    french = row.explanation_in("fr")
    assert "de cette nationalité (Sénégal ; au plus 2 par nationalité)" in french
    assert "(pays d'accueil : Allemagne) : l'accord Sénégal-Allemagne" in french
    assert "SN" not in english + french and "DE" not in english + french
