"""The whole list entry: the entities a published text names, the list it is on (in words),
whether it is still in force, and when two listings name the same entity.

A CBP Withhold Release Order or Finding often names several entities in one sentence
("Fuchu Prison; Union Kogyo Co., Ltd."; "A Co., Ltd. and B Co., Ltd. and their
subsidiaries"). Screened as one name, each component scores far below its own listing, so
``split_entities`` takes the text apart into the names a supplier would carry. It splits
only between two complete names (each ending in a legal form or a word that says what the
place is: Prison, Farm, Carpet, Factory, Works, Group...), so "Wang Tsang Coal and Iron
Factory" and "Agriculture, Industry, and Trade Co., Ltd." stay whole, and a text that names
goods rather than entities ("Tobacco produced in Malawi and ...") stays one name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainproof.domain.names import core_name

# --- the lists, in words -----------------------------------------------------------------

LIST_NAMES = {
    "uflpa": "UFLPA Entity List",
    "ofac_sdn_dprk": "OFAC SDN list (North Korea)",
    "cbp_wro": "CBP Withhold Release Orders and Findings",
    "watchlist": "Your watchlist",
}


def list_name(code: str) -> str:
    """A screening list by its name ("cbp_wro" reads "CBP Withhold Release Orders and
    Findings"); an unknown code as it is."""
    return LIST_NAMES.get(code, code)


# --- what kind of thing an entry is ------------------------------------------------------

# The kinds a list states (OFAC's "type": entity, individual, vessel, aircraft), in words.
# An entity, the usual case, is not called out.
ENTRY_KIND_WORDS = {"vessel": "Vessel", "individual": "Individual", "aircraft": "Aircraft"}
# A CBP order on one ship reads "Fishing Vessel: Da Wang" (not "Fishing Vessels owned by").
_ONE_VESSEL = re.compile(r"^\s*(?:fishing\s+)?vessel\s*:", re.IGNORECASE)


def entry_kind_words(kind: str) -> str:
    """An entry's kind as the review pages show it ("Vessel"); "" for an entity or none."""
    return ENTRY_KIND_WORDS.get(kind.strip().casefold(), "")


def wro_entry_kind(entity: str) -> str:
    """What a Withhold Release Order names, from its text: "vessel" for an order on one ship
    ("Fishing Vessel: Lien Yi Hsing No. 12"), else "" (an entity, or several)."""
    return "vessel" if _ONE_VESSEL.match(entity) else ""


# --- whether an entry is in force ---------------------------------------------------------

IN_FORCE, INACTIVE, MODIFIED = "in force", "inactive", "modified"


def entry_standing(status: str) -> str:
    """IN_FORCE, INACTIVE (the status says Inactive or Revoked) or MODIFIED (Partially
    Modified, Modified): how far a listing still counts. No status is in force."""
    folded = status.casefold()
    if "inactive" in folded or "revoked" in folded:
        return INACTIVE
    if "modified" in folded:
        return MODIFIED
    return IN_FORCE


def status_words(status: str) -> str:
    """A list status as a sentence reads it: "Inactive-Pending Litigation" is "inactive
    (pending litigation)", "Partially Modified" is "partially modified"."""
    words = " ".join(status.replace("_", " ").split())
    found = re.split(r"\s*[-:]\s*", words, maxsplit=1)
    head = found[0].casefold()
    rest = found[1].casefold() if len(found) > 1 else ""
    return f"{head} ({rest})" if rest else head


# --- taking a published text apart -------------------------------------------------------

# Last words that end a company's name: legal forms (dots and case ignored) ...
_LEGAL = frozenset(
    {
        "co",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "company",
        "llc",
        "plc",
        "pvt",
        "pte",
        "gmbh",
        "ag",
        "sa",
        "srl",
        "sarl",
        "sas",
        "spa",
        "doo",
        "cv",
        "bv",
        "nv",
        "jsc",
        "ooo",
        "bhd",
    }
)
# ... and words that say what the place is.
_KINDS = frozenset(
    {
        "prison",
        "prisons",
        "penitentiary",
        "camp",
        "camps",
        "detachment",
        "farm",
        "farms",
        "carpet",
        "carpets",
        "factory",
        "factories",
        "plant",
        "plants",
        "works",
        "mine",
        "mines",
        "mill",
        "mills",
        "fields",
        "group",
        "industries",
        "enterprise",
        "enterprises",
        "corps",
        "center",
        "centre",
        "cooperative",
        "workshop",
    }
)
_CONNECTORS = frozenset({"de", "and", "&"})  # inside a legal form: "S.A. de C.V."

_OF_PLACE = re.compile(r"\s*\(of [^()]*\)")
_OWNED_BY = re.compile(r"^(?:fishing\s+)?vessels?\s+owned\s+by\s+", re.IGNORECASE)
# "..., Limited and its two subsidiaries from China, A and B": the subsidiaries are named.
_NAMED_SUBSIDIARIES = re.compile(
    r",?\s+and\s+(?:its|their)\s+(?:\w+\s+)?(?:subsidiaries|subsidiary|subordinates|affiliates)"
    r"(?:\s+(?:from|in)\s+[^,;:]+)?\s*[,:]\s+(?=\S)",
    re.IGNORECASE,
)
# "... and its Subsidiaries", "... and their subsidiaries", "... and Subsidiaries" at the end.
_TAIL = re.compile(
    r",?\s+and\s+(?:its\s+|their\s+)?(?:\w+\s+)?"
    r"(?:subsidiaries|subsidiary|subordinates|affiliates)\s*\.?\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r",\s+and\s+|,\s+|\s+and\s+")
_ACRONYM = re.compile(r"\s*\(([A-Z]{2,8})\)")
_OR_SPELLING = re.compile(r"(\S+) \(or (\S+)\)")
_PLACE_WORDS = 3  # a last part of at most this many words, not a name: a place


def split_entities(text: str) -> tuple[str, ...]:
    """The names of the entities a published list text names, in its order.

    Separators are "; ", ", and ", " and " and ", " between two complete names (each ending
    in a legal form or a kind word, and the next starting with a capital); a legal form cut
    off by a comma ("Singhe Carpet Pvt., Ltd.") stays with its name. Dropped: "and its
    (two) subsidiaries", "and their subordinates" (the subsidiaries named after it are kept),
    "(of Nagoya, Japan)", a trailing place after a semicolon ("; Kathmandu."), "Fishing
    Vessels owned by" before the owner. An acronym in brackets that spells the words before it
    becomes a name of its own ("Xinjiang Production and Construction Corporation (XPCC)"
    names both), and "Wulin (or Wuling) Machinery Works" gives both spellings. A text that
    names no entity (goods, a region) stays one name.
    """
    clean = " ".join(text.split())
    if not clean:
        return ()
    clean = _OF_PLACE.sub("", clean)
    clean = _OWNED_BY.sub("", clean)
    clean = _NAMED_SUBSIDIARIES.sub("; ", clean)
    clean = _TAIL.sub("", clean)
    segments = [s for s in (_sentence(part) for part in _top_level(clean, ";")) if s]
    names: list[str] = []
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if position and last and not _complete(segment) and len(segment.split()) <= _PLACE_WORDS:
            continue  # "; Kathmandu."
        names.extend(_split_segment(segment))
    found: list[str] = []
    for name in names:
        for spelled in _spellings(name):
            if spelled and spelled not in found:
                found.append(spelled)
    return tuple(found) or (_sentence(clean) or clean,)


def _sentence(text: str) -> str:
    """Without a full stop that ends the sentence; an abbreviation's dot ("Ltd.") stays."""
    text = text.strip(" ,")
    if text.endswith(".."):
        return text[:-1]
    if text.endswith("."):
        last = text.rsplit(" ", 1)[-1][:-1]
        if "." not in last and len(last) > 4:
            return text[:-1]
    return text


def _top_level(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _atoms(segment: str) -> tuple[list[str], list[str]]:
    """The segment's pieces between separators outside brackets, and the separators."""
    atoms, separators, depth, start, i = [], [], 0, 0, 0
    while i < len(segment):
        char = segment[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and char in ", ":
            found = _SEPARATOR.match(segment, i)
            if found:
                atoms.append(segment[start:i])
                separators.append(found.group())
                i = start = found.end()
                continue
        i += 1
    atoms.append(segment[start:])
    return atoms, separators


def _words(name: str) -> list[str]:
    """The name's words outside brackets, lower case, dots and commas removed."""
    bare = re.sub(r"\([^()]*\)", " ", name)
    return [w for w in (re.sub(r"[.,]", "", word).casefold() for word in bare.split()) if w]


def _legal_only(atom: str) -> bool:
    words = _words(atom)
    return (
        bool(words)
        and all(w in _LEGAL or w in _CONNECTORS for w in words)
        and any(w in _LEGAL for w in words)
    )


def _complete(name: str) -> bool:
    """Whether the words form a company's name by themselves: at least two, the last a legal
    form or a kind word."""
    words = _words(name)
    return len(words) >= 2 and (words[-1] in _LEGAL or words[-1] in _KINDS)


def _split_segment(segment: str) -> list[str]:
    atoms, separators = _atoms(segment)
    # A legal form cut off by a comma belongs to the name before it ("Pvt., Ltd.").
    pieces, joins = [atoms[0]], []
    for separator, atom in zip(separators, atoms[1:], strict=True):
        if _legal_only(atom):
            pieces[-1] += separator + atom
        else:
            pieces.append(atom)
            joins.append(separator)
    names, cuts = [pieces[0]], []
    for separator, piece in zip(joins, pieces[1:], strict=True):
        if _complete(names[-1]) and (piece[:1].isupper() or piece[:1].isdigit()):
            names.append(piece)
            cuts.append(separator)
        else:
            names[-1] += separator + piece
    if len(names) > 1 and not _complete(names[-1]):
        # The last part names nothing by itself ("..., Tamaulipas, Mexico"): it belongs to
        # the name before it.
        tail = names.pop()
        names[-1] += cuts.pop() + tail
    return [_sentence(name) for name in names]


def _spellings(name: str) -> list[str]:
    """A name, with an acronym that spells its words as a name of its own and each spelling
    given as "(or ...)"."""
    found: list[str] = []
    acronym = _ACRONYM.search(name)
    if acronym and _spells(acronym.group(1), name[: acronym.start()]):
        name = (name[: acronym.start()] + name[acronym.end() :]).strip()
        found.append(acronym.group(1))
    alternative = _OR_SPELLING.search(name)
    if alternative:
        first = name[: alternative.start()] + alternative.group(1) + name[alternative.end() :]
        second = name[: alternative.start()] + alternative.group(2) + name[alternative.end() :]
        return [first, second, *found]
    return [name, *found]


def _spells(acronym: str, before: str) -> bool:
    """Whether the acronym is the initials of the capitalised words just before it."""
    initials = "".join(word[0] for word in before.split() if word[:1].isupper())
    return initials.endswith(acronym)


# --- listings of the same entity ---------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """What a hit says about the entry it matched: the listed name that matched and every
    name of the entry."""

    name: str
    names: tuple[str, ...]


def near_identical(a: Listing, b: Listing) -> bool:
    """Whether two hits of one record name the same entity, so that one decision fits both:
    the matched names are equal once legal forms and connecting words are left out
    ("Hoshine Silicon Industry Co. Ltd." and "HOSHINE SILICON INDUSTRY CO., LTD."), or one
    entry lists the other's matched name among its own. Names that only share words are
    decided one by one ("Aksu Huafu Color Spinning" and "Xinjiang Huafu Color Spinning
    Group" are two companies, however close their scores)."""
    key_a, key_b = core_name(a.name), core_name(b.name)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    return key_a in {core_name(n) for n in b.names} or key_b in {core_name(n) for n in a.names}
