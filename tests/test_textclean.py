"""The cleaner: datelines come off the text and are remembered, never read as part of the story."""
import pytest

from geo.textclean import clean_text


@pytest.mark.parametrize(("raw", "city", "outlet"), [
    ("TEMPO.CO, Jakarta - Polisi menangkap tiga orang.", "Jakarta", "TEMPO.CO"),
    ("REPUBLIKA.CO.ID, TEHERAN -- Polisi menangkap tiga orang.", "TEHERAN", "REPUBLIKA.CO.ID"),
    ("Jakarta, CNN Indonesia -- Polisi menangkap tiga orang.", "Jakarta", "CNN Indonesia"),
    ("Jakarta, tvOnenews.com - Polisi menangkap tiga orang.", "Jakarta", "tvOnenews.com"),
    ("Jakarta, detikNews - Polisi menangkap tiga orang.", "Jakarta", "detikNews"),
    ("KHARTOUM, iNews.id - Polisi menangkap tiga orang.", "KHARTOUM", "iNews.id"),
    ("KBRN, Timika: Polisi menangkap tiga orang.", "Timika", "KBRN"),
    ("Judul Berita di Sini\n\nBaghdad (ANTARA) - Polisi menangkap tiga orang.", "Baghdad", "ANTARA"),
    ("SIMALUNGUN (Waspada.id): Polisi menangkap tiga orang.", "SIMALUNGUN", "Waspada.id"),
])
def test_a_dateline_is_taken_off_and_kept(raw, city, outlet):
    cleaned = clean_text(raw)
    assert (cleaned.dateline_city, cleaned.dateline_outlet) == (city, outlet)
    assert cleaned.text.rstrip().endswith("Polisi menangkap tiga orang.") and city not in cleaned.text


def test_a_sentence_opening_with_a_place_and_a_comma_is_no_dateline():
    cleaned = clean_text("Jakarta, kata dia - tidak aman.")
    assert cleaned.dateline_city is None and cleaned.text.startswith("Jakarta, kata dia")
