"""Casualty counts in one sentence (geo.numbers.read_casualties)."""
from __future__ import annotations

import pytest

from geo.numbers import Casualties, read_casualties


@pytest.mark.parametrize("sentence, fatalities, injuries", [
    ("Serangan itu menewaskan sedikitnya dua puluh lima orang dan melukai 40 lainnya.", 25, 40),
    ("Puluhan orang tewas dalam ledakan itu.", 10, None),  # "puluhan": at least ten
    ("Sebanyak 100 orang, termasuk 35 anak-anak, tewas.", 100, None),
    ("Tidak ada korban jiwa dalam peristiwa itu.", 0, None),
    # a toll noun whose count comes after a toll verb further on
    ("Jumlah korban tewas akibat serangan udara terhadap pasar di pusat kota, wilayah timur laut, "
     "bertambah menjadi 14 orang pada Minggu.", 14, None),
    ("Jaringan dokter mencatat korban tewas sudah mencapai 56 orang hingga Sabtu malam.", 56, None),
    ("Korban tewas dalam serangan itu menjadi sedikitnya 20 orang.", 20, None),
    # the victim's village and district, in apposition between the count and the cue
    ("Seorang warga Desa Bangkal, Kecamatan Seruyan Raya, Kabupaten Seruyan, Kalimantan Tengah, tewas.", 1, None),
    ("Di Rafah, Tiga orang, tewas.", 3, None),  # a count word inside commas is kept
    # named victims with their ages count one each; "menembak mati" kills
    ("Guru SD Inpres Julukoma, Oktovianus Rayo (42), ditembak mati di kiosnya.", 1, None),
    ("Ahmad (20) dan Budi Santoso (25) tewas di lokasi.", 2, None),
    ("KKB kembali menembak mati seorang guru di Distrik Beoga.", 1, None),
    ("Korban bernama Gijik (35).", None, None),
    # no count after the toll verb: nothing is invented
    ("Korban tewas dievakuasi menjadi prioritas utama tim penyelamat.", None, None),
])
def test_counts(sentence, fatalities, injuries):
    assert read_casualties(sentence) == Casualties(fatalities, injuries)
