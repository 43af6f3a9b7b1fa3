"""Screening of submitted text (PRODUCT.md section 7, "Screening on submit").

Pure functions, no database: `screen(text, public=...)` returns a `Verdict`. Refusals
(shouting, rows of exclamation marks, contact data in public text) keep the text in the
form; abusive words hold it for a moderator. A word hit is a signal for a human, never a
silent deletion, so the word lists in `data/` lean towards fewer false holds.
"""

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import phonenumbers
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
DEFAULTS = {
    "SCREEN_SHOUT_MIN_LETTERS": 12,
    "SCREEN_SHOUT_CAPITALS_SHARE": 0.7,
    "SCREEN_SHOUT_WORD_RUN": 4,
}
MESSAGES = {
    "shouting": _l(
        "Please say it calmly, without capitals: your message is easier to read that way."
    ),
    "exclamations": _l(
        "Please say it calmly, without rows of exclamation or question marks: one is enough."
    ),
    "email": _l(
        "Please leave out the email address: contact details and links are not allowed "
        "in public text."
    ),
    "phone": _l(
        "Please leave out the phone number: contact details and links are not allowed "
        "in public text."
    ),
    "link": _l(
        "Please leave out the web address: contact details and links are not allowed "
        "in public text."
    ),
    "abusive": _l(
        "Thank you, your text has been received. It will be visible to others once a "
        "moderator has checked it."
    ),
}


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "pass", "refuse" or "hold"
    reason: str | None  # "shouting", "exclamations", "email", "phone", "link", "abusive"
    message: str | None  # user-facing text (a lazy translation) or None on pass
    matches: tuple[str, ...] = ()  # for "hold": the words that matched (moderator context)


PASS = Verdict("pass", None, None)


def screen(text: str, *, public: bool = True) -> Verdict:
    """Screen a text before it is saved; raises nothing.

    Refuse rules come first (shouting, exclamations, then contact data when `public`),
    then the hold rule (abusive words). Empty or blank text passes.
    """
    if not isinstance(text, str) or not text.strip():
        return PASS
    text = unicodedata.normalize("NFKC", text)  # full-width letters, "‼", ligatures
    min_letters, share, word_run = _thresholds()
    if is_shouting(text, min_letters=min_letters, share=share, word_run=word_run):
        return _refuse("shouting")
    if EXCLAMATIONS_RE.search(text):
        return _refuse("exclamations")
    if public:
        for reason, found in (("email", has_email), ("link", has_link), ("phone", has_phone)):
            if found(text):
                return _refuse(reason)
    words = abusive_words(text)
    if words:
        return Verdict("hold", "abusive", MESSAGES["abusive"], words)
    return PASS


def _refuse(reason: str) -> Verdict:
    return Verdict("refuse", reason, MESSAGES[reason])


def _thresholds() -> tuple[int, float, int]:
    """SCREEN_SHOUT_* from the app's config when there is an app context, else defaults."""
    config = current_app.config if has_app_context() else {}
    try:
        min_letters, share, word_run = (
            kind(config.get(key, default))
            for (key, default), kind in zip(DEFAULTS.items(), (int, float, int), strict=True)
        )
    except (TypeError, ValueError):
        log.warning("Invalid SCREEN_SHOUT_* setting; using the defaults.")
        min_letters, share, word_run = DEFAULTS.values()
    return min_letters, share, word_run


# --- Shouting ------------------------------------------------------------------------

WORD_RE = re.compile(r"[^\W\d_]+")  # runs of letters, in any script
EXCLAMATIONS_RE = re.compile(r"[!¡?¿]{3,}")  # "!!" is fine; "!!!", "¡¡¡", "?!?!" are not


def is_shouting(text: str, *, min_letters: int, share: float, word_run: int) -> bool:
    """At least `min_letters` letters of which `share` or more are capitals, or
    `word_run` ALL-CAPS words in a row.

    Letters are counted with Unicode (ñ, é, æ, ø, å count). A few acronyms in a sentence
    ("NAV", "IVA", "DNB og NRK") stay under both limits.
    """
    letters = capitals = run = longest_run = 0
    for word in WORD_RE.findall(text):
        letters += len(word)
        if word.islower():  # most words: nothing more to count
            run = 0
            continue
        capitals += sum(map(str.isupper, word))
        run = run + 1 if word.isupper() else 0
        longest_run = max(longest_run, run)
    if longest_run >= word_run:
        return True
    return letters >= max(min_letters, 1) and capitals >= share * letters


# --- Contact data --------------------------------------------------------------------

# "ana@correo.es", "ana @ correo.es"; not a mention such as "gracias @maria.garcia"
EMAIL_RE = re.compile(r"[\w.+\-](?:@| @ )[\w\-]+(?:\.[\w\-]+)+")
# "ana [at] correo [dot] es", "ana (arroba) correo.es"
HIDDEN_EMAIL_RE = re.compile(
    r"[\w.+\-]\s*[(\[{<]\s*(?:at|arroba|alfakr[øo]ll|kr[øo]llalfa)\s*[)\]}>]\s*"
    r"[\w\-]+\s*(?:\.|[(\[{<]\s*(?:dot|punto|punktum)\s*[)\]}>])\s*[a-z]{2,}",
    re.IGNORECASE,
)
URL_RE = re.compile(r"\b(?:https?|ftp)://|\bwww\d{0,3}\.[^\W_]", re.IGNORECASE)
DOMAIN_RE = re.compile(r"(?<![\w@.\-])[\w\-]+(?:\.[\w\-]+)+")


def has_email(text: str) -> bool:
    """An email address, also when written as "name [at] host [dot] es"."""
    if "@" in text and EMAIL_RE.search(text):
        return True
    return HIDDEN_EMAIL_RE.search(text) is not None


def has_link(text: str) -> bool:
    """A web link: http(s)://, www., or a bare domain such as tienda.es or butikk.no.

    "bien.gracias" is not one (no such top-level domain), nor is "bien.Es" (a missing
    space before a capital); "TIENDA.ES" is.
    """
    if URL_RE.search(text):
        return True
    tlds = load_tlds()
    for match in DOMAIN_RE.finditer(text):
        domain = match.group()
        for label in domain.split(".")[1:]:
            if label.lower() in tlds and (label.islower() or domain.isupper()):
                return True
    return False


PHONE_REGIONS = ("ES", "NO", "GB", "US")
PHONE_MIN_DIGITS = 7  # shorter ones are service numbers, postcodes or references
PHONE_MAX_CANDIDATES = 20  # bounds the work on a text made mostly of numbers
PHONE_CANDIDATE_RE = re.compile(r"\+?\(?\d[\d \t\u00a0().\-/]{5,24}\d")
DATE_RE = re.compile(r"\d{1,4}([./\-])\d{1,2}\1\d{1,4}")  # 12/03/2024, 2024-03-12
# A number right after one of these words is a reference, not a phone number.
REFERENCE_RE = re.compile(
    r"\b(?:org\.?\s?(?:nr|nummer)|orgnr|konto|kontonr|kontonummer|account|cuenta|iban|"
    r"nif|cif|nie|dni|kid|ref|referanse|reference|referencia|pedido|order|ordre|"
    r"ordrenr|bestilling|kundenr|factura|faktura|fakturanr|invoice)\W{0,4}$",
    re.IGNORECASE,
)


def has_phone(text: str) -> bool:
    """A phone number in the formats of Spain, Norway, the UK or the US, or any number
    written with its country code (+47 ..., 0034 ...). Dates, prices, years and numbers
    after words such as "order" or "org.nr." are not phone numbers."""
    checked = 0
    for candidate in PHONE_CANDIDATE_RE.finditer(text):
        raw, (start, end) = candidate.group(), candidate.span()
        if sum(map(str.isdigit, raw)) < PHONE_MIN_DIGITS or DATE_RE.fullmatch(raw):
            continue
        if REFERENCE_RE.search(text[max(0, start - 30) : start]):
            continue
        checked += 1
        if checked > PHONE_MAX_CANDIDATES:
            break
        if _is_phone(raw, text[max(0, start - 20) : end + 20]):
            return True
    return False


def _is_phone(raw: str, context: str) -> bool:
    """A cheap parse of the candidate first; the matcher then judges it in its context."""
    try:
        if not any(_valid_in(raw, region) for region in PHONE_REGIONS):
            return False
        for region in PHONE_REGIONS:
            matcher = phonenumbers.PhoneNumberMatcher(
                context, region, leniency=phonenumbers.Leniency.VALID
            )
            if any(sum(map(str.isdigit, m.raw_string)) >= PHONE_MIN_DIGITS for m in matcher):
                return True
    except Exception:  # a library fault must not stop a text from being saved
        log.exception("Phone number matching failed.")
    return False


def _valid_in(raw: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(raw, region))
    except phonenumbers.NumberParseException:
        return False


# --- Abusive words -------------------------------------------------------------------

TOKEN_RE = re.compile(r"[\w@$*!|+€]+")
# Single characters spaced out: "f u c k", "p.u.t.a", "s-h-1-t".
SPACED_RE = re.compile(r"(?<![^\W_])[^\W_](?:[\s.\-_·*]{1,3}[^\W_]){2,}(?![^\W_])")
SPACERS_RE = re.compile(r"[\s.\-_·*]+")
REPEATS_RE = re.compile(r"(.)\1{2,}")
# Combining marks left after NFKC are decoration ("p̶u̶t̶a̶", zalgo), not accents.
MARKS_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
LETTER_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"})
# Look-alikes: "PUT4", "sh1t", "$h!t", "@ss"; "1" is tried as "i" and as "l".
LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                        "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e"})  # fmt: skip
LEET_L = str.maketrans({"1": "l"})
LEET_SYMBOLS = frozenset("@$!|€")
MAX_WORD_LENGTH = 60  # longer runs of letters are not words; skipping them bounds the work


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]  # folded whole words
    stems: tuple[str, ...]  # folded prefixes
    allowed: frozenset[str]  # lower case, accents kept


def abusive_words(text: str) -> tuple[str, ...]:
    """The abusive words in `text`, folded (lower case, no accents), once each, in order.

    Whole words only, so "Scunthorpe", "assess" and "disputa" are not hits.
    """
    lexicon = load_lexicon()
    lowered = unicodedata.normalize("NFKC", text).casefold()
    lowered = MARKS_RE.sub("", lowered).replace("_", " ")
    pieces = TOKEN_RE.findall(lowered)
    pieces += [SPACERS_RE.sub("", m.group()) for m in SPACED_RE.finditer(lowered)]
    found: dict[str, None] = {}
    for piece in pieces:
        word = _match_piece(piece.strip("!|+*"), lexicon)
        if word:
            found[word] = None
    return tuple(found)


def _match_piece(piece: str, lexicon: Lexicon) -> str | None:
    if not piece or len(piece) > MAX_WORD_LENGTH:
        return None
    if piece.isalpha():
        candidates = [piece]
    else:
        # Digits alone don't make a word: "A55", "B2B" and "4x4" are not obfuscation.
        letters = sum(c.isalpha() or c in LEET_SYMBOLS for c in piece)
        if letters < 2 or letters < piece.count("*"):
            return None
        candidates = [piece.translate(LEET_I), piece.translate(LEET_L).translate(LEET_I)]
    if any(candidate in lexicon.allowed for candidate in candidates):
        return None
    for candidate in candidates:
        folded = fold(candidate)
        if "*" in folded:
            hit = _match_masked(folded, lexicon)
        else:
            hit = _match_folded(folded, lexicon) if folded.isalpha() else None
        if hit:
            return hit
    return None


def _match_folded(word: str, lexicon: Lexicon) -> str | None:
    forms = [word]
    if REPEATS_RE.search(word):  # "fuuuuck", "puuuta", "assss"
        forms += [REPEATS_RE.sub(r"\1", word), REPEATS_RE.sub(r"\1\1", word)]
    for form in forms:
        if form in lexicon.words or form.startswith(lexicon.stems):
            return form
    return None


def _match_masked(masked: str, lexicon: Lexicon) -> str | None:
    """Each "*" stands for one letter: "f*ck", "p**a", "f*cking"."""
    if not masked.replace("*", "").isalpha():
        return None

    def fits(word: str) -> bool:
        return all(m in ("*", w) for m, w in zip(masked, word, strict=False))

    for word in lexicon.words:
        if len(word) == len(masked) and fits(word):
            return word
    for stem in lexicon.stems:
        if len(masked) >= len(stem) and fits(stem):
            return stem + masked[len(stem) :]
    return None


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Lower case without accents: "Coño" -> "cono", "JÆVLA" -> "jaevla", "høl" -> "hol"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(LETTER_FOLDS)


@cache
def load_lexicon() -> Lexicon:
    """Read the word lists in `data/` once (data/README.md describes them)."""
    words: set[str] = set()
    stems: set[str] = set()
    for path in sorted(DATA_DIR.glob("abusive_*.txt")):
        for entry in _entries(path):
            if entry.endswith("*"):
                stems.add(fold(entry[:-1]))
            else:
                words.add(fold(entry))
    allowed = frozenset(_entries(DATA_DIR / "allowed.txt"))
    return Lexicon(frozenset(words), tuple(sorted(stems)), allowed)


@cache
def load_tlds() -> frozenset[str]:
    return frozenset(word for line in _entries(DATA_DIR / "tlds.txt") for word in line.split())


def _entries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = (line.split("#", 1)[0].strip() for line in lines)
    return [unicodedata.normalize("NFKC", entry).casefold() for entry in entries if entry]
