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
        "Please leave out the email address: contact details and links are not allowed in "
        "public text."
    ),
    "phone": _l(
        "Please leave out the phone number: contact details and links are not allowed in "
        "public text."
    ),
    "link": _l(
        "Please leave out the web address: contact details and links are not allowed in "
        "public text."
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
    """Screen a text before it is saved.

    Refuse rules come first (shouting, exclamations, then contact data when `public`),
    then the hold rule (abusive words). Empty text passes. Never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return PASS
    text = unicodedata.normalize("NFKC", text)  # full-width letters, "‼" and the like
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
    """SCREEN_SHOUT_* from the app's config when there is one, else the defaults."""
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

WORD_RE = re.compile(r"[^\W\d_]+")  # runs of letters, any script
EXCLAMATIONS_RE = re.compile(r"[!¡?¿]{3,}")  # "!!" is fine, "!!!", "¡¡¡", "?!?!" are not


def is_shouting(text: str, *, min_letters: int, share: float, word_run: int) -> bool:
    """Enough letters that are mostly capitals, or a run of ALL-CAPS words.

    Letters are counted with Unicode (ñ, é, æ, ø, å count). A short run of acronyms
    ("NAV", "IVA", "DNB og NRK") stays under `word_run` and passes.
    """
    letters = capitals = 0
    for char in text:
        if char.isalpha():
            letters += 1
            capitals += char.isupper()
    if letters and letters >= min_letters and capitals / letters >= share:
        return True
    run = 0
    for word in WORD_RE.findall(text):
        run = run + 1 if word.isupper() else 0
        if run >= word_run:
            return True
    return False


# --- Contact data --------------------------------------------------------------------

EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]+ ?@ ?[\w\-]+(?:\.[\w\-]+)+")
# "ana [at] correo [dot] es", "ana (arroba) correo.es"
HIDDEN_EMAIL_RE = re.compile(
    r"\w[\w.+\-]*\s*[(\[{<]\s*(?:at|arroba|alfakr[øo]ll|kr[øo]llalfa)\s*[)\]}>]\s*"
    r"[\w\-]+\s*(?:\.|[(\[{<]\s*(?:dot|punto|punktum)\s*[)\]}>])\s*[a-z]{2,}",
    re.IGNORECASE,
)
URL_RE = re.compile(r"\b(?:https?|ftp)://|\bwww\d{0,3}\.[^\W_]", re.IGNORECASE)
DOMAIN_RE = re.compile(r"(?<![\w@.\-])[\w\-]+(?:\.[\w\-]+)+")
# Top-level domains recognised in bare addresses. Two-letter codes that are everyday
# words in English, Spanish or Norwegian (de, la, se, si, ni, to, in, it, me, om...) are
# left out, so that a missing space after a full stop is not taken for a web address.
TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "edu",
        "gov",
        "io",
        "ai",
        "app",
        "dev",
        "shop",
        "store",
        "online",
        "site",
        "xyz",
        "club",
        "blog",
        "page",
        "link",
        "live",
        "pro",
        "tech",
        "website",
        "space",
        "top",
        "vip",
        "art",
        "email",
        "cloud",
        "digital",
        "media",
        "news",
        "world",
        "studio",
        "design",
        "agency",
        "services",
        "solutions",
        "company",
        "business",
        "tv",
        "fm",
        "ly",
        "gl",
        "gg",
        "cc",
        "ws",
        "eu",
        "es",
        "no",
        "uk",
        "dk",
        "fi",
        "nl",
        "pt",
        "ch",
        "fr",
        "pl",
        "cz",
        "ie",
        "ca",
        "us",
        "mx",
        "ar",
        "cl",
        "pe",
        "uy",
        "ve",
        "ec",
        "bo",
        "py",
        "cr",
        "pa",
        "gt",
        "hn",
        "sv",
        "cu",
        "pr",
        "co",
        "cat",
        "gal",
        "eus",
    ]
)


def has_email(text: str) -> bool:
    """An email address, also written as "name [at] host [dot] es"."""
    return ("@" in text and EMAIL_RE.search(text) is not None) or (
        HIDDEN_EMAIL_RE.search(text) is not None
    )


def has_link(text: str) -> bool:
    """A web link: http(s)://, www., or a bare domain such as tienda.es or butikk.no."""
    if URL_RE.search(text):
        return True
    for match in DOMAIN_RE.finditer(text):
        domain = match.group()
        for label in domain.split(".")[1:]:
            # "tienda.es" and "TIENDA.ES" are addresses; "bien.Es" is a missing space.
            if label.lower() in TLDS and (label.islower() or domain.isupper()):
                return True
    return False


PHONE_REGIONS = ("ES", "NO", "GB", "US")
PHONE_MIN_DIGITS = 7  # shorter numbers are service numbers, postcodes or references
PHONE_MAX_CANDIDATES = 25  # bounds the work on a text made mostly of numbers
PHONE_CANDIDATE_RE = re.compile(r"\+?\(?\d[\d \t\u00a0().\-/]{5,24}\d")
# Numbers that follow these words are references, not phone numbers.
REFERENCE_RE = re.compile(
    r"\b(?:org\.?\s?(?:nr|nummer)|orgnr|kontonr|kontonummer|konto|account|cuenta|iban|"
    r"nif|cif|nie|dni|kid|ref|referanse|reference|referencia|pedido|order|ordre|"
    r"ordrenr|bestilling|kundenr|factura|faktura|fakturanr|invoice)\W{0,4}$",
    re.IGNORECASE,
)


def has_phone(text: str) -> bool:
    """A phone number in the formats of Spain, Norway, the UK or the US, or any number
    written with its country code (+47 ..., 0034 ...). Dates, prices, years and
    reference numbers are not phone numbers."""
    candidates = 0
    for candidate in PHONE_CANDIDATE_RE.finditer(text):
        start, end = candidate.span()
        if sum(c.isdigit() for c in candidate.group()) < PHONE_MIN_DIGITS:
            continue
        if REFERENCE_RE.search(text[max(0, start - 30) : start]):
            continue
        candidates += 1
        if candidates > PHONE_MAX_CANDIDATES:
            return False
        if _window_has_phone(text[max(0, start - 20) : end + 20]):
            return True
    return False


def _window_has_phone(window: str) -> bool:
    try:
        for region in PHONE_REGIONS:
            matcher = phonenumbers.PhoneNumberMatcher(
                window, region, leniency=phonenumbers.Leniency.VALID
            )
            for match in matcher:
                if sum(c.isdigit() for c in match.raw_string) >= PHONE_MIN_DIGITS:
                    return True
    except Exception:  # a library bug must not stop a review from being saved
        log.exception("Phone number matching failed.")
    return False


# --- Abusive words -------------------------------------------------------------------

TOKEN_RE = re.compile(r"(?:[^\W_]|[@$*!|+€])+")
# Single characters spaced out: "f u c k", "p.u.t.a", "s-h-1-t".
SPACED_RE = re.compile(r"(?<![^\W_])[^\W_](?:[\s.\-_·*]{1,3}[^\W_]){2,}(?![^\W_])")
SPACERS_RE = re.compile(r"[\s.\-_·*]+")
REPEATS_RE = re.compile(r"(.)\1{2,}")
LETTER_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ł": "l"})
# Look-alikes: "PUT4", "sh1t", "$h!t", "@ss". "1" is tried as both "i" and "l".
LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                        "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e"})  # fmt: skip
LEET_L = str.maketrans({"1": "l"})
LEET_SYMBOLS = frozenset("@$!|€")


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]  # folded whole words
    stems: tuple[str, ...]  # folded prefixes
    allowed: frozenset[str]  # lower case, accents kept


def abusive_words(text: str) -> tuple[str, ...]:
    """The abusive words in `text`, folded (lower case, no accents), in order, once each."""
    lexicon = load_lexicon()
    lowered = text.casefold()
    found: dict[str, None] = {}
    pieces = [m.group() for m in TOKEN_RE.finditer(lowered)]
    pieces += [SPACERS_RE.sub("", m.group()) for m in SPACED_RE.finditer(lowered)]
    for piece in pieces:
        word = _match_piece(piece.strip("!|+*"), lexicon)
        if word:
            found[word] = None
    return tuple(found)


def _match_piece(piece: str, lexicon: Lexicon) -> str | None:
    if not piece:
        return None
    if piece.isalpha():
        candidates = [piece]
    else:
        # Digits alone don't make a word: "A55", "B2B" and "4x4" are not obfuscation.
        letters = sum(c.isalpha() or c in LEET_SYMBOLS for c in piece)
        if letters < 2 or letters < piece.count("*"):
            return None
        candidates = [piece.translate(LEET_I), piece.translate(LEET_L).translate(LEET_I)]
        candidates = list(dict.fromkeys(candidates))
    for candidate in candidates:
        if candidate in lexicon.allowed:
            return None
    for candidate in candidates:
        if "*" in candidate:
            hit = _match_masked(fold(candidate), lexicon)
        elif candidate.isalpha():
            hit = _match_folded(fold(candidate), lexicon)
        else:
            hit = None
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
    """ "f*ck", "p**a", "f*cking": each "*" stands for one letter."""
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
    """Read the word lists in `data/` once (see data/README.md for their format)."""
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


def _entries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = (line.split("#", 1)[0].strip() for line in lines)
    entries = (unicodedata.normalize("NFKC", entry).casefold() for entry in entries)
    return [entry for entry in entries if entry]
