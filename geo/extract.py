"""Extracting events from articles: who did what to whom, where, when, with how many dead.

Pipeline per article (each stage its own function):

1. :func:`geo.textclean.clean_text` - repaired text, sentences, dateline set aside.
2. Publication date: metadata, else stated in the text.
3. Per sentence: triggers (``data/triggers.csv``), modality cues (threats, plans,
   denials, conditionals are not events), dates, actors, toponyms, casualties.
4. One event per sentence with a trigger: ACLED type from the strongest trigger,
   actors by voice (active / passive / nominal), the most specific place in the
   sentence or the narrative, the date in the sentence or the narrative.
5. Anaphora ("Serangan itu tidak menimbulkan korban jiwa") adds to the previous
   event instead of making a new one.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo.articles import Article, load_articles
from geo.dates import (
    UNDATED,
    EventDate,
    find_dates,
    infer_published,
    parse_published,
    resolve,
)
from geo.gazetteer import capital_names, generic_prefixes, get_gazetteer
from geo.geocoders import GeocoderChain, Location, OfflineGeocoder, default_geocoder
from geo.lexicons import (
    Actor,
    Trigger,
    actor_matcher,
    cue_matcher,
    national_military,
    number_words,
    outlet_matcher,
    retype_rules,
    trigger_matcher,
)
from geo.merge import km_between
from geo.normalize import normalize_name
from geo.numbers import NO_CASUALTIES, parse_count, read_casualties, tokenize
from geo.offsets import offset_before, shifted
from geo.phrases import PhraseMatch, padded_scan_form
from geo.regexscan import gated_finditer, word_gate
from geo.textclean import clean_text
from geo.toponyms import ToponymMention, find_toponyms, not_place_words

log = logging.getLogger(__name__)

#: Words before a trigger that make it a reference to an earlier event: "Serangan itu", "serangan tersebut".
#: After a trigger: it names an event already reported ("serangan itu", "menembaki bus tersebut",
#: "pertempuran hari itu", "kesepakatan yang dimediasi Qatar ... itu").
_ANAPHORA_RE = re.compile(r"^\s*(?:itu|tersebut|ini)\b|^\s*[\w-]+\s+(?:itu|tersebut)\b|"
                          r"^\s*(?:jenis|tipe|model)\s+\S+(?:\s+\S+)?\s+(?:itu|tersebut)\b|"  # "rudal jenis Iskander-M itu"
                          r"^\s*(?:\S+\s+){0,3}?(?:dalam|pada|saat|selama)\s+(?:peristiwa|insiden|kejadian|aksi|bentrokan|"
                          r"serangan|kerusuhan|demonstrasi|unjuk rasa|hari|malam|akhir pekan|pekan)\s+(?:itu|tersebut)\b|^\s*yang\s+[^,.;:\"“”]{0,60}?\s(?:itu|tersebut)\b",
                          re.IGNORECASE)
_PASSIVE_RE = re.compile(r"^(?:di|ter)[a-z]{3,}")
_ACTIVE_RE = re.compile(r"^(?:me|ber)[a-z]{3,}")
_AGENT_RE = re.compile(r"\b(?:oleh|by)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# Between a trigger and its agent: "serangan oleh X", "rudal yang dilancarkan oleh kelompok X", "diserang X".
_AGENT_GAP_RE = re.compile(r"^[\s,]*(?:(?:\w+\s+)?(?:yang\s+)?(?:\w+(?:kan|i)\s+)?(?:oleh|by)\s+(?:\w+\s+){0,2})?$", re.IGNORECASE)
# "di Suriah dan Irak", "dari Taji, Irak": a name right after a place is a place too.
_COORDINATION_RE = re.compile(r"^\s*(?:,|dan|serta|atau|and|or)?\s*$", re.IGNORECASE)
#: Place kinds whose bare name may stand for a government ("Irak menolak ...", "Baghdad mengatakan ...").
_METONYM_KINDS = frozenset({"country", "city", "town", "province"})
_TARGET_RE = re.compile(r"\b(?:terhadap|ke|atas|menargetkan|menyasar|against|on)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_LOCATIVE_RE = re.compile(r"\b(?:di|ke|dekat|dari|menuju|sekitar|wilayah|kawasan|kota|provinsi|distrik|in|at|near|outside)\s+$",
                          re.IGNORECASE)
#: "kerusuhan di ibu kota Kinshasa": the place something happened in (not "jatuhnya Goma").
_IN_PLACE_RE = re.compile(r"\b(?:di|in|at)\s+(?:(?:ibu\s+)?kota|provinsi|kabupaten|distrik|desa|kampung|wilayah|kawasan|dekat)?\s*$",
                          re.IGNORECASE)
#: "di Bundaran Simpang Lima, Banda Aceh": the town of the site named after "di" is "in" it too.
_IN_SITE_OF_RE = re.compile(r"\b(?:di|in|at)\s+(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*,\s*$")
#: "di Jalan Pinchas Rosen, Tel Aviv": the city of a street address.
_AFTER_STREET_RE = re.compile(r"\b(?:di|ke)\s+(?:[Jj]alan|[Jj]l\.|[Jj]ln\.)\s+[^,.;]{1,40},\s*$")
_FACILITY_START_RE = re.compile(r"(?:kedutaan|kedubes|konsulat|pangkalan|markas|kantor|embassy|base)\b", re.IGNORECASE)
# Names that contain a place name without being at it: streets ("Jalan Medan Merdeka Selatan"),
# organisations ("Front Mahasiswa Peduli Palestina") and causes ("Aksi Bela Palestina").
_NAME_RUN = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
_ORGANISATION_WORDS = (r"Jalan", r"Jl\.", r"Jln\.", "Aliansi", "Front", "Komite", "Majelis", "Gerakan", "Forum", "Ikatan",
                       "Persatuan", "Universitas", "Partai")
_CAUSE_WORDS = ("Bela", "bela", "Peduli", "peduli", "Solidaritas", "solidaritas", "Dukung", "dukung")
# Ship names: "MV Ruen", "INS Kolkata", "KRI Nanggala".
_SHIP_PREFIXES = ("MV", "MT", "MS", "SS", "USS", "HMS", "INS", "KRI", "KM", "KMP", "RFS", "HMAS", "FS", "TCG")
_NOT_A_PLACE_RE = re.compile(
    rf"\b(?:{'|'.join(_ORGANISATION_WORDS)})\s+{_NAME_RUN}"
    rf"|\b(?:{'|'.join(_CAUSE_WORDS)})(?:\s+untuk)?\s+{_NAME_RUN}"
    rf"|\b(?:{'|'.join(_SHIP_PREFIXES)})\s+{_NAME_RUN}")
_NOT_A_PLACE_GATE = word_gate(_ORGANISATION_WORDS + _CAUSE_WORDS + _SHIP_PREFIXES, then=r"\s")
#: "salah satu serangan udara terbesar dalam beberapa bulan terakhir": a comparison, not a habit.
_SUPERLATIVE_RE = re.compile(r"\b(?:terbesar|terparah|terburuk|tertinggi|terberat|paling|pertama|largest|biggest|worst)\b",
                             re.IGNORECASE)
#: A sentence whose main verb is "adalah"/"merupakan" within its first words: it says who or what something is.
_COPULA_RE = re.compile(r"\s*(?:[^\s,.;]+\s+){1,4}?(?:adalah|merupakan)\b", re.IGNORECASE)
#: Right after a trigger, "merupakan"/"adalah" within two words: the event is the subject of a comment.
_SUBJECT_OF_COPULA_RE = re.compile(r"(?:\s+[^\s,.;]+){0,3}?\s+(?:merupakan|adalah)\b", re.IGNORECASE)
#: "menyebut penyerbuan parlemen sebagai pengkhianatan": the event is characterised, not reported.
_CHARACTERISED_BEFORE_RE = re.compile(r"\b(?:menyebut|menyebutnya|menilai|menganggap|menggambarkan|menjuluki|called|described)"
                                      r"\s+(?:[^\s,.;]+\s+){0,2}$", re.IGNORECASE)
_CHARACTERISED_AFTER_RE = re.compile(r"[^,;.]{0,80}?\b(?:sebagai|as)\b", re.IGNORECASE)
_DIRECTION_WORDS = frozenset({"utara", "selatan", "barat", "timur", "tengah", "raya", "north", "south", "east", "west",
                              "central", "tenggara", "barat daya", "timur laut", "barat laut"})
#: English words that follow a place name in a longer place name ("Gaza City", "Rafah Crossing").
_NAME_SUFFIX_WORDS = frozenset({"city", "strip", "province", "governorate", "district", "airport", "crossing",
                                "port", "valley", "bay", "gulf", "sea", "river", "island", "islands", "camp",
                                "base", "region", "square", "street", "road", "bridge", "dam", "mountains"})
_REGION_WORD_RE = re.compile(r"\b(?:wilayah|provinsi|negara bagian|region|province|state of|kegubernuran|gubernuran)\s+$",
                             re.IGNORECASE)
#: "seorang pria Palestina", "tentara Israel": a country named after a person is a nationality.
#: Right after a capital: it speaks or acts as its government ("Phnom Penh membantah", "Bangkok merespons").
_CAPITAL_ACTS_RE = re.compile(r"\s+(?:juga\s+|pun\s+|langsung\s+|segera\s+)?(?:membantah|menuding|menuduh|merespons|menanggapi|"
                              r"menyatakan|mengatakan|menolak|mengecam|mengutuk|menegaskan|menuntut|memperingatkan|mengancam|"
                              r"menyebut|menilai|mengklaim|membalas|mengumumkan|memanggil|mengusir|menurunkan|meminta|"
                              r"menyerukan|mendesak|bersikeras|berjanji|denies|denied|accused|responded|warned|said)\b")
#: Right before a capital: it is the agent of a passive ("tuduhan yang dibantah Phnom Penh").
_CAPITAL_AGENT_BEFORE_RE = re.compile(r"\b(?:dibantah|dikecam|ditolak|dituding|dituduh|diklaim|dikutuk|diumumkan)\s+(?:oleh\s+)?$")
_NATIONALITY_RE = re.compile(
    r"\b(?:pria|wanita|perempuan|warga|tentara|prajurit|pemuda|remaja|anak|bocah|militan|pejuang|orang|pilot|jurnalis|"
    r"wartawan|turis|pengungsi|sandera|tahanan|diplomat|imigran|nelayan|pekerja|buruh|mahasiswa|pelajar|polisi|personel|"
    r"anggota|perwira|marinir|relawan|dokter|perawat|petugas|staf|pasukan penjaga perdamaian)\s+$", re.IGNORECASE)
# "kedutaan besar Rwanda, Prancis, Belgia, dan Amerika Serikat": countries whose embassies these are, not places.
_EMBASSY_OF_RE = re.compile(
    r"\b(?:kedutaan(?:\s+besar)?|kedubes|konsulat(?:\s+jenderal)?|embass(?:y|ies)(?:\s+of)?)\s+"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s*(?:,\s*(?:dan\s+|serta\s+|and\s+)?|\s(?:dan|serta|and)\s+))*$",
    re.IGNORECASE)
# "di Desa Qqzx", "ke kota Xyz": a capitalised name after a locative word, known to no gazetteer.
_UNKNOWN_PLACE_BEFORE = ("di", "ke", "dekat", "dari", "menuju")
_UNKNOWN_PLACE_RE = re.compile(
    rf"\b(?:{'|'.join(_UNKNOWN_PLACE_BEFORE)})\s+((?:(?:[Dd]esa|[Kk]ota|[Kk]ampung|[Dd]istrik|[Pp]rovinsi|[Kk]abupaten|[Kk]amp)\s+)?"
    r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){0,2})")
_UNKNOWN_PLACE_GATE = word_gate(_UNKNOWN_PLACE_BEFORE, then=r"\s")
# "pangkalan militer Irak", "markas milisi ...": a facility noun makes the name after it a place.
_FACILITY_RE = re.compile(r"\b(?:pangkalan(?:\s+udara)?|markas|kedutaan(?:\s+besar)?|kedubes|konsulat|bandara|pos|kamp|fasilitas)\s+$",
                          re.IGNORECASE)
#: Date kinds that count from the narrative rather than stating a date.
_NARRATIVE_KINDS = frozenset({"narrative_days", "sequence"})
#: Nouns naming a whole event: "70 serangan", "ribuan demonstrasi" are campaigns, not one event.
_EVENT_NOUNS = ("serangan", "demonstrasi", "protes", "aksi", "unjuk rasa", "bentrok", "insiden", "pengeboman", "upaya",
                "attacks", "protests")
#: ACLED's residual type: among equally strong triggers, any other type is the event.
_RESIDUAL_TYPE = "Strategic developments"
#: What a bare "serangan"/"menyerang" codes as, and the type it takes in a story of strikes.
_GENERIC_ATTACK = ("Battles", "Armed clash")
_REMOTE_VIOLENCE = "Explosions/Remote violence"
_GROUND_ASSAULT_STEMS = ("serbu", "nyerbu", "storm")  # diserbu, penyerbuan; menyerbu
_EXPLICIT_CLASH_WEIGHT = 3  # "baku tembak", "kontak tembak", "pertempuran" in data/triggers.csv
_TERRITORY_CHANGES = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
_RIOT = ("Riots", "Violent demonstration")
#: A crowd named by who it is made of ("massa ormas"): the crowd word alone says nothing about the actor.
_CROWD_WORDS = frozenset({"massa", "kerumunan", "kerumunan massa", "crowd"})
_MOB_VIOLENCE = ("Riots", "Mob violence")
_PROPERTY_DESTRUCTION = ("Strategic developments", "Looting/property destruction")
#: Triggers that say something was set on fire.
_BURNING_STEMS = ("membakar", "dibakar", "pembakaran", "terbakar", "torched", "set fire", "burned", "burnt")
_CIVILIAN_ATTACK = ("Violence against civilians", "Attack")
_VIOLENT_TYPES = frozenset({"Battles", _REMOTE_VIOLENCE, "Violence against civilians"})
_ARMED_TYPES = frozenset({"militia", "rebel", "state_force"})
#: Pronouns that continue the previous event's actor ("Mereka memanjat ...").
_PRONOUN_RE = re.compile(r"\b(?:mereka|kelompok itu|kelompok tersebut|kelompok yang sama|pihaknya|they)\b", re.IGNORECASE)
#: How many words before a trigger a modality cue ("akan", "jika", "membantah") reaches.
MODALITY_WINDOW = 6
# Where a clause ends: a comma, a semicolon, or a conjunction opening another clause.
_CLAUSE_BREAK_RE = re.compile(r"[,;:]|\b(?:setelah|sebelum|sementara|menyusul|ketika|saat|namun|tetapi|sedangkan|while|after|before)\b",
                              re.IGNORECASE)
#: A closing quote then "kata X ...": what follows attributes the quotation.
_ATTRIBUTION_RE = re.compile(r"[\"”]\s*,?\s*(?:kata|ujar|tutur|ungkap|tambah|jelas|imbuh|said|says)\w*\b[^\"“”]*$", re.IGNORECASE)
#: From a position inside a quotation: no quote mark until the closing one and its attribution.
_CLOSING_QUOTE_RE = re.compile(r"[^\"“”]*[\"”]\s*,?\s*(?:kata|ujar|tutur|ungkap|tambah|jelas|imbuh|said|says)\w*\b", re.IGNORECASE)
#: What ends a plan's reach: a clause break, except "sebelum" ("menyiapkan rencana evakuasi sebelum melancarkan
#: operasi darat": the operation is planned too).
_PLAN_BREAK_RE = re.compile(r"[,;:]|\b(?:setelah|sementara|menyusul|ketika|saat|namun|tetapi|sedangkan|while|after)\b",
                            re.IGNORECASE)
_CUMULATIVE_RE = re.compile(r"\b(?:sejak|semenjak|since|secara keseluruhan|sejauh ini|so far)\b", re.IGNORECASE)
_SUBORDINATE_RE = re.compile(r";|\b(?:setelah|sebelum|sementara|menyusul|sedangkan|while|after|before)\b", re.IGNORECASE)
#: The generic crowd of a protest or a riot when no group is named.
_CROWD_ACTOR = {"Protests": "Protesters", "Riots": "Rioters"}
#: The actor of "pasukan pemerintah": replaced by the forces of the country the event is in.
GOVERNMENT_FORCES = "Government forces"
#: Plans and threats reach to the end of their clause, however long.
_PLAN_CUES = frozenset({"akan", "bakal", "hendak", "berencana", "merencanakan", "rencana", "mengancam", "ancaman", "memerintahkan",
                        "menyiapkan", "bersiap", "siap", "will", "plans", "threatened", "threatens",
                        # appeals: "mengimbau WNI untuk menghindari lokasi unjuk rasa"
                        "mengimbau", "imbauan", "menyerukan", "seruan", "urged", "urges"})
#: Conditionals govern the whole sentence, wherever they stand before the trigger.
#: What a crowd or a spokesman demands, rejects or denies: about an event, not one.
_DEMAND_CUES = frozenset({"menuntut", "menolak", "mendesak", "meminta", "mengecam", "mengutuk", "membantah", "memprotes"})
_CONDITIONALS = frozenset({"jika", "apabila", "kalau", "seandainya", "andaikan", "if", "unless"})
_NEGATIONS = frozenset({"tidak", "tak", "belum", "bukan", "tanpa", "not", "no", "never"})
#: ACLED geo-precision of a country or province: used only when nothing more specific is known.
_BROAD_PRECISION = 3
#: How far from a province's recorded point a town may lie and still be in it (no polygons offline).
_WITHIN_PROVINCE_KM = 300
#: A GeoNames-only place outside the article's countries must be this populous and follow "di"/"ke".
MIN_GEONAMES_POPULATION = 100_000
#: Event types whose unreported fatalities are coded 0 (ACLED codes crowd events without deaths as 0).
_ZERO_WHEN_UNREPORTED = frozenset({"Protests", "Riots"})
#: A sentence of fewer words with no closing punctuation is a heading, not a report.
_HEADING_MAX_WORDS = 9
_TITLE_MAX_WORDS = 24
#: An event may take on casualty figures from this many sentences after it.
_FOLLOW_UP_SENTENCES = 3
#: An undated summary and a dated event of the same type this close are one event.
_SUMMARY_KM = 100.0
_SUMMARY_SENTENCES = 6
#: Two reports of one type, one day and this close, in adjacent sentences, are one event.
_SAME_SITE_KM = 25.0
#: At most this long, the text between two names of one address ("Bangkal, Kecamatan Seruyan Raya, Kabupaten Seruyan").
_ADDRESS_GAP_CHARS = 80
#: One-word generic prefixes (data/generic_prefixes.csv) of these kinds name administrative units inside an address.
_ADMINISTRATIVE_KINDS = frozenset({"city", "province", "district", "village"})
#: "X, Y" with Y a town: X lies at most this far from it.
_APPOSITION_KM = 60.0
#: "Gedung DPR Aceh": a site named right before a place farther than this is that place's namesake site.
_JUXTAPOSED_SITE_KM = 300.0
#: How far (in sentences) an event of the same type may stand to lend its perpetrator.
_ACTOR_CONTEXT_SENTENCES = 8
#: How recent an event must be, before publication, to be the article's news.
_NEWS_DAYS = 31
#: An event ending this long before publication is the article's background (an attack recalled), not news
#: to code from it: ACLED codes it from the reports of its own time. The reference annotations' oldest
#: required event lies 102 days before its article.
_BACKGROUND_DAYS = 180
#: ... and a sentence naming it anaphorically ("penembakan itu") this many.
_ANAPHORA_SENTENCES = 6
#: Just before a place: the place a strike was launched from.
_ORIGIN_RE = re.compile(r"\b(?:menuju|tujuan)\s+$|"  # a convoy's destination is not where it was attacked
                        # nor is the hospital the wounded were taken to
                        r"\b(?:dirawat|dilarikan|dievakuasi|dibawa|dirujuk|diterbangkan)\s+(?:ke|di)\s+(?:\S+\s+){0,3}$|"
                        r"\b(?:lepas landas|terbang|diluncurkan|ditembakkan|berangkat|bertolak|bergerak|dilepaskan|dikirim|berasal|asal|"
                        r"took off|launched|fired|flew)\s+dari\s+(?:\S+\s+){0,2}$|\b(?:took off|launched|fired|flew) from\s+(?:\S+\s+){0,2}$|"
                        # nor where reinforcements were sent from ("mengirim ribuan personel bala bantuan dari Idlib")
                        r"\b(?:mengirim|mengirimkan|mendatangkan|didatangkan|menerjunkan|diterjunkan|mengerahkan|dikerahkan|"
                        r"bala bantuan|pasukan tambahan|personel tambahan)\s+(?:\S+\s+){0,5}?dari\s+(?:\S+\s+){0,2}$|"
                        # nor where it was told ("kata Chaudhry dalam konferensi pers di Rawalpindi")
                        r"\b(?:konferensi pers|jumpa pers|keterangan pers|kepada wartawan|kepada awak media|press conference)"
                        r"\s+(?:di|in)\s+(?:\S+\s+){0,2}$|"
                        r"\b(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|terang)\w*\s+(?:\S+\s+){0,4}?kepada\s+(?:\S+\s+){0,3}?di\s+$|"
                        # nor where a victim comes from ("Muhammad Rusdi (29) asal Kabupaten Sinjai")
                        r"\b(?:asal|berasal dari|warga asal|perantau asal|pendatang asal|from)\s+$|"
                        r"\b(?:pernyataan|keterangan|rilis|siaran pers)\s+(?:\S+\s+)?dari\s+(?:\S+\s+){0,2}?di\s+$",
                        re.IGNORECASE)
#: "Serangan terjadi pada Selasa ...", "Ledakan di stasiun itu terjadi ...": the event just introduced, now dated;
#: "Aksi itu dibubarkan paksa polisi ...": the event just introduced, named again; "Lokasi bentrokan berada ...": its place.
_RESTATEMENT_RE = re.compile(r"\s*(?:Serangan|Ledakan|Insiden|Bentrokan|Penembakan|Pengeboman|Kejadian|Peristiwa|Aksi|"
                             r"Demo|Demonstrasi|Unjuk rasa|Kerusuhan|Pertempuran|Baku tembak|Kontak tembak|Penyerangan)"
                             r"(?:(?:\s+[^\s,.;]+){0,3}?\s+(?:terjadi|berlangsung)|\s+(?:itu|tersebut))\b"
                             # "Usai kontak tembak, kelompok itu melarikan diri ...": after the event just told
                             r"|\s*(?:Usai|Seusai|Setelah|Sesudah|Pasca|Selepas)\s+(?:kontak tembak|baku tembak|bentrokan|serangan|"
                             r"ledakan|penembakan|insiden|kejadian|peristiwa|aksi|kerusuhan|pertempuran|demo|unjuk rasa)\s*,"
                             # "Lokasi bentrokan berada di kawasan perbukitan ...": where the event just told happened
                             r"|\s*(?:Lokasi|Tempat|Titik)\s+(?:kejadian|serangan|ledakan|bentrok\w*|penembakan|pengeboman|insiden|"
                             r"kerusuhan|pertempuran|penyerangan|penghadangan|baku tembak|kontak tembak|aksi|demo\w*|unjuk rasa)\b")
#: "Setelah itu mereka membakar aula gereja ...": what the same people did next, part of the event just told
#: (when the sentence names no date or place of its own).
_SEQUEL_RE = re.compile(r"\s*(?:Setelah|Sesudah|Usai|Seusai|Selepas)\s+itu\b|\s*(?:Kemudian|Lalu|Selanjutnya)\b")
_AFFILIATE_GATE_RE = re.compile(r"filia|terkait|hubung|sekutu|baiat|setia|sayap|cabang|linked|loyal")
#: A group claiming an attack.
_CLAIM_RE = re.compile(r"\b(?:mengklaim|mengaku|klaim)\s+(?:telah\s+)?(?:bertanggung\s?jawab|tanggung\s?jawab)\b|"
                       r"\bclaimed responsibility\b", re.IGNORECASE)
#: Right after a name: a person's age ("Paulus Oki (69)").
_AGE_AFTER_RE = re.compile(r"\s*\(\d{1,3}(?:\s*tahun)?\)")
#: Right before a group's name: the group is named as another's patron or parent.
_AFFILIATE_OF_RE = re.compile(r"\b(?:berafiliasi|terafiliasi|terkait|berhubungan|bersekutu|berbaiat|setia)\s+(?:dengan|kepada|pada)\s+$"
                              r"|\b(?:afiliasi|sayap|cabang|affiliate of|affiliated with|linked to|loyal to)\s+$", re.IGNORECASE)
#: Right before an event's name: the sentence tells what happened after (or before) it.
_AFTER_BEFORE_RE = re.compile(r"\b(?:setelah|sesudah|usai|seusai|pasca|selepas|sejak|sebelum|menyusul|after|before)\s+$",
                              re.IGNORECASE)
#: "di lokasi kejadian", "TKP": the place of the event just reported.
_SCENE_RE = re.compile(r"\b(?:lokasi kejadian|tempat kejadian|TKP|lokasi serangan|lokasi ledakan)\b", re.IGNORECASE)
#: Right after a place: the place is where a statement was made.
_SPOKEN_AT_RE = re.compile(r"\s*,?\s*(?:(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)(?:\s*\([\d/]+\))?\s*,\s*)?"
                           r"(?:mengatakan|menyatakan|menjelaskan|menegaskan|menuturkan|mengungkapkan|menyebut)\b")
#: Right after a place that follows "dari": a journey's start ("kereta ... dari Quetta menuju Peshawar").
_ROUTE_ON_RE = re.compile(r"\s+(?:menuju|ke arah|dengan tujuan|tujuan|to)\b")
# "Kontak tembak terjadi dua hari setelah seorang tukang ojek tewas ditembak ... Minggu (6/7/2025)": the date
# after the connector is the earlier event's, and so is the sentence's event.
_INTERVAL_BEFORE_RE = re.compile(
    r"\b(?:se(?:hari|minggu|pekan|bulan)|(?:\d+|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa)"
    r"\s+(?:jam|hari|pekan|minggu|bulan))\s+(?:setelah|sesudah|sebelum|usai)\s", re.IGNORECASE)
#: "serangan balasan", "membalas": a retaliation strikes elsewhere than the attack the story was at.
_RETALIATION_RE = re.compile(r"\S*(?:\s+\S+){0,2}?\s*\S*balas", re.IGNORECASE)
#: A place named this many sentences back is still "the place of the narrative".
_NARRATIVE_PLACE_SENTENCES = 3


@dataclass
class SentenceFacts:
    """What one sentence says, with offsets relative to the sentence."""

    index: int
    text: str
    folded: str  # padded_scan_form(text), cut from the article's
    triggers: list[PhraseMatch[Trigger]]
    actors: list[PhraseMatch[Actor]]
    places: list[tuple[ToponymMention, Location]]
    unresolved: list[ToponymMention]
    dates: list
    cues: dict[str, list[PhraseMatch]]

    @property
    def is_heading(self) -> bool:
        """Short line without closing punctuation ("Serangan massa", "Pasca serangan")."""
        stripped = self.text.strip()
        if stripped.endswith((".", "!", "?", '"', "”")):
            return False
        words = stripped.split()
        # "KKB Serang Pendulang Emas di Yahukimo, 7 Orang Tewas": a headline in title case; the article's
        # first line without a full stop is its title ("Pimpinan MIT Ali Kalora tewas dalam kontak tembak ...").
        return (len(words) < _HEADING_MAX_WORDS or (self.index == 0 and len(words) <= _TITLE_MAX_WORDS)
                or sum(w[0].isupper() or w[0].isdigit() for w in words) >= 0.6 * len(words))


@dataclass
class Event:
    """An event while it is being built (converted to a table row at the end)."""

    event_id: str
    sentence_index: int
    date: EventDate
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc_actors: list[str]
    location: Location | None
    location_as_written: str | None
    fatalities: int | None
    injuries: int | None
    evidence: str
    article: Article
    published: dt.date | None
    published_from: str | None
    extra_evidence: list[str] = field(default_factory=list)
    #: Actors its sentence names as killed or wounded, or only as a source ("kata pejabat AS"): never its perpetrator.
    bystanders: frozenset[str] = frozenset()
    #: actor1 is an armed group or force (militia, rebel, state force).
    actor1_armed: bool = False
    #: Coded from a weak word (a bare "serangan"): a later sentence may say what kind of attack it was.
    weak_trigger: bool = False
    #: The last sentence that told something about it (its own, or a follow-up's).
    last_sentence: int = -1

    def __post_init__(self) -> None:
        self.last_sentence = max(self.last_sentence, self.sentence_index)


def _cues_before(facts: SentenceFacts, kind: str, trigger: PhraseMatch, window: int) -> list[PhraseMatch]:
    """Cues of ``kind`` ending before the trigger with at most ``window`` words in between."""
    return [cue for cue in facts.cues[kind]
            if cue.end <= trigger.start and len(facts.text[cue.end: trigger.start].split()) <= window]


def _is_modal(facts: SentenceFacts, trigger: PhraseMatch) -> bool:
    """A threat, plan, denial, conditional, opinion or habit governs the trigger."""
    if _cues_before(facts, "habitual", trigger, MODALITY_WINDOW) or _cues_before(facts, "non_event", trigger, MODALITY_WINDOW):
        return True
    # "Dalam beberapa bulan terakhir, ...": a habit that opens the sentence frames all of it.
    if any(c.end <= trigger.start and len(facts.text[: c.start].split()) <= 2 for c in facts.cues["habitual"]):
        return True
    # "menyatakan akan segera melancarkan operasi darat ...": a plan or threat governs its whole clause.
    if any(c.text.lower() in _PLAN_CUES and c.end <= trigger.start and not _PLAN_BREAK_RE.search(facts.text[c.end: trigger.start])
           and len(facts.text[c.end: trigger.start].split()) <= 2 * MODALITY_WINDOW for c in facts.cues["non_event"]):
        return True
    if any(c.start <= trigger.start < c.end for c in facts.cues["purpose"]):
        return True  # "untuk mengamankan jalannya aksi" secures a protest; it arrests nobody
    if any(_cue_after_in_clause(facts.text, trigger, c, 3 if kind == "habitual" else None)
           and not (kind == "habitual" and _SUPERLATIVE_RE.search(facts.text, trigger.end, c.start))
           for kind in ("habitual", "purpose", "commentary", "many_places") for c in facts.cues[kind]):
        return True  # "pertempuran ... terus berkecamuk", "dikerahkan untuk mengamankan", "... menambah panjang daftar"
    # "Ini merupakan serangan langsung kedua ...": the sentence comments on an event already reported.
    if any(c.end <= trigger.start and not facts.text[: c.start].strip() for c in facts.cues["commentary"]):
        return True
    # "... menambah panjang daftar pembantaian": the trigger names what the comment lists.
    if _cues_before(facts, "commentary", trigger, 2):
        return True
    # "Nasser adalah komandan Hizbullah ... yang tewas dalam serangan": who someone is, not what happened.
    copula = _COPULA_RE.match(facts.text)
    if copula and copula.end() <= trigger.start and not any(t.start < copula.end() for t in facts.triggers):
        return True
    # "Gempuran Kamis merupakan balasan atas ...": the event is the subject of a comment, reported elsewhere.
    if _SUBJECT_OF_COPULA_RE.match(facts.text, trigger.end):
        return True
    # "menyebut penyerbuan parlemen sebagai pengkhianatan": the event is characterised, reported elsewhere.
    if _CHARACTERISED_BEFORE_RE.search(facts.text, max(0, trigger.start - 60), trigger.start) \
            and _CHARACTERISED_AFTER_RE.match(facts.text, trigger.end):
        return True
    if any(c.end <= trigger.start and c.text.lower() in _CONDITIONALS for c in facts.cues["non_event"]):
        return True
    words_before = facts.text[: trigger.start].split()
    return bool(words_before) and words_before[-1].lower() in _NEGATIONS


def _cue_after_in_clause(sentence: str, trigger: PhraseMatch, cue: PhraseMatch, near: int | None) -> bool:
    """``cue`` follows ``trigger`` within ``near`` words, or within its clause (8 words, no clause break)."""
    if cue.start < trigger.end:
        return False
    between = sentence[trigger.end: cue.start]
    words = len(between.split())
    return (near is not None and words <= near) or (words <= 8 and not _CLAUSE_BREAK_RE.search(between))


def _is_reference(facts: SentenceFacts, trigger: PhraseMatch) -> bool:
    """The trigger names an earlier event: "mengutuk serangan", "di balik serangan", "serangan udara AS sebelumnya",
    "750 tentara yang dikerahkan" (a passive verb in a relative clause describes, it does not report)."""
    if _cues_before(facts, "reference", trigger, MODALITY_WINDOW):
        return True
    if _voice(trigger) == "passive" and re.search(r"\byang\s+$", facts.text[: trigger.start]):
        return True
    # "... sebelumnya" right after the trigger, unless it is part of a date ("sehari sebelumnya").
    return any(cue.start >= trigger.end and len(facts.text[trigger.end: cue.start].split()) <= 3
               and not any(d.start <= cue.start < d.end for d in facts.dates)
               for cue in facts.cues["past_reference"])


def _is_aggregate(sentence: str, trigger: PhraseMatch) -> bool:
    """"lebih dari 70 serangan", "ribuan demonstrasi", "melancarkan lebih dari 160 serangan": a count of
    three or more events, not one event."""
    if trigger.text.lower().startswith(_EVENT_NOUNS):
        tokens = tokenize(sentence[: trigger.start])
        for back in range(1, min(3, len(tokens)) + 1):
            parsed = parse_count(tokens, len(tokens) - back)
            if parsed and parsed[1] == back:
                return parsed[0] >= 3
        return False
    # A verb whose object is a count of events.
    next_word = _NEXT_WORD_RE.match(sentence, trigger.end)
    if next_word is None or not (next_word.group(1)[0].isdigit() or next_word.group(1).lower() in _count_openers()):
        return False
    after = tokenize(sentence[trigger.end: trigger.end + 60])
    parsed = parse_count(after, 0) if after else None
    return bool(parsed) and parsed[0] >= 3 and " ".join(t.text for t in after[parsed[1]:]).startswith(_EVENT_NOUNS)


_NEXT_WORD_RE = re.compile(r"\s+(\w+)")


@lru_cache(maxsize=1)
def _count_openers() -> frozenset[str]:
    """Words a count of events can open with ("lebih dari 160", "puluhan", "tiga")."""
    return frozenset({"lebih", "sekitar", "hampir", "sedikitnya", "setidaknya", "more", "over"}
                     | {word for kind in ("unit", "vague") for word in number_words()[kind]})


def _in_aggregate(sentence: str, trigger: PhraseMatch, aggregates: list[PhraseMatch]) -> bool:
    """The trigger is, or closely follows, a count of events ("160 serangan roket dan drone")."""
    return any(a.start <= trigger.start and (trigger.start < a.end or (
        len(sentence[a.end: trigger.start].split()) <= 3 and not _CLAUSE_BREAK_RE.search(sentence[a.end: trigger.start])))
        for a in aggregates)


def _best_trigger(triggers: list[PhraseMatch[Trigger]]) -> PhraseMatch[Trigger] | None:
    """Strongest trigger; ties go to violence over a strategic development ("satu drone ditembak jatuh,
    drone lainnya menghantam pangkalan" is an attack), then the earlier one (the main clause), then the
    longer phrase."""
    if not triggers:
        return None
    best = max(triggers, key=lambda m: (m.value.weight, m.value.event_type != _RESIDUAL_TYPE, -m.start, m.end - m.start))
    if (best.value.event_type, best.value.sub_event_type) == _GENERIC_ATTACK:
        # "merebut Bandara Kavumu setelah pertempuran singkat": a battle that changed who holds the
        # ground is coded as the territorial change (ACLED), when the sentence says so firmly.
        captures = [m for m in triggers if m.value.sub_event_type in _TERRITORY_CHANGES and m.value.weight >= 2]
        if captures:
            return captures[0]
    return best


def _retype(trigger: PhraseMatch[Trigger], sentence: str, folded: str) -> tuple[str, str]:
    """ACLED type after the first applicable rule of ``data/retype_rules.csv``.

    The trigger's own words are not context: "membakar bendera" stays a protest. ``folded`` is the
    sentence's :func:`~geo.phrases.padded_scan_form`.
    """
    blank = " " * (trigger.end - trigger.start)
    context = sentence[: trigger.start] + blank + sentence[trigger.end:]
    folded_context = folded[: trigger.start + 1] + blank + folded[trigger.end + 1:]
    # "menyerbu kawasan bandara": storming is a ground assault, never a strike from afar; so is a clash
    # the trigger itself names ("kontak tembak ... tak jauh dari Bandara Oksibil").
    ground_assault = any(stem in trigger.value.phrase for stem in _GROUND_ASSAULT_STEMS) or (
        trigger.value.event_type == "Battles" and trigger.value.weight >= _EXPLICIT_CLASH_WEIGHT)
    return _first_retype((trigger.value.event_type, trigger.value.sub_event_type), context, folded_context,
                         ground_assault)


def _first_retype(current: tuple[str, str], context: str, folded: str, ground_assault: bool = False) -> tuple[str, str]:
    """``current`` after the first rule of ``data/retype_rules.csv`` whose words occur in ``context``
    (for a ``ground_assault``, no rule that makes it remote violence)."""
    for rule in retype_rules():
        if ground_assault and rule.to_type[0] == _REMOTE_VIOLENCE:
            continue
        if rule.from_type == current and rule.context.occurs(context, folded):
            return rule.to_type
    return current


#: A toll word opening a trigger ("tewas ditembak"): the verb after it carries the voice.
_TOLL_OPENERS = frozenset({"tewas", "gugur", "terluka", "luka", "meninggal", "cedera", "terbunuh"})


def _voice(trigger: PhraseMatch[Trigger]) -> str:
    words = trigger.text.lower().split()
    first = words[1] if len(words) > 1 and words[0] in _TOLL_OPENERS else words[0]
    if _PASSIVE_RE.match(first):
        return "passive"
    if _ACTIVE_RE.match(first):
        return "active"
    return "nominal"


def _possessive(trigger: PhraseMatch[Trigger]) -> bool:
    """"Dalam orasinya", "serangannya": an event noun with "-nya" is the event already told ("menyerangnya"
    is a verb with its object)."""
    written = trigger.text.lower()
    return written.endswith("nya") and not trigger.value.phrase.endswith("nya") and _voice(trigger) == "nominal"


def _collapse_adjacent(sentence: str, actors: list[PhraseMatch[Actor]]) -> list[PhraseMatch[Actor]]:
    """"kelompok milisi Kataib Hizbullah": of two actors a word or two apart, keep the named one; a group
    named only as another's affiliation ("Al-Shabaab yang berafiliasi dengan Al-Qaeda") is no party."""
    kept: list[PhraseMatch[Actor]] = []
    for actor in actors:
        if kept and _AFFILIATE_GATE_RE.search(sentence, max(0, actor.start - 40), actor.start) \
                and _AFFILIATE_OF_RE.search(sentence, max(0, actor.start - 40), actor.start):
            continue
        if kept and len(sentence[kept[-1].end: actor.start].split()) <= 1:
            previous = kept[-1]
            if previous.text.lower() in _CROWD_WORDS and actor.value != previous.value:
                kept[-1] = actor  # "massa dua ormas", "massa FPI": whose crowd it was
                continue
            if previous.text[:1].islower() and actor.text[:1].isupper():
                kept[-1] = actor
                continue
            if actor.text[:1].islower() and previous.text[:1].isupper():
                continue
        kept.append(actor)
    return kept


def _assign_actors(facts: SentenceFacts, trigger: PhraseMatch[Trigger]):
    """(actor1, actor2) mentions by the trigger's voice: active, passive or a nominal "serangan X".

    The killed and wounded ("tiga tentara AS tewas", "menewaskan 25 anggota milisi") never act.
    """
    sentence = facts.text
    victims = _victims(facts)
    actors = [a for a in facts.actors if a not in victims]
    actor1, actor2 = _roles(sentence, trigger, actors, facts.cues)
    if actor2 is None and victims:
        actor2 = next((v for v in victims if actor1 is None or v.value != actor1.value), None)
    return actor1, actor2


def _sources(facts: SentenceFacts, window: int = 1) -> list[PhraseMatch[Actor]]:
    """Actors named only as the source of the report: "..., kata pejabat AS", "menurut militer Israel"
    (``window`` words may stand between: "menurut Kementerian Kesehatan Houthi" with 2)."""
    return [actor for actor in facts.actors
            if any(cue.end <= actor.start and len(facts.text[cue.end: actor.start].split()) <= window
                   and cue.start > 0 for cue in facts.cues["reporting"])]


def _victims(facts: SentenceFacts) -> list[PhraseMatch[Actor]]:
    """Actors just before "tewas"/"terluka" or just after "menewaskan"/"melukai"."""
    victims = []
    for actor in facts.actors:
        for cue in facts.cues["fatality"] + facts.cues["injury"]:
            if cue.start >= actor.end and len(facts.text[actor.end: cue.start].split()) <= 1 \
                    and not cue.text.lower().startswith("me"):  # "KKB menewaskan ...", "KKB menembak mati ...": the killer
                victims.append(actor)
                break
            if (actor.start >= cue.end and cue.text.lower().startswith("me")
                    and len(facts.text[cue.end: actor.start].split()) <= 3):
                victims.append(actor)
                break
    return victims


def _roles(sentence: str, trigger: PhraseMatch[Trigger], actors: list[PhraseMatch[Actor]], cues):
    """(actor1, actor2) among ``actors`` by the trigger's voice."""
    before = [a for a in actors if a.end <= trigger.start]
    after = [a for a in actors if a.start >= trigger.end]
    by_agent = [a for a in after if _has_agent(sentence, trigger, [a])]
    # "ke kedutaan AS", "penyerangan kedutaan AS": a facility named after the trigger is what was hit.
    targets = [a for a in after if a not in by_agent and (_TARGET_RE.search(sentence[trigger.end: a.start])
                                                          or _FACILITY_START_RE.match(a.text))]
    voice = _voice(trigger)
    if trigger.value.event_type == "Strategic developments" and voice == "passive":
        # "100 Marinir AS ... dikerahkan": the deployed (or arrested, or agreeing) party is the subject.
        actor1 = before[-1] if before else (after or [None])[0]
        actor2 = (by_agent or [None])[0]
    elif voice == "passive":
        actor1 = (by_agent or after or [None])[0]
        actor2 = before[-1] if before else None
    elif voice == "active":
        actor1 = before[-1] if before else (by_agent or [None])[0]
        actor2 = (targets or [a for a in after if a is not actor1] or [None])[0]
    else:
        right_after = [a for a in after if len(sentence[trigger.end: a.start].split()) <= 2 and a not in targets]
        actor1 = (by_agent or right_after or ([before[-1]] if before else []) or [None])[0]
        actor2 = (targets or [a for a in after if a is not actor1] or [None])[0]
        if actor2 is None and trigger.value.event_type == "Battles" and before and before[-1] is not actor1:
            actor2 = before[-1]  # "polisi Kenya ... tewas dalam baku tembak dengan geng Gran Grif": the other side
        if actor1 is None:
            actor1 = _blamed_or_claimant(cues, actors, actor2)
    return actor1, actor2


def _role_trigger(facts: SentenceFacts, trigger: PhraseMatch[Trigger]) -> PhraseMatch[Trigger]:
    """The trigger whose voice decides who acted: the event's verb ("diserang dengan roket"), not its weapon noun."""
    if _voice(trigger) != "nominal" or _has_agent(facts.text, trigger, facts.actors):
        return trigger
    # Verbs in a relative clause ("pangkalan yang diduduki AS") describe something else.
    verbs = [t for t in facts.triggers if _voice(t) != "nominal" and not _is_modal(facts, t)
             and not re.search(r"\byang\s+$", facts.text[: t.start])]
    return verbs[0] if verbs else trigger


def _has_agent(sentence: str, trigger: PhraseMatch, actors: list[PhraseMatch[Actor]]) -> bool:
    """"rudal yang dilancarkan oleh X": the trigger names its own agent."""
    return any(a.start >= trigger.end and _AGENT_GAP_RE.match(sentence[trigger.end: a.start])
               and _AGENT_RE.search(sentence[trigger.end: a.start]) for a in actors)


def _blamed_or_claimant(cues, actors: list[PhraseMatch[Actor]], actor2) -> PhraseMatch[Actor] | None:
    """An armed group the sentence blames ("menyalahkan Kataib Hezbollah") or that claims the attack
    ("Perlawanan Islam Irak mengatakan serangan ...")."""
    armed = [a for a in actors if a is not actor2 and a.value.type in _ARMED_TYPES]
    for cue in cues["blame"]:
        blamed = next((a for a in armed if 0 <= a.start - cue.end <= 3), None)
        if blamed is not None:
            return blamed
    return next((a for a in armed if any(0 <= c.start - a.end <= 2 for c in cues["reporting"])), None)


def _actor_names(trigger_type: str, actors: list[PhraseMatch[Actor]], actor1, actor2) -> tuple[str | None, str | None, list[str]]:
    """Canonical names; for crowd events ACLED codes the crowd as actor1 and the intervening force as actor2.

    A protest's actor1 is its crowd ("Protesters"; the organising groups are associated actors); a riot's is
    a named militia or mass organisation when one rioted, else "Rioters", as ACLED does.
    """
    name1 = actor1.value.canonical if actor1 else None
    name2 = actor2.value.canonical if actor2 else None
    if trigger_type in _CROWD_ACTOR:
        crowd_types = {"protesters"} if trigger_type == "Protests" else {"protesters", "militia"}
        named = [a.value for a in actors if a.value.type in crowd_types]
        crowd = named[0].canonical if named else _CROWD_ACTOR[trigger_type]
        if crowd != name1:
            # The force that intervened is actor2; a group that marched with the crowd is associated.
            others = [a.value.canonical for a in (actor1, actor2) if a and a.value.canonical != crowd
                      and a.value.canonical not in _CROWD_ACTOR.values() and a.value.canonical != "Civilians"
                      and a.value.type not in {"protesters", "militia"}]
            name1, name2 = crowd, (others[0] if others else None)
    if name2 == name1:
        name2 = None
    assoc = sorted({a.value.canonical for a in actors} - {name1, name2, None})
    return name1, name2, assoc


class ArticleExtractor:
    """Extracts the events of one article; holds the article-level context while doing so."""

    def __init__(self, article: Article, geocoder: GeocoderChain):
        self.article = article
        self.geocoder = geocoder
        self.cleaned = clean_text(article.text)
        self.text_hash = article.content_hash[:12]  # part of every event id; hashed once per article
        self.published, self.published_from = self._publication_date()

    def _publication_date(self) -> tuple[dt.date | None, str | None]:
        from_metadata = parse_published(self.article.published)
        if from_metadata:
            return from_metadata, "metadata"
        from_text = infer_published(self.cleaned.text)
        return (from_text, "text") if from_text else (None, None)

    # -- places and actors ----------------------------------------------------
    def _place_or_actor(self, text: str, toponyms: list[ToponymMention], actors: list[PhraseMatch[Actor]], folded: str):
        """Decide for each name whether it is a place or an actor here.

        "Amerika Serikat membom ..." is an actor; "di Irak", "di Suriah dan Irak" places;
        "Kedubes AS" an actor whose "AS" is no place; "Kedutaan Besar AS di Baghdad" a
        place (the longer name) while its "Kedutaan Besar AS" stays an actor and its
        "Baghdad" does not; "pangkalan militer Irak" names a place in Iraq. Outlet names
        are neither.
        """
        outlets = [(m.start, m.end) for m in outlet_matcher().find(text, folded=folded)]
        named = [m.span() for m in gated_finditer(_NOT_A_PLACE_GATE, _NOT_A_PLACE_RE, text)]
        outlets += named
        in_outlet = _occupancy(len(text), outlets)
        # A gazetteer entry for the whole street or organisation name ("Jalan MH Thamrin") is a place.
        whole_names = {start for start, _ in named}
        actor_at = _owners(len(text), actors)
        places: list[ToponymMention] = []
        for mention in toponyms:
            if any(in_outlet[mention.start: mention.end]) and mention.start not in whole_names:
                continue
            overlapping = {id(a): a for a in actor_at[mention.start: mention.end] if a is not None}.values()
            longest_actor = max(overlapping, key=lambda a: a.end - a.start, default=None)
            if longest_actor is None or (mention.end - mention.start) > (longest_actor.end - longest_actor.start) or self._locative(text, mention.start, places) or (
                (mention.start, mention.end) != (longest_actor.start, longest_actor.end)
                and _FACILITY_RE.search(text[max(0, longest_actor.start - 30): longest_actor.start])
            ):
                places.append(mention)
        place_at = _owners(len(text), places)
        kept_actors = [a for a in actors if not self._actor_is_place(a, place_at[a.start])]
        known = [(m.start, m.end) for m in toponyms] + [(a.start, a.end) for a in actors] + outlets
        places.extend(self._unknown_places(text, known))
        return places, kept_actors

    @staticmethod
    def _locative(text: str, start: int, places_before: list[ToponymMention]) -> bool:
        """"di X", "ke X", or X coordinated with / in apposition to the place just before it."""
        if _LOCATIVE_RE.search(text[max(0, start - 30): start]) or _AFTER_STREET_RE.search(text, max(0, start - 60), start):
            return True
        previous = places_before[-1] if places_before else None
        return previous is not None and previous.end <= start and bool(_COORDINATION_RE.match(text[previous.end: start]))

    @staticmethod
    def _actor_is_place(actor: PhraseMatch[Actor], place: ToponymMention | None) -> bool:
        """An actor alias used as a place: a bare country/city name after "di", or inside a longer place name
        (a metonym, or a civilian word)."""
        if place is None or actor.end > place.end:
            return False
        if (actor.start, actor.end) == (place.start, place.end) or actor.value.type == "civilians":
            return True  # ... or a word of the name: the "pengungsi" of "kamp pengungsi Jenin"
        return any(found.kind in _METONYM_KINDS for found in get_gazetteer().candidates(normalize_name(actor.text)))

    def _unknown_places(self, text: str, known: list[tuple[int, int]]) -> list[ToponymMention]:
        """Capitalised names after "di"/"ke"/"desa" ... that no gazetteer knows: kept, to be reported as unresolved."""
        blocked = not_place_words()
        covered = _occupancy(len(text), known)
        found = []
        for match in gated_finditer(_UNKNOWN_PLACE_GATE, _UNKNOWN_PLACE_RE, text):
            start, end = match.span(1)
            name = match.group(1)
            if any(covered[start:end]) or normalize_name(name) in blocked:
                continue
            found.append(ToponymMention(start, end, name, normalize_name(name)))
        return found

    def _geocode(self, mentions: list[ToponymMention], text: str):
        """Geocode with the article's countries as context; obscure far-away villages are ordinary words."""
        first_pass: dict[str, Location | None] = {}
        for mention in reversed(mentions):  # once per name; the last spelling is the one asked
            if mention.norm not in first_pass:
                first_pass[mention.norm] = self.geocoder.geocode(mention.written)
        context = frozenset(loc.country for loc in first_pass.values() if loc and loc.country and loc.source != "geonames")
        resolved, unresolved = [], []
        in_context: dict[str, Location | None] = {}
        for mention in mentions:
            location = first_pass[mention.norm]
            # The context only re-ranks candidates: nothing found stays nothing, and a winner in a context
            # country stays the winner.
            if location is not None and context and location.country not in context:
                if mention.norm not in in_context:
                    in_context[mention.norm] = self.geocoder.geocode(mention.written, context)
                location = in_context[mention.norm]
            if location is not None and location.geo_precision < _BROAD_PRECISION \
                    and _REGION_WORD_RE.search(text, max(0, mention.start - 20), mention.start):
                # "di wilayah Sagaing", "negara bagian Al Jazirah": the region named after its town.
                location = location._replace(geo_precision=_BROAD_PRECISION)
            offset = offset_before(text, mention.start) if location is not None and location.kind != "country" else None
            if offset is not None:  # "sekitar 70 kilometer di utara Khartoum": not Khartoum itself
                location = shifted(location, *offset)
            if location is not None and location.kind == "country" and (
                    _NATIONALITY_RE.search(text, max(0, mention.start - 20), mention.start)
                    or _EMBASSY_OF_RE.search(text, max(0, mention.start - 80), mention.start)):
                continue  # a nationality, or whose embassy it is: not a place
            if location is not None and _starts_a_name(text, mention):
                continue  # "Khalil Rahman Haqqani", "Israel Katz": a person, not Hebron or Israel
            if location is not None and location.kind == "city" and normalize_name(location.name) in capital_names() \
                    and (_CAPITAL_ACTS_RE.match(text, mention.end) and not _LOCATIVE_RE.search(text, max(0, mention.start - 12), mention.start)
                         or _CAPITAL_AGENT_BEFORE_RE.search(text, max(0, mention.start - 16), mention.start)):
                continue  # "Bangkok merespons dengan ...", "Phnom Penh membantah": the government, not the city
            if _AGE_AFTER_RE.match(text, mention.end):
                continue  # "Paulus Oki (69)": a person with their age, not the regency OKI
            if location is None:
                unresolved.append(mention)
            elif location.source == "geonames" and location.country not in context and not (
                _population(location) >= MIN_GEONAMES_POPULATION and _LOCATIVE_RE.search(text[max(0, mention.start - 30): mention.start])
            ):
                continue
            elif (location.source == "geonames" and _part_of_longer_name(text, mention)) \
                    or _PLACE_HEAD_BEFORE_RE.search(text, max(0, mention.start - 12), mention.start):
                unresolved.append(mention)  # "Tanah Abang" is not the village "Abang"; "Parigi Moutong" not "Parigi"
            else:
                resolved.append((mention, location))
        misplaced = _misplaced_in_apposition(text, resolved)
        # "warga Bangkal" after "Desa Bangkal, Kabupaten Seruyan": the village in Seruyan, not its namesake.
        inside = {mention.norm: container for mention, container in misplaced.items() if container is not None}
        kept = []
        for mention, location in resolved:
            if mention in misplaced:
                continue
            if mention.norm in inside and location.source == "geonames":
                container = inside[mention.norm]
                if container.geo_precision >= _BROAD_PRECISION:
                    unresolved.append(mention)
                    continue
                location = container
            kept.append((mention, location))
        return kept, sorted(unresolved + list(misplaced), key=lambda m: m.start)

    # -- sentences ----------------------------------------------------------
    def _sentence_facts(self) -> list[SentenceFacts]:
        """Everything is matched once over the whole text, then handed to its sentence."""
        text = self.cleaned.text
        folded = padded_scan_form(text)  # folded once, scanned by every matcher
        triggers = trigger_matcher().find(text, prefer=lambda m: (m.value.weight, m.end - m.start), folded=folded)
        if not triggers:
            return []  # no conflict word at all (most of a news desk's articles): nothing more to read
        place_mentions, actors = self._place_or_actor(text, find_toponyms(text, folded=folded),
                                                      actor_matcher().find(text, folded=folded), folded)
        places, unresolved = self._geocode(place_mentions, text)
        spans = self.cleaned.sentences
        triggers_in = _by_sentence(triggers, spans)
        actors_in = _by_sentence(actors, spans)
        places_in = _by_sentence(places, spans, key=lambda pair: pair[0])
        unresolved_in = _by_sentence(unresolved, spans)
        dates_in = _by_sentence(find_dates(text, folded=folded), spans)
        cues_in = _by_sentence(cue_matcher().find(text, longest=False, folded=folded), spans)
        facts = []
        for index, (start, end) in enumerate(spans):
            sentence = text[start:end]
            cues: dict[str, list[PhraseMatch]] = _Cues()
            for cue in cues_in[index]:
                for kind in cue.value:
                    cues.setdefault(kind, []).append(cue)
            facts.append(SentenceFacts(
                index=index, text=sentence, folded=f" {folded[start + 1: end + 1]} ", triggers=triggers_in[index],
                actors=_collapse_adjacent(sentence, actors_in[index]),
                places=places_in[index], unresolved=unresolved_in[index], dates=dates_in[index], cues=cues,
            ))
        return facts

    def _sentence_date(self, facts: SentenceFacts, anchor: int, narrative: EventDate | None) -> EventDate | None:
        """The date nearest ``anchor`` in the sentence (None if the sentence has none)."""
        usable = [d for d in facts.dates if not d.reporting]
        if not usable:
            return None
        # A date stated outright ("pada hari Rabu") beats one relative to the narrative ("sehari
        # sebelumnya" usually dates a side clause); among equals the one nearest the trigger wins.
        # A vague "dalam beberapa bulan terakhir" yields to a stated day in the same sentence.
        nearest = min(usable, key=lambda d: (d.kind == "undated", d.kind in _NARRATIVE_KINDS,
                                             min(abs(d.start - anchor), abs(d.end - anchor))))
        if nearest.kind in _NARRATIVE_KINDS and narrative is not None and narrative.precision != "day":
            return narrative  # "beberapa jam kemudian" after "bulan lalu": still only the month is known
        return resolve(nearest, self.published, narrative.as_date() if narrative else None)

    @staticmethod
    def _best_place(facts: SentenceFacts, anchor: int, narrative) -> tuple[ToponymMention, Location] | None:
        """A place in the trigger's own clause first ("... di Irak utara, beberapa jam setelah serangan di
        Ankara" is in Iraq); then the most specific (site, town, district, country), the narrative's
        country, and the nearest to the trigger."""
        # "jet tempur yang lepas landas dari Pangkalan Akrotiri": where a strike came from is not where it hit.
        # ... nor is where a spokesman spoke ("Kombes Iqbal di Timika, Sabtu, mengatakan").
        places = [pair for pair in facts.places if not _ORIGIN_RE.search(facts.text, max(0, pair[0].start - 40), pair[0].start)
                  and not _SPOKEN_AT_RE.match(facts.text, pair[0].end)
                  and not (facts.text.endswith("dari ", 0, pair[0].start) and _ROUTE_ON_RE.match(facts.text, pair[0].end))]
        if len(places) < 2:
            return places[0] if places else None
        narrative_country = narrative[1][1].country if narrative else None
        clause_start, clause_end = _clause_around(facts.text, anchor)
        return min(places, key=lambda pair: (not clause_start <= pair[0].start < clause_end,
                                                   pair[1].geo_precision, pair[1].kind in {"city", "town", "village"},
                                                   pair[1].country != narrative_country,
                                                   not (_IN_PLACE_RE.search(facts.text, max(0, pair[0].start - 30), pair[0].start)
                                                        or _IN_SITE_OF_RE.search(facts.text, max(0, pair[0].start - 50), pair[0].start)),
                                                   abs(pair[0].start - anchor)))

    def events(self) -> list[Event]:
        """All events of the article, in text order."""
        all_facts = self._sentence_facts()
        self.main_country = _main_country(all_facts)
        events: list[Event] = []
        narrative: EventDate | None = None
        narrative_set = -1  # the sentence that stated it
        news: EventDate | None = None  # the latest date within the weeks before publication
        narrative_place: tuple[int, tuple[ToponymMention, Location]] | None = None
        for facts in all_facts:
            trigger = self._pick_trigger(facts)
            date = self._sentence_date(facts, trigger.start if trigger else 0, narrative)
            place = self._best_place(facts, trigger.start if trigger else 0, narrative_place)
            # "23.000 tewas sejak perang dimulai": a running total, not this event's toll.
            near_event = trigger is not None or (events and facts.index - events[-1].sentence_index <= _ANAPHORA_SENTENCES)
            casualties = NO_CASUALTIES if not near_event or _CUMULATIVE_RE.search(facts.text) \
                else read_casualties(facts.text, facts.cues)
            # ("Tak lama setelah serangan itu, jet tempur Rusia melancarkan serangan udara": a new event after the old one.)
            anaphoric = any(_ANAPHORA_RE.match(facts.text[t.end:]) for t in facts.triggers
                            if t is trigger or not _AFTER_BEFORE_RE.search(facts.text, max(0, t.start - 20), t.start)) \
                or bool(_RESTATEMENT_RE.match(facts.text)) or (trigger is not None and _possessive(trigger)) \
                or (date is None and place is None and bool(_SEQUEL_RE.match(facts.text)))
            # "Penembakan itu ..." may point further back than a sentence without any trigger.
            reach = _ANAPHORA_SENTENCES if anaphoric else _FOLLOW_UP_SENTENCES
            recent = events[-1] if events and facts.index - events[-1].last_sentence <= reach else None
            if facts.is_heading:
                pass
            elif (trigger is None or anaphoric or _continues(recent, facts, trigger, date, place)) \
                    and recent is not None and _compatible(date, recent.date):
                _add_follow_up(recent, facts, casualties, place, date, trigger)
                if place is not None and recent.location is not None and place[1].name != recent.location.name \
                        and any(cue.end <= place[0].start and cue.text.lower() in _DEMAND_CUES for cue in facts.cues["non_event"]):
                    # "Dalam orasinya, mereka menuntut pengusutan tewasnya seorang ojol dalam demonstrasi di Jakarta":
                    # a place named in a demand or denial about the event just told; the story stays put.
                    place = None
            elif trigger is not None and self._has_evidence(facts, trigger, date, place, casualties) \
                    and not (_ANAPHORA_RE.match(facts.text[trigger.end:]) and date is None and casualties.fatalities is None):
                # ("Juru bicara Gedung Putih menyebut insiden itu mengerikan": an event reported elsewhere.)
                scene = next((e for e in reversed(events) if e.location is not None and e.location.geo_precision < _BROAD_PRECISION),
                             None) if place is None and _SCENE_RE.search(facts.text) else None
                if scene is not None:  # "mendekati lokasi kejadian": the place of the event reported before
                    place = (ToponymMention(0, 0, scene.location_as_written, ""), scene.location)
                if place is None and narrative_place and facts.index - narrative_place[0] <= _NARRATIVE_PLACE_SENTENCES \
                        and (self.main_country is None or narrative_place[1][1].country == self.main_country.country) \
                        and not _RETALIATION_RE.match(facts.text, trigger.start):
                    place = narrative_place[1]
                # A look back ("saat serangan Hamas pada 7 Oktober" in a February story) dates the sentence
                # right after it, not the whole story: later undated sentences are back at the news.
                current = narrative if news is None or facts.index - narrative_set <= 1 else news
                event = self._event(facts, trigger, date or current or UNDATED, place, casualties)
                strike = next((e for e in reversed(events) if e.event_type == _REMOTE_VIOLENCE), None)
                if (event.event_type, event.sub_event_type) == _GENERIC_ATTACK and strike is not None \
                        and (recent is None or recent.event_type == _RESIDUAL_TYPE) \
                        and trigger.value.weight <= 1 \
                        and not any(a.value.type in _ARMED_TYPES for a in facts.actors if a not in _sources(facts, 2)):
                    # "Gelombang pertama kampanye itu ... menghantam Sanaa" in an air-strike story, no ground force named.
                    event.event_type, event.sub_event_type = strike.event_type, strike.sub_event_type
                if (event.event_type, event.sub_event_type) == _GENERIC_ATTACK and recent is not None:
                    if trigger.value.weight <= 1 and recent.event_type == _REMOTE_VIOLENCE:
                        # "Serangan juga menghantam kota Kryvyi Rih" in a missile-strike story: the same kind of attack.
                        event.event_type, event.sub_event_type = recent.event_type, recent.sub_event_type
                    elif recent.event_type in _CROWD_ACTOR and not any(a.value.type in _ARMED_TYPES for a in facts.actors):
                        # "dua orang tewas dalam bentrokan" in a protest story, no armed group named: a riot.
                        event.event_type, event.sub_event_type = _RIOT
                        if event.actor1 is None:
                            event.actor1 = _CROWD_ACTOR["Riots"]
                if (event.actor1 is None or event.actor1 in _CROWD_ACTOR.values()) and recent is not None \
                        and recent.actor1 is not None and _PRONOUN_RE.search(facts.text[: trigger.start]):
                    event.actor1 = recent.actor1  # "Mereka memanjat ...": the group named just before
                    if recent.actor1_armed and ((event.event_type, event.sub_event_type) == _MOB_VIOLENCE or (
                            (event.event_type, event.sub_event_type) == _RIOT and trigger.value.phrase.startswith(_BURNING_STEMS))):
                        # "kelompok yang sama membakar gedung Puskesmas": arson by an armed group, not a riot.
                        event.event_type, event.sub_event_type = _PROPERTY_DESTRUCTION
                        event.fatalities = casualties.fatalities  # no riot's "0 when unreported"
                events.append(event)
            if events and events[-1].sentence_index != facts.index:
                _credit_claim(events, facts)
            if date is not None and date.value is not None and not _contains(date, narrative):
                # The narrative's current date, at the precision it was stated ("berikutnya" leaves only the month);
                # "tahun ini" does not blur a day the story already has.
                narrative, narrative_set = date, facts.index
                if self._is_recent(date):
                    news = date
            interval = _INTERVAL_BEFORE_RE.search(facts.text)
            earlier = [pair for pair in facts.places if interval is not None and pair[0].start >= interval.end()
                       and pair[1].geo_precision < _BROAD_PRECISION]
            if earlier:  # "... terjadi sembilan hari setelah serangan serupa di Kota Kryvyi Rih": the story turns there
                narrative_place = (facts.index, earlier[-1])
            elif place is not None and place[1].geo_precision < _BROAD_PRECISION:
                narrative_place = (facts.index, place)
        events = _drop_background(_fold_undated_summaries(events), self.published)
        _infer_missing_actors(events)
        return events

    def _is_recent(self, date: EventDate) -> bool:
        """The date lies within the weeks before publication (or the publication date is unknown)."""
        day = date.as_date()
        return self.published is None or day is None or (self.published - day).days <= _NEWS_DAYS

    @staticmethod
    def _pick_trigger(facts: SentenceFacts) -> PhraseMatch[Trigger] | None:
        """The strongest trigger that reports an event (not a threat, plan, denial or habit)."""
        if not facts.triggers:
            return None
        aggregates = [t for t in facts.triggers if _is_aggregate(facts.text, t)]
        # ("Sehari setelah serangan, 24 jenazah dimakamkan": a bare "serangan" after "setelah" names the earlier event.)
        live = [t for t in facts.triggers if not _is_modal(facts, t) and not _in_aggregate(facts.text, t, aggregates)
                and not (t.value.weight <= 1 and (_quoted(facts.text, t.start)
                                                  or _AFTER_BEFORE_RE.search(facts.text, max(0, t.start - 20), t.start)))]
        fresh = [t for t in live if not _is_reference(facts, t)]
        candidates = fresh or live
        dated = [d for d in facts.dates if not d.reporting]
        interval = _INTERVAL_BEFORE_RE.search(facts.text) if dated else None
        if interval is not None and all(d.start >= interval.end() for d in dated):
            candidates = [t for t in candidates if t.start >= interval.end()] or candidates
        top = max((t.value.weight for t in candidates), default=0)
        strongest = [t for t in candidates if t.value.weight == top]
        if dated and len({(t.value.event_type, t.value.sub_event_type) for t in strongest}) > 1:
            # Equally strong triggers of different types: the event is the one the sentence's date belongs to.
            return min(strongest, key=lambda t: min(min(abs(d.start - t.end), abs(t.start - d.end)) for d in dated))
        return _best_trigger(candidates)

    @staticmethod
    def _has_evidence(facts, trigger, date, place, casualties) -> bool:
        """Enough to code an event: a reference or a weak trigger needs a date, a toll or a precise place of its own."""
        own_facts = date is not None or casualties.fatalities is not None or casualties.injuries is not None
        # Words inside a quotation, or in its attribution ('..." kata Fauzi dalam orasinya'), describe;
        # like a reference, they report an event of their own only with their own date or toll.
        if _is_reference(facts, trigger) or _quoted(facts.text, trigger.start) \
                or _ATTRIBUTION_RE.search(facts.text[: trigger.start]):
            return own_facts
        if trigger.value.weight <= 1:
            return own_facts or (place is not None and place[1].geo_precision < _BROAD_PRECISION)
        return True

    def _event(self, facts, trigger, date, place, casualties) -> Event:
        if place is None and facts.unresolved:
            written, location = facts.unresolved[0].written, None
        elif place is None and self.main_country is not None:
            # Nothing named in or near the sentence: the country the article is about, at country precision.
            written, location = None, self.main_country
        else:
            written = place[0].written if place else None
            location = place[1] if place else None
        if location is not None and location.country is None and self.main_country is not None:
            # A sea or region spanning countries ("Teluk Aden"): counted under the country the article is about.
            location = location._replace(country=self.main_country.country)
        event_type, sub_event_type = _retype(trigger, facts.text, facts.folded)
        actor1, actor2 = _assign_actors(facts, _role_trigger(facts, trigger))
        if (event_type, sub_event_type) == _GENERIC_ATTACK and actor1 is not None and actor1.value.type in _ARMED_TYPES \
                and actor2 is not None and actor2.value.type == "civilians":
            # "pasukan RSF menyerbu Desa Al-Sireha dan menewaskan 120 warga": a battle needs two armed sides.
            event_type, sub_event_type = _CIVILIAN_ATTACK
        if (event_type, sub_event_type) in {_MOB_VIOLENCE, _RIOT} and actor1 is not None and actor1.value.type in _ARMED_TYPES \
                and trigger.value.phrase.startswith(_BURNING_STEMS):
            # "orang bersenjata membakar gedung sekolah": arson by an armed group, not a riot.
            event_type, sub_event_type = _PROPERTY_DESTRUCTION
        name1, name2, assoc = _actor_names(event_type, facts.actors, actor1, actor2)
        country = location.country if location else (self.main_country.country if self.main_country else None)
        name1, name2 = _national(name1, country), _national(name2, country)
        fatalities = casualties.fatalities
        if fatalities is None and event_type in _ZERO_WHEN_UNREPORTED:
            fatalities = 0
        identity = f"{self.article.id}|{self.text_hash}|{facts.index}|{trigger.start}|{sub_event_type}"
        return Event(
            event_id=hashlib.sha1(identity.encode()).hexdigest()[:16], sentence_index=facts.index,
            date=date, event_type=event_type, sub_event_type=sub_event_type,
            actor1=name1, actor2=name2, assoc_actors=assoc, location=location, location_as_written=written,
            fatalities=fatalities, injuries=casualties.injuries, evidence=facts.text.strip(),
            article=self.article, published=self.published, published_from=self.published_from,
            bystanders=frozenset(a.value.canonical for a in _victims(facts) + _sources(facts)),
            actor1_armed=actor1 is not None and actor1.value.type in _ARMED_TYPES, weak_trigger=trigger.value.weight <= 1,
        )


def _national(name: str | None, country: str | None) -> str | None:
    """"Pasukan pemerintah" in a story set in Syria are Syria's forces."""
    if name != GOVERNMENT_FORCES or country is None:
        return name
    military = national_military(country)
    return military.canonical if military else name


def _quoted(sentence: str, position: int) -> bool:
    """Inside a quotation: "..." / “...” opened and not closed before ``position``, or a quotation
    begun in an earlier sentence and closed after ``position`` ('... hancur," kata Umm Ahmed')."""
    before = sentence[:position]
    if before.count("“") > before.count("”") or before.count('"') % 2 == 1:
        return True
    return bool(_CLOSING_QUOTE_RE.match(sentence, position))


def _clause_around(sentence: str, position: int) -> tuple[int, int]:
    """The clause containing ``position``: cut at "setelah", "sebelum", "sementara", ";" ..."""
    start, end = 0, len(sentence)
    for match in _SUBORDINATE_RE.finditer(sentence):
        if match.end() <= position:
            start = match.start()
        elif match.start() > position:
            end = match.start()
            break
    return start, end


def _contains(coarse: EventDate, fine: EventDate | None) -> bool:
    """``coarse`` is a strictly coarser date that includes ``fine`` ("2024" includes "2024-01-28")."""
    return (fine is not None and fine.value is not None and coarse.value is not None
            and len(coarse.value) < len(fine.value) and fine.value.startswith(coarse.value))


def _compatible(date: EventDate | None, event_date: EventDate) -> bool:
    """A follow-up sentence's date fits its event: none given, the same, or one containing the other."""
    if event_date.value is None:
        return True  # an undated event takes the date a later sentence gives it
    if date is None or date.value is None:
        return True
    return date.value == event_date.value or _contains(date, event_date) or _contains(event_date, date)


def _main_country(all_facts: list[SentenceFacts]) -> Location | None:
    """The country the article's places lie in most often (ties: first named), at country level."""
    counts: dict[str, int] = {}
    for facts in all_facts:
        for _, location in facts.places:
            if location.country:
                counts[location.country] = counts.get(location.country, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda code: counts[code])  # dicts keep first-named order for ties
    return OfflineGeocoder().country(best)


def _credit_claim(events: list[Event], facts: SentenceFacts) -> None:
    """"Al-Shabaab mengklaim bertanggung jawab ...": the claimant is the perpetrator of the latest event a
    few sentences back that names none."""
    if not facts.actors or ("jawab" not in facts.text and "responsib" not in facts.text):
        return  # (most sentences: no regex search)
    claim = _CLAIM_RE.search(facts.text)
    if claim is None:
        return
    claimants = [a for a in facts.actors if a.end <= claim.start() and a.value.type in _ARMED_TYPES]
    if not claimants:
        return
    for event in reversed(events):
        if facts.index - event.last_sentence > _ACTOR_CONTEXT_SENTENCES:
            return
        if event.actor1 is None and claimants[-1].value.canonical != event.actor2:
            event.actor1 = claimants[-1].value.canonical
            return


def _infer_missing_actors(events: list[Event]) -> None:
    """An event whose sentence names no perpetrator ("Sementara di Hudaydah, jet tempur menghantam bandara")
    takes the one of the nearest event of the same type in the article (of the same day if there is one;
    the earlier one on a tie), as a coder reading the whole article would."""
    for event in events:
        if event.actor1 is not None:
            continue
        known = [other for other in events if other.actor1 is not None and other.event_type == event.event_type
                 and other.actor1 != event.actor2 and other.actor1 not in event.bystanders
                 and (other.date.value == event.date.value
                      or abs(other.sentence_index - event.sentence_index) <= _ACTOR_CONTEXT_SENTENCES)]
        if known:
            # Same day first: a different day is more likely a different attack by someone else.
            nearest = min(known, key=lambda other: (other.date.value != event.date.value,
                                                    abs(other.sentence_index - event.sentence_index),
                                                    other.sentence_index > event.sentence_index))
            event.actor1 = nearest.actor1


# Words that open a longer place name: "Puerto Jordan" is no Jordan, "Port Sudan" no Sudan.
_PLACE_HEAD_BEFORE_RE = re.compile(r"\b(?:Puerto|Porto|Port|San|Santa|Santo|São|Fort|Ciudad|Villa|Nueva|Nuevo|Bandar|Kafr|"
                                   r"Beit|Deir|Ras|Wadi|Jabal|Jebel|Bir)\s$")
# A name's particles ("Norte de Santander", "Ain el-Remmaneh") join its words.
_PARTICLE = r"(?:de|del|da|do|dos|das|la|le|el|al|ad|ar|as|ash|an|ul|bin|ibn)"
_CAPITALISED_BEFORE_RE = re.compile(rf"(?:^|[^.!?\n\"“]\s)([A-Z][\w'’-]*)\s(?:{_PARTICLE}\s)?$")
_CAPITALISED_AFTER_RE = re.compile(rf"\s(?:{_PARTICLE}[-\s])?([A-Z][\w'’-]*)")
_CAPITALISED_RUN_RE = re.compile(r"((?:\s[A-Z][\w'’-]*)+)")


def _is_address_gap(gap: str) -> bool:
    """Whether the text between two place names joins them as one address ("X, Kecamatan Y, Z")."""
    if not gap.lstrip().startswith(",") or len(gap) > _ADDRESS_GAP_CHARS:
        return False
    admin_words = _administrative_words()
    return all(word[0].isupper() or word.lower() in admin_words for word in re.split(r"[\s,]+", gap) if word)


@lru_cache(maxsize=1)
def _administrative_words() -> frozenset[str]:
    """One-word generic prefixes that name administrative units: kota, kabupaten, kecamatan, desa ..."""
    return frozenset(prefix for prefix, kind in generic_prefixes() if kind in _ADMINISTRATIVE_KINDS and " " not in prefix)


def _misplaced_in_apposition(text: str, resolved: list[tuple[ToponymMention, Location]]) -> dict[ToponymMention, Location | None]:
    """In "Rampura, Dhaka" or "Sampang, Madura, Jawa Timur" the second name contains the first; when the
    gazetteer puts them far apart, one is a same-named place elsewhere: the smaller one is dropped. A site
    named right before a far place ("Gedung DPR Aceh") is that place's namesake: the site is dropped.
    Maps each dropped mention to the place it was written inside (None when it was the outer name)."""
    wrong: dict[ToponymMention, Location | None] = {}
    for (first, inner), (second, outer) in zip(resolved, resolved[1:]):
        gap = text[first.end: second.start]
        if inner.kind == "site" and gap.isspace() \
                and km_between(inner.lat, inner.lon, outer.lat, outer.lon) > _JUXTAPOSED_SITE_KM:
            wrong[first] = None  # "Gedung DPR Aceh" is Aceh's parliament, not the one in Jakarta
            continue
        if not _is_address_gap(gap):
            continue
        if max(inner.geo_precision, outer.geo_precision) >= _BROAD_PRECISION:
            # "Sampang, Jawa Timur", or the country first: "ibu kota Mali, Bamako"
            contained = inner.country == outer.country or inner.country is None or outer.country is None
        else:
            contained = km_between(inner.lat, inner.lon, outer.lat, outer.lon) <= _APPOSITION_KM
        if not contained:
            dropped = min((first, inner), (second, outer), key=lambda pair: _weight(pair[1]))[0]
            # A GeoNames village written inside a known place is that place's, not the namesake's.
            wrong[dropped] = outer if dropped is first and inner.source == "geonames" else None
    return wrong


def _weight(location: Location) -> int:
    """How much a place is to be believed: curated entries and countries above any GeoNames population."""
    return _population(location) if location.source == "geonames" else 10**12


def _starts_a_name(text: str, mention: ToponymMention) -> bool:
    """A one-word place name followed by capitalised words that are not place words, with no "di"/"ke"
    before it, opens a person's or an organisation's name."""
    if " " in mention.written.strip() or _LOCATIVE_RE.search(text[max(0, mention.start - 30): mention.start]):
        return False
    run = _CAPITALISED_RUN_RE.match(text, mention.end)
    if run is None:
        return False
    # "Poso Pesisir Utara" ends in a direction: a district, not a person.
    place_words = _generic_words() | _NAME_SUFFIX_WORDS
    return not any(word.lower() in place_words for word in run.group(1).split())


def _part_of_longer_name(text: str, mention: ToponymMention) -> bool:
    """A capitalised word glued to the mention, other than a generic word ("Kota", "Desa", "Jalur"),
    makes it part of a longer name the gazetteer does not know ("Tanah Abang", "Parigi Moutong")."""
    before = _CAPITALISED_BEFORE_RE.search(text, max(0, mention.start - 40), mention.start)
    after = _CAPITALISED_AFTER_RE.match(text, mention.end)
    generic = _generic_words()
    return any(match is not None and match.group(1).lower() not in generic for match in (before, after))


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    """Words that may stand next to a place name without being part of it: generic prefixes, directions."""
    return frozenset(word for prefix, _ in generic_prefixes() for word in prefix.split()) | _DIRECTION_WORDS


def _fold_undated_summaries(events: list[Event]) -> list[Event]:
    """Fold an undated event into a dated one of the same type and place in the article.

    A lead or a summary sentence ("Seorang perwira TNI tewas ditembak di Kabupaten Paniai"; "Kali ini,
    sebuah kapal tanker terbakar setelah dihantam rudal di Teluk Aden") restates an event the article
    dates further on; coded apart it would be a second, undated copy of it.
    """
    kept = []
    for event in events:
        if event.date.value is None:
            same = [other for other in events if other.date.value is not None and _may_sum_up(event, other)
                    and _is_news(other) and _same_area(event.location, other.location)
                    and abs(other.sentence_index - event.sentence_index) <= _SUMMARY_SENTENCES]
            if same:
                target = min(same, key=lambda other: abs(other.sentence_index - event.sentence_index))
                _absorb(target, event)
                continue
        kept.append(event)
    return kept


def _may_sum_up(summary: Event, detail: Event) -> bool:
    """The same type; or a bare "serangan" ("korban tewas akibat serangan Rusia terhadap hipermarket") that
    the detail tells as a strike, a battle or an attack on civilians."""
    if summary.event_type == detail.event_type:
        return True
    return summary.weak_trigger and (summary.event_type, summary.sub_event_type) == _GENERIC_ATTACK \
        and detail.event_type in _VIOLENT_TYPES


def _drop_background(events: list[Event], published: dt.date | None) -> list[Event]:
    """Without the events that ended more than ``_BACKGROUND_DAYS`` before ``published``. An undated article
    keeps them all (nothing says how old they are to its reader), and so does a retrospective, whose
    every dated event is that old."""
    if published is None:
        return events
    ends = [e.date.last_day() for e in events]
    old = [end is not None and (published - end).days > _BACKGROUND_DAYS for end in ends]
    if all(is_old for is_old, end in zip(old, ends) if end is not None):
        return events
    return [e for e, is_old in zip(events, old) if not is_old]


def _is_news(event: Event) -> bool:
    """The event happened in the weeks before the article (or the article is undated): what a lead sums up.
    An undated "Serangan Ain al-Assad" in a 2024 article is not the 2020 attack the article recalls."""
    day = event.date.as_date()
    return event.published is None or day is None or 0 <= (event.published - day).days <= _NEWS_DAYS


def _same_area(summary: Location | None, detail: Location | None) -> bool:
    """The summary's place contains or lies near the detailed one (same country when it is broad)."""
    if summary is None or detail is None:
        return True  # one side has no place: the other lends it (see _absorb)
    if summary.geo_precision >= _BROAD_PRECISION:
        return summary.country == detail.country
    return km_between(summary.lat, summary.lon, detail.lat, detail.lon) <= _SUMMARY_KM


def _absorb(event: Event, summary: Event) -> None:
    """What only the summary said (toll, actors) goes to the dated event, with its sentence as evidence."""
    if event.fatalities is None or (event.fatalities == 0 and summary.fatalities):
        event.fatalities = summary.fatalities
    if event.injuries is None:
        event.injuries = summary.injuries
    if event.location is None and summary.location is not None:
        event.location, event.location_as_written = summary.location, summary.location_as_written
    if event.actor1 is None:
        event.actor1 = summary.actor1
    if event.actor2 is None and summary.actor2 != event.actor1:
        event.actor2 = summary.actor2
    event.extra_evidence.append(summary.evidence)


def _continues(recent: Event | None, facts: SentenceFacts, trigger: PhraseMatch[Trigger] | None, date, place) -> bool:
    """A sentence right after an event, with no date or place of its own, that goes on describing it:
    the same type ("Baku tembak berlangsung sekitar 30 menit ...") or a strategic development within it
    ("Satu drone berhasil ditembak jatuh, sementara ..."); or a bare "serangan" at the event's own place
    ("White Helmets melaporkan serangan menghantam permukiman di kota Idlib")."""
    if recent is None or trigger is None or facts.unresolved:
        return False
    if date is None and place is None and trigger.value.event_type == _RESIDUAL_TYPE:
        return True  # "Polisi menangkap 318 orang." a few sentences after a riot: part of it
    if facts.index - recent.last_sentence != 1:
        return False
    if date is None and place is None and recent.weak_trigger and (recent.event_type, recent.sub_event_type) == _GENERIC_ATTACK \
            and trigger.value.event_type == _REMOTE_VIOLENCE:
        return True  # "Serangan terjadi pada Sabtu ... Pesawat Rusia menjatuhkan dua bom udara": how it was done
    if date is not None:
        # "Ledakan terdengar di dekat kedutaan ... pada hari Jumat" after "Kedutaan ... diserang ... pada Jumat pagi".
        return (date.value == recent.date.value and trigger.value.event_type == recent.event_type and place is not None
                and recent.location is not None
                and km_between(place[1].lat, place[1].lon, recent.location.lat, recent.location.lon) <= _SAME_SITE_KM)
    if place is not None:
        same_place = recent.location is not None and place[1].name == recent.location.name
        return same_place and (trigger.value.weight <= 1 or trigger.value.event_type == _RESIDUAL_TYPE)
    return trigger.value.event_type in {recent.event_type, _RESIDUAL_TYPE}


def _add_follow_up(event: Event, facts: SentenceFacts, casualties, place, date: EventDate | None = None,
                   trigger: PhraseMatch[Trigger] | None = None) -> None:
    """A later sentence about the same event: fill in its date, tolls, a missing perpetrator, a more precise place,
    the weapon of a bare "serangan"."""
    changed = False
    if trigger is not None and trigger.value.event_type == _REMOTE_VIOLENCE and event.weak_trigger \
            and (event.event_type, event.sub_event_type) == _GENERIC_ATTACK:
        event.event_type, event.sub_event_type = _retype(trigger, facts.text, facts.folded)
        changed = True
        agent, target = _assign_actors(facts, trigger)  # "pesawat Rusia menjatuhkan ...": who did it
        if event.actor1 is None and agent is not None and agent.value.canonical not in event.bystanders:
            event.actor1 = _national(agent.value.canonical, event.location.country if event.location else None)
        if event.actor2 is None and target is not None and target.value.canonical != event.actor1:
            event.actor2 = target.value.canonical
    if date is not None and date.value is not None and event.date.value is None:
        event.date, changed = date, True
    # Only a country- or province-level place is refined: "dievakuasi ke Nabire" is not where a firefight was.
    if place is not None and event.location is not None and place[1].country == event.location.country \
            and place[1].geo_precision < event.location.geo_precision and event.location.geo_precision >= _BROAD_PRECISION \
            and (event.location.kind == "country"
                 or km_between(place[1].lat, place[1].lon, event.location.lat, event.location.lon) <= _WITHIN_PROVINCE_KM):
        # ("... di Negara Bagian Plateau ... WNI bermukim di Lagos": a town far from the province is not in it.)
        event.location, event.location_as_written, changed = place[1], place[0].written, True
    if casualties.fatalities is not None and (event.fatalities is None or event.fatalities == 0):
        event.fatalities, changed = casualties.fatalities, True
        # The sentence with the toll says how they died: "Aparat menembakkan peluru tajam; tiga orang tewas."
        event.event_type, event.sub_event_type = _first_retype((event.event_type, event.sub_event_type),
                                                               facts.text, facts.folded)
    if casualties.injuries is not None and event.injuries is None:
        event.injuries, changed = casualties.injuries, True
    if event.actor1 is None:
        agents = [a for a in facts.actors if _AGENT_RE.search(facts.text[max(0, a.start - 20): a.start])]
        agent = agents[0] if agents else _blamed_or_claimant(facts.cues, facts.actors, None)
        if agent is not None and agent.value.canonical != event.actor2 and agent.value.canonical not in event.bystanders:
            event.actor1, changed = _national(agent.value.canonical, event.location.country if event.location else None), True
    if changed:
        event.extra_evidence.append(facts.text.strip())
        event.last_sentence = facts.index


def _population(location: Location) -> int:
    place = get_gazetteer().lookup(location.query)
    return place.population if place else 0


class _Cues(dict):
    """A sentence's cue matches by kind; a kind with none gives an empty list (not stored)."""

    def __missing__(self, kind: str) -> list:
        return []


def _occupancy(length: int, spans) -> bytearray:
    """1 at every character covered by one of ``spans``."""
    covered = bytearray(length)
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return covered


def _owners(length: int, mentions: list) -> list:
    """For each character, the (non-overlapping) mention covering it, or None."""
    owner = [None] * length
    for mention in mentions:
        owner[mention.start: mention.end] = [mention] * (mention.end - mention.start)
    return owner


def _by_sentence(items: list, spans: tuple[tuple[int, int], ...], key=None) -> list[list]:
    """Distribute text-level matches to the sentences that contain them, with sentence-relative offsets.

    Items are named tuples starting (start, end, ...) - PhraseMatch, ToponymMention, DateMention -
    or, with ``key``, tuples whose first element is one.
    """
    starts = [start for start, _ in spans]
    buckets: list[list] = [[] for _ in spans]
    new = tuple.__new__
    for item in items:
        mention = item if key is None else key(item)
        index = bisect.bisect_right(starts, mention[0]) - 1
        if index < 0 or mention[1] > spans[index][1]:
            continue  # crosses a sentence boundary (or lies in dropped text)
        offset = starts[index]
        shifted = new(type(mention), (mention[0] - offset, mention[1] - offset, *mention[2:]))
        buckets[index].append(shifted if key is None else (shifted, *item[1:]))
    return buckets


def event_record(event: Event) -> dict:
    """One event as a row with the columns of :data:`geo.schema.EVENT_COLUMNS`."""
    loc = event.location
    article = event.article
    return {
        "event_id": event.event_id,
        "event_date": event.date.value,
        "date_precision": event.date.precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "assoc_actors": event.assoc_actors,
        "location": loc.name if loc else None,
        "location_as_written": event.location_as_written,
        "country": loc.country if loc else None,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "geo_precision": loc.geo_precision if loc else None,
        "geo_source": loc.source if loc else None,
        "fatalities": event.fatalities,
        "fatalities_low": event.fatalities,
        "fatalities_high": event.fatalities,
        "injuries": event.injuries,
        "sources": [article.id],
        "outlets": [article.outlet] if article.outlet else [],
        "urls": [article.url] if article.url else [],
        "evidence": event.evidence,
        "evidence_all": [event.evidence, *event.extra_evidence],
        "article_count": 1,
        "article_published": event.published.isoformat() if event.published else None,
        "published_from": event.published_from,
    }


def extract_article(article: Article, geocoder: GeocoderChain | None = None) -> list[dict]:
    """Event rows of one article. Never raises on odd text: a failure is logged and yields no events."""
    try:
        extractor = ArticleExtractor(article, geocoder or _shared_geocoder())
        return [event_record(e) for e in extractor.events()]
    except RecursionError:  # pragma: no cover - defensive: pathological input
        log.exception("article %s could not be processed", article.id)
        return []


_GEOCODER: GeocoderChain | None = None


def _shared_geocoder() -> GeocoderChain:
    global _GEOCODER
    if _GEOCODER is None:
        _GEOCODER = default_geocoder()
    return _GEOCODER


def extract_records(inputs: Iterable[Article | str | Path], geocoder: GeocoderChain | None = None) -> tuple[list[dict], list[str]]:
    """Event rows for articles or paths, plus the input error messages."""
    articles: list[Article] = []
    paths: list[str | Path] = []
    for item in inputs:
        (articles if isinstance(item, Article) else paths).append(item)
    errors: list[str] = []
    if paths:
        loaded, errors = load_articles(paths)
        articles.extend(loaded)
    rows = []
    for article in articles:
        rows.extend(extract_article(article, geocoder))
    return rows, errors


def extract_events(inputs: Iterable[Article | str | Path], geocoder: GeocoderChain | None = None):
    """Extract events from articles (or files/folders of them) into a GeoDataFrame.

    Parameters
    ----------
    inputs:
        :class:`~geo.articles.Article` objects and/or paths to .txt/.csv/.jsonl files or folders.
    geocoder:
        A geocoder chain; by default the offline one (plus online if ``GEO_ONLINE`` is set).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per event, columns of :data:`geo.schema.EVENT_COLUMNS`, EPSG:4326.
    """
    from geo.export import records_to_frame

    rows, _ = extract_records(inputs, geocoder)
    return records_to_frame(rows)
