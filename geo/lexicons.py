"""The extraction lexicons in ``data/``: triggers, actors, number words, cue words, non-places.

Each loader validates its file (ACLED types against ``data/acled_taxonomy.csv``,
numbers, kinds) and is cached, so a lexicon is read once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from geo.datafiles import read_rows, split_list
from geo.errors import DataFileError
from geo.phrases import PhraseMatch, PhraseMatcher

NUMBER_KINDS = frozenset({"unit", "multiplier", "vague", "qualifier", "none"})
CUE_KINDS = frozenset({"fatality", "injury", "non_event", "habitual", "reporting", "reference", "blame", "past_reference", "undated_recent",
                       "passive_agent", "target_marker",
                       "commentary", "purpose", "many_places"})
NOT_PLACE_KINDS = frozenset({"outlet", "stopword", "metonym"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """An event trigger: its ACLED type and how strongly it signals that type (1-3)."""

    phrase: str
    event_type: str
    sub_event_type: str
    weight: int


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor and what kind of actor it is."""

    canonical: str
    type: str
    affiliation: str | None
    country: str | None


@lru_cache(maxsize=1)
def acled_taxonomy() -> dict[tuple[str, str], str]:
    """(event_type, sub_event_type) -> display colour."""
    rows = read_rows("acled_taxonomy.csv", ["event_type", "sub_event_type", "colour"])
    return {(row["event_type"], row["sub_event_type"]): row["colour"] for row in rows}


@lru_cache(maxsize=1)
def trigger_matcher() -> PhraseMatcher[Trigger]:
    """Matcher over ``data/triggers.csv``; single words also match with the "-nya" suffix."""
    taxonomy = acled_taxonomy()
    rows = read_rows("triggers.csv", ["phrase", "event_type", "sub_event_type", "weight"], {"weight": int})
    entries = []
    for number, row in enumerate(rows, start=2):
        if (row["event_type"], row["sub_event_type"]) not in taxonomy:
            raise DataFileError(f"data/triggers.csv, row {number}: not an ACLED type: {row['event_type']} / {row['sub_event_type']}")
        trigger = Trigger(row["phrase"].lower(), row["event_type"], row["sub_event_type"], int(row["weight"]))
        entries.append((trigger.phrase, trigger))
        if " " not in trigger.phrase:
            entries.append((trigger.phrase + "nya", trigger))
    return PhraseMatcher(entries)


@lru_cache(maxsize=1)
def actor_matcher() -> PhraseMatcher[Actor]:
    """Matcher over every alias in ``data/actors.csv`` (and the canonical names), and every country's
    forces and police in the forms of ``data/state_force_forms.csv`` ("pasukan Kenya", "polisi Haiti")."""
    rows = read_rows("actors.csv", ["canonical", "type"])
    entries = []
    for row in rows:
        actor = Actor(row["canonical"], row["type"], row.get("affiliation") or None, row.get("country") or None)
        for alias in [row["canonical"], *split_list(row.get("aliases"))]:
            entries.append((alias, actor))
    written = {alias.lower() for alias, _ in entries}
    entries.extend((alias, actor) for alias, actor in _state_force_aliases(rows) if alias.lower() not in written)
    return PhraseMatcher(entries)


def _state_force_aliases(actor_rows: list[dict]):
    """(alias, actor) for each country's military and police in the forms of ``data/state_force_forms.csv``."""
    forms = read_rows("state_force_forms.csv", ["form", "force"])
    for country in read_rows("countries.csv", ["iso2", "name"]):
        forces = _national_forces(actor_rows, country["iso2"], country["name"])
        names = {country["name"], *split_list(country.get("aliases"))}
        for form in forms:
            actor = forces.get(form["force"])
            if actor is None:
                raise DataFileError(f"data/state_force_forms.csv: unknown force {form['force']!r}")
            for country_name in names:
                if len(country_name) > 2:  # "AS", "US": too short to stand after a noun unambiguously
                    yield form["form"].replace("{}", country_name), actor


def _national_forces(actor_rows: list[dict], iso2: str, name: str) -> dict[str, Actor]:
    """A country's "military" and "police" actors. A country whose own actor is a state force ("India",
    "Sudanese Armed Forces") keeps it for its military; other forces are "Military forces of Kenya",
    "Police forces of Kenya"."""
    national = [Actor(row["canonical"], row["type"], row.get("affiliation") or None, iso2)
                for row in actor_rows if row["type"] == "state_force" and row.get("country") == iso2]
    own = [a for a in national if a.canonical == name] or national
    return {"military": own[0] if len(own) == 1 else Actor(f"Military forces of {name}", "state_force", None, iso2),
            "police": Actor(f"Police forces of {name}", "state_force", None, iso2)}


@lru_cache(maxsize=256)
def national_military(iso2: str) -> Actor | None:
    """The military of the country ``iso2`` (what "pasukan pemerintah" means in a story set there)."""
    country = next((row for row in read_rows("countries.csv", ["iso2", "name"]) if row["iso2"] == iso2), None)
    if country is None:
        return None
    return _national_forces(read_rows("actors.csv", ["canonical", "type"]), iso2, country["name"])["military"]


def _rows_by_kind(name: str, text_column: str, kinds: frozenset[str], checks: dict | None = None):
    """Yield ``(kind, row)`` for ``data/<name>``, rejecting a kind outside ``kinds`` (file and row named)."""
    for number, row in enumerate(read_rows(name, [text_column, "kind"], checks), start=2):
        if row["kind"] not in kinds:
            raise DataFileError(f"data/{name}, row {number}: unknown kind {row['kind']!r}")
        yield row["kind"], row


@lru_cache(maxsize=1)
def number_words() -> dict[str, dict[str, int | None]]:
    """kind -> {word: value} from ``data/number_words.csv``."""
    table: dict[str, dict[str, int | None]] = {kind: {} for kind in NUMBER_KINDS}
    for kind, row in _rows_by_kind("number_words.csv", "word", NUMBER_KINDS, {"value": int}):
        table[kind][row["word"].lower()] = int(row["value"]) if row["value"] else None
    return table


@lru_cache(maxsize=1)
def cue_words() -> dict[str, frozenset[str]]:
    """kind -> lower-case cue phrases from ``data/cues.csv``."""
    table: dict[str, set[str]] = {kind: set() for kind in CUE_KINDS}
    for kind, row in _rows_by_kind("cues.csv", "cue", CUE_KINDS):
        table[kind].add(row["cue"].lower())
    return {kind: frozenset(words) for kind, words in table.items()}


@lru_cache(maxsize=1)
def cue_matcher() -> PhraseMatcher[frozenset[str]]:
    """Matcher over every cue phrase; the value is the set of kinds the phrase belongs to."""
    kinds_of: dict[str, set[str]] = {}
    for kind, cues in cue_words().items():
        for cue in cues:
            kinds_of.setdefault(cue, set()).add(kind)
    return PhraseMatcher((cue, frozenset(kinds)) for cue, kinds in sorted(kinds_of.items()))


def find_cues(text: str, folded: str | None = None) -> dict[str, list[PhraseMatch[frozenset[str]]]]:
    """Cue matches in ``text`` by kind (overlapping matches all kept)."""
    by_kind: dict[str, list[PhraseMatch[frozenset[str]]]] = {kind: [] for kind in CUE_KINDS}
    for match in cue_matcher().find(text, longest=False, folded=folded):
        for kind in match.value:
            by_kind[kind].append(match)
    return by_kind


@lru_cache(maxsize=1)
def not_places() -> dict[str, frozenset[str]]:
    """kind (outlet, stopword, metonym) -> texts from ``data/not_places.csv``."""
    table: dict[str, set[str]] = {kind: set() for kind in NOT_PLACE_KINDS}
    for kind, row in _rows_by_kind("not_places.csv", "text", NOT_PLACE_KINDS):
        table[kind].add(row["text"])
    return {kind: frozenset(texts) for kind, texts in table.items()}


@dataclass(frozen=True, slots=True)
class RetypeRule:
    """Re-type a generic trigger by what else the sentence says (``data/retype_rules.csv``)."""

    from_type: tuple[str, str]
    to_type: tuple[str, str]
    context: PhraseMatcher[str]


@lru_cache(maxsize=1)
def retype_rules() -> tuple[RetypeRule, ...]:
    """The re-typing rules, in file order (the first that applies wins)."""
    taxonomy = acled_taxonomy()
    rules = []
    columns = ["from_event_type", "from_sub_event_type", "context", "to_event_type", "to_sub_event_type"]
    for number, row in enumerate(read_rows("retype_rules.csv", columns), start=2):
        source = (row["from_event_type"], row["from_sub_event_type"])
        target = (row["to_event_type"], row["to_sub_event_type"])
        for pair in (source, target):
            if pair not in taxonomy:
                raise DataFileError(f"data/retype_rules.csv, row {number}: not an ACLED type: {pair}")
        rules.append(RetypeRule(source, target, PhraseMatcher((w, w) for w in split_list(row["context"]))))
    return tuple(rules)


@lru_cache(maxsize=1)
def outlet_matcher() -> PhraseMatcher[str]:
    """Matcher over news-organisation names: never places ("New York Times", "TEMPO.CO")."""
    return PhraseMatcher((name, "outlet") for name in sorted(not_places()["outlet"]))
