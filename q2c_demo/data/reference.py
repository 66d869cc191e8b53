"""The modelled firm's fixed reference data: entities, currencies, roles, tax, name parts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Currency:
    erp_id: int
    code: str
    name: str
    exponent: int  # Stripe minor-unit exponent
    per_usd: Decimal  # list-price scaling against the USD rate card


CURRENCIES = {
    "USD": Currency(1, "USD", "US Dollar", 2, Decimal("1")),
    "GBP": Currency(2, "GBP", "British Pound", 2, Decimal("0.8")),
    "EUR": Currency(3, "EUR", "Euro", 2, Decimal("0.92")),
    "JPY": Currency(4, "JPY", "Japanese Yen", 0, Decimal("150")),
}


@dataclass(frozen=True)
class Entity:
    """A contracting legal entity of the firm = one NetSuite subsidiary."""

    erp_id: int
    name: str
    legal_name: str
    country: str
    currency: str
    tax_rate: Decimal  # sales tax / VAT charged on invoices
    client_countries: tuple[str, ...]  # where its customers sit (first = home)


ENTITIES = (
    Entity(1, "Q2 Advisory US", "Q2 Advisory Inc.", "US", "USD", Decimal("0"), ("US", "US", "US", "CA")),
    Entity(2, "Q2 Advisory UK", "Q2 Advisory Ltd", "GB", "GBP", Decimal("0.20"), ("GB", "GB", "IE")),
    Entity(3, "Q2 Advisory DE", "Q2 Advisory GmbH", "DE", "EUR", Decimal("0.19"), ("DE", "DE", "FR", "NL", "AT")),
    Entity(4, "Q2 Advisory JP", "Q2 Advisory K.K.", "JP", "JPY", Decimal("0.10"), ("JP",)),
)
# Share of customers per entity, same order as ENTITIES.
ENTITY_WEIGHTS = (0.45, 0.22, 0.25, 0.08)


@dataclass(frozen=True)
class Role:
    name: str
    code: str
    usd_rate: Decimal
    usd_cost: Decimal
    share: float  # share of the consultant pool
    hours: tuple[float, ...]  # typical hours of one day's entry


ROLES = (
    Role("Partner", "PTNR", Decimal("450"), Decimal("210"), 0.10, (1.0, 1.5, 2.0, 2.5, 3.0)),
    Role("Senior Consultant", "SR-CONS", Decimal("300"), Decimal("130"), 0.25, (4.0, 5.5, 6.0, 7.0, 7.5, 8.0)),
    Role("Consultant", "CONS", Decimal("225"), Decimal("95"), 0.40, (5.0, 6.0, 6.5, 7.25, 7.5, 8.0)),
    Role("Analyst", "ANLST", Decimal("150"), Decimal("60"), 0.25, (4.0, 6.0, 7.0, 7.5, 8.0, 8.5)),
)
ROLE_BY_NAME = {r.name: r for r in ROLES}

# Legal suffix per customer country; names are compared without them.
LEGAL_SUFFIXES = {
    "US": ("Inc.", "LLC", "Corp."), "CA": ("Inc.", "Ltd"), "GB": ("Ltd", "PLC"), "IE": ("Ltd",),
    "DE": ("GmbH", "AG"), "AT": ("GmbH",), "FR": ("SA",), "NL": ("BV",), "JP": ("K.K.",),
}
TAX_ID_TYPES = {"US": "us_ein", "CA": "ca_bn", "GB": "gb_vat", "IE": "eu_vat", "DE": "eu_vat",
                "AT": "eu_vat", "FR": "eu_vat", "NL": "eu_vat", "JP": "jp_trn"}

NAME_FIRST = ("Northwind", "Blue Harbor", "Granite", "Silverline", "Redwood", "Summit", "Meridian",
              "Ironbridge", "Lakeside", "Crescent", "Oakridge", "Brightwater", "Pinecrest", "Harborview",
              "Stonegate", "Riverbend", "Westfield", "Eastgate", "Highland", "Clearwater", "Falcon",
              "Evergreen", "Copperfield", "Aurora", "Beacon", "Cedar", "Horizon", "Keystone", "Lighthouse",
              "Maple", "Orion", "Pioneer", "Quarry", "Sterling", "Tidewater", "Vanguard", "Willow", "Zenith",
              "Müller", "Schäfer", "Société Lumière", "Nordlicht", "Sakura", "Fuji", "Kestrel", "Atlas")
NAME_SECOND = ("Analytics", "Logistics", "Capital", "Health", "Foods", "Energy", "Systems", "Retail",
               "Holdings", "Pharma", "Media", "Insurance", "Partners", "Manufacturing", "Telecom",
               "Software", "Mobility", "Industries", "Biotech", "Ventures", "Properties", "Textiles",
               "Aerospace", "Consumer Goods", "Chemicals", "Networks", "Shipping", "Resorts")
FIRST_NAMES = ("Ava", "Ben", "Chloe", "Daniel", "Elena", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kenji",
               "Lena", "Marco", "Nina", "Oscar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
               "Wei", "Yuki", "Zoe", "Amélie", "Björn", "Chiara", "Dmitri", "Emma")
LAST_NAMES = ("Anderson", "Becker", "Chen", "Dubois", "Evans", "Fischer", "García", "Hoffmann", "Ito",
              "Jansen", "Kowalski", "Larsen", "Martin", "Nakamura", "O'Brien", "Patel", "Rossi", "Schmidt",
              "Tanaka", "Usman", "Vogel", "Walsh", "Young", "Zimmermann", "Novak", "Silva", "Moreau")

TASKS = ((9001, "Consulting"), (9002, "Workshop"), (9003, "Project Management"), (9004, "Internal"))
EXPENSE_CATEGORIES = ((7001, "Travel"), (7002, "Lodging"), (7003, "Meals"))
