"""Unit tests for text screening (PRODUCT.md section 7). No database, no `app` fixture."""

import dataclasses

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from config import Testing
from rating import create_app
from rating.moderation.screening import Verdict, screen

REFUSED = [
    # English
    ("THIS PLACE IS ABSOLUTELY TERRIBLE", "shouting"),
    ("I AM SO ANGRY", "shouting"),
    ("Terrible food. WORST SERVICE EVER, NEVER AGAIN.", "shouting"),
    ("Worst service ever!!!", "exclamations"),
    ("Really?!?!", "exclamations"),
    ("Email me at john.smith@example.co.uk", "email"),
    ("write to john [at] example [dot] com", "email"),
    ("or j.smith @ example.com", "email"),
    ("Call me on 020 7946 0958", "phone"),
    ("My mobile is +44 7911 123456", "phone"),
    ("Our US office: (415) 555-2671", "phone"),
    ("See https://example.com/reviews", "link"),
    ("Visit www.example.org for more", "link"),
    ("Details on example.com", "link"),
    # Spanish
    ("ESTO ES UNA VERGÜENZA TOTAL", "shouting"),
    ("PÉSIMO SERVICIO, ÑOÑO", "shouting"),
    ("¡¡¡Qué desastre!!!", "exclamations"),
    ("¿¿¿En serio???", "exclamations"),
    ("¿Qué?!?! No lo entiendo", "exclamations"),
    ("Escríbeme a maria.lopez@correo.es", "email"),
    ("Llámame al 612 34 56 78", "phone"),
    ("Mi número: +34 612 345 678", "phone"),
    ("Fijo 91 123 45 67, por la tarde", "phone"),
    ("Más ofertas en tienda.es", "link"),
    ("Mira http://tienda.es/ofertas", "link"),
    # Norwegian
    ("DETTE ER HELT UAKSEPTABELT", "shouting"),
    ("JEG ER SÅ SINT NÅ", "shouting"),
    ("ØDELAGT BÅTMØTE", "shouting"),  # 14 letters only when Æ, Ø and Å count
    ("Helt utrolig!!!", "exclamations"),
    ("Send e-post til ola.nordmann@eksempel.no", "email"),
    ("Ring meg på 912 34 567", "phone"),
    ("tlf +47 22 22 22 22", "phone"),
    ("Ring 0047 91234567 etter kl. 16", "phone"),
    ("Se butikk.no for mer", "link"),
    ("Sjekk www.finn.no i kveld", "link"),
]

HELD = [
    # English
    ("This place is shit", ("shit",)),
    ("What a fucking joke", ("fucking",)),
    ("The owner is a c*nt", ("cunt",)),
    ("Total sh1t service", ("shit",)),
    ("f.u.c.k this place", ("fuck",)),
    ("You are an a$$hole", ("asshole",)),
    ("Biiiitch, please", ("bitch",)),
    ("motherf*cker", ("motherfucker",)),
    # Spanish
    ("Eres un PUT4", ("puta",)),
    ("Es una mierda", ("mierda",)),
    ("El dueño es un gilipollas", ("gilipollas",)),
    ("Menudo CABRÓN", ("cabron",)),
    ("hijo de p*ta", ("puta",)),
    ("¿Qué coño pasa aquí?", ("cono",)),
    ("Una m1erda de servicio", ("mierda",)),
    ("p u t a", ("puta",)),
    ("Vaya p\u0336u\u0336t\u0336a\u0336 de sitio", ("puta",)),
    # Norwegian
    ("Faen, for en dritt service", ("faen", "dritt")),
    ("Du er en jævla idiot", ("jaevla", "idiot")),
    ("Din drittsekk", ("drittsekk",)),
    ("j4vla tull", ("javla",)),
    ("Han er et kukhue", ("kukhue",)),
    ("Hun kalte meg en hore", ("hore",)),
    ("Rasshøl!", ("rasshol",)),
]

PASSED = [
    "",
    "   \n\t ",
    # English
    "Great service: paid the VAT, got a USB cable, all OK.",
    "We drove from Scunthorpe to Penistone via Essex and Middlesex.",
    "Claud Cockburn wrote about it; a Dickens fan ordered a cocktail.",
    "They assess every class carefully and the fitter came on time.",
    "Ordered 12/03/2024, paid £1,250.00, order 48213, open since 2019.",
    "Best pizza in town!! Really?!",
    "It was fine.Thanks for everything",
    "NASA and the BBC, then the NHS: three acronyms are fine.",
    "Shiitake (or shitake) risotto, and a Samsung Galaxy A55 to pay with.",
    "Cock-a-leekie soup, then spotted dick. Lovely.",
    # Spanish
    "Pagué el IVA y el USB llegó bien, todo OK.",
    "Una pasta buenísima, la computadora funciona y sin disputa.",
    "Todo bien.gracias por todo",
    "Todo bien.Es perfecto, gracias @maria.garcia",
    "El pedido 48213 del 12/03/2024 costó 1.250,00 €.",
    "Un cono de helado en Morón de la Frontera.",
    "¡Genial! ¿¡En serio!?",
    "Llegó a la hora, el pinche de cocina muy amable y mi perra feliz.",
    "No me gusta NADA la espera",
    # Norwegian
    "Faktura fra NAV, DNB og NRK kom i går, alt OK.",
    "Vi kjørte fra Hellesylt til Geiranger.",
    "Hyggelig å høre fra dere, jeg hører gjerne mer.",
    "Ordre 48213 levert 12.03.2024, kr 1 250,00.",
    "Org.nr. 912 345 678, se bl.a. f.eks. vilkårene.",
    "Flott service!! Anbefales.",
    "Postnummer 0150 Oslo, åpent 10:30-18:00.",
]


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refused(text, reason):
    verdict = screen(text)
    assert (verdict.outcome, verdict.reason) == ("refuse", reason)
    assert verdict.message is not None
    assert verdict.matches == ()


@pytest.mark.parametrize(("text", "words"), HELD)
def test_held_for_a_moderator(text, words):
    assert screen(text) == Verdict("hold", "abusive", screen(text).message, words)
    assert str(screen(text).message).startswith("Thank you")


@pytest.mark.parametrize("text", PASSED)
def test_passed(text):
    assert screen(text) == Verdict("pass", None, None, ())


@pytest.mark.parametrize(
    "text",
    [
        "Escríbeme a maria.lopez@correo.es",
        "Ring meg på 912 34 567",
        "Call me on 020 7946 0958",
        "Más ofertas en tienda.es",
    ],
)
def test_private_notes_may_hold_contact_data(text):
    assert screen(text, public=False).outcome == "pass"


def test_private_notes_are_still_screened_for_shouting_and_abuse():
    assert screen("ESTO ES UNA VERGÜENZA", public=False).reason == "shouting"
    assert screen("Es una mierda", public=False).reason == "abusive"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ESCRIBE A ANA@CORREO.ES", "shouting"),  # shouting before contact data
        ("Genial!!! ana@correo.es", "exclamations"),
        ("Mierda, escríbeme a ana@correo.es", "email"),  # refusals before the hold
        ("Faen!!!", "exclamations"),
    ],
)
def test_refuse_rules_come_before_the_hold(text, reason):
    assert screen(text).reason == reason


def test_each_reason_has_its_own_friendly_message():
    texts = {reason: text for text, reason in REFUSED} | {"abusive": "Es una mierda"}
    messages = {reason: str(screen(text).message) for reason, text in texts.items()}
    assert len(set(messages.values())) == 6
    assert "calmly" in messages["shouting"] and "calmly" in messages["exclamations"]
    assert "moderator" in messages["abusive"]


def test_verdict_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        screen("Hola").outcome = "hold"  # type: ignore[misc]


@pytest.fixture(scope="module")
def lenient_app():
    return create_app(
        Testing,
        SCREEN_SHOUT_MIN_LETTERS=30,
        SCREEN_SHOUT_CAPITALS_SHARE=0.9,
        SCREEN_SHOUT_WORD_RUN=6,
    )


def test_thresholds_come_from_config(lenient_app):
    shout = "TERRIBLE SERVICIO HOY"  # 19 letters, 3 words
    run = "ESTO ES UNA VERGÜENZA"  # 4 words
    assert screen(shout).reason == "shouting"
    assert screen(run).reason == "shouting"
    with lenient_app.app_context():
        assert screen(shout).outcome == "pass"
        assert screen(run).outcome == "pass"
        assert screen("ESTO ES UNA VERGÜENZA TOTAL, DE VERDAD").reason == "shouting"


def test_default_thresholds_in_the_testing_config():
    with create_app(Testing).app_context():
        assert screen("TERRIBLE SERVICIO HOY").reason == "shouting"
        assert screen("Pagué el IVA y el USB llegó bien, todo OK.").outcome == "pass"


def test_invalid_threshold_setting_falls_back_to_defaults():
    with create_app(Testing, SCREEN_SHOUT_MIN_LETTERS="lots").app_context():
        assert screen("TERRIBLE SERVICIO HOY").reason == "shouting"


def test_messages_translate_lazily_inside_a_request():
    app = create_app(Testing)
    with app.test_request_context(), force_locale("en"):
        assert str(screen("Es una mierda").message).startswith("Thank you")


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x1b[31m hola \u202e مرحبا بالعالم \u200f",
        "שלום עולם, שירות מצוין",
        "🙂" * 2000,
        "x" * 100_000,
        "a." * 50_000,
        "@" * 5000 + "[at]" * 1000,
        "1234 5678 " * 500,
        "+" * 3000 + "9" * 3000,
        "Z̴̡̛a̵l̶g̸o̵ ̷t̶e̷x̶t̵",
        "\ud7ff\ue000\U0010ffff\ufeff",
    ],
)
def test_never_raises_on_odd_input(text):
    assert screen(text).outcome in {"pass", "refuse", "hold"}
    assert screen(text, public=False).outcome in {"pass", "refuse", "hold"}


@settings(max_examples=150, deadline=None, database=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text):
    verdict = screen(text)
    assert verdict.outcome in {"pass", "refuse", "hold"}
    assert (verdict.outcome == "pass") == (verdict.message is None)


def test_a_long_mixed_review_passes():
    # Dates, prices, order numbers, acronyms and place names are not contact data or abuse.
    sentences = [
        "Muy buen servicio, el 12/03/2024 pagué 1.250,00 € por el pedido 48213. ",
        "Kjempebra service hos NAV og DNB, levert 12.03.2024 til Hellesylt! ",
        "Great value, paid the VAT at 9.30 and collected it in Scunthorpe. ",
    ]
    text = ("".join(sentences) * 20)[:2000]
    assert screen(text).outcome == "pass"
