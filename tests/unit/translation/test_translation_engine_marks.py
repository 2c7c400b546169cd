from translation_service.adapters.apertium import strip_engine_marks
from translation_service.domain.masking import mask, unmask


def test_apertium_marks_are_removed_but_masked_hashtags_survive() -> None:
    masked = mask("Our plant in Seville #CleanEnergy @acme.test")
    # What Apertium (it) hands back: a generation mark on "Siviglia".
    provider_output = 'La nostra pianta in #Siviglia <x i="0"/> <x i="1"/>'
    assert unmask(strip_engine_marks(provider_output), masked.tokens) == (
        "La nostra pianta in Siviglia #CleanEnergy @acme.test"
    )


def test_entities_and_mid_word_signs_are_left_alone() -> None:
    assert strip_engine_marks("C# &#39;x&#39; a@b") == "C# &#39;x&#39; a@b"
