"""Step: an account's organizations, each linked to its parent.

The root (group, company or institute), head office, subsidiaries, branches, departments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from graph_api.generate.generator import Generator, Row
from graph_api.generate.shapes import AccountShape
from graph_api.generate.vocabulary import (
    AS_OF,
    DISTRICTS,
    FUNCTIONS,
    INDUSTRIES,
    ORG_WORDS,
    SOURCES,
)

# Organizations that employ retail customers (departments and institutes do not).
EMPLOYER_KINDS = ("COMPANY", "HEAD_OFFICE", "BRANCH", "SUBSIDIARY")


@dataclass(frozen=True)
class Firm:
    """What every unit of one account shares: industry, home, brand, buying power, tier."""

    industry: str
    latin: str  # the industry in Latin letters
    word: str  # the industry's short word in names
    trade: bool  # trade-oriented: settlement products
    capital: bool  # capital-intensive: infrastructure loans
    region: str
    city: str
    brand: str
    brand_latin: str
    annual: float  # annual purchase of the top unit, in CNY
    tier: str | None


@dataclass
class Unit:
    """One generated organization of an account (its row is already emitted)."""

    id: str
    kind: str
    parent: int | None  # index in the account's units
    city: str
    region: str
    held: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class OrgUnits:
    """An account's organizations, indices into `units`: `root` is the account itself,
    `main` where the head works (the head office of a group, else the root)."""

    units: list[Unit]
    root: int
    main: int
    subunits: list[int]  # subsidiaries, branches, departments, in that order


def firm(gen: Generator, shape: AccountShape) -> Firm:
    rng = gen.rng
    industry, latin, word, trade, capital = rng.choice(INDUSTRIES)
    if shape.kind == "INSTITUTE":
        industry, latin, word, trade, capital = ("建筑", "Engineering", "工程", False, False)
    region, city = gen.place()
    w1, w2 = rng.sample(ORG_WORDS, 2)
    tier = shape.tier
    # Buying power follows the structure: groups buy most.
    base = {"GROUP": 3_000_000.0, "COMPANY": 300_000.0, "INSTITUTE": 150_000.0}[shape.kind]
    annual = round(base * math.exp(rng.gauss(0, 1.1)) * (1 + shape.people / 200), -3)
    if tier is None and shape.kind != "INSTITUTE":
        tier = (
            "STRATEGIC"
            if annual > 30_000_000
            else "MID_STRATEGIC"
            if annual > 3_000_000
            else "NON_STRATEGIC"
        )
    return Firm(
        industry,
        latin,
        word,
        trade,
        capital,
        region,
        city,
        brand=w1[0] + w2[0],
        brand_latin=w1[1] + w2[1].lower(),
        annual=annual,
        tier=tier,
    )


def org_units(gen: Generator, shape: AccountShape, f: Firm) -> OrgUnits:
    """The units the shape asks for (within the run's budget of parties); registers the
    employers among them in `gen.employers`."""
    rng = gen.rng
    units: list[Unit] = []

    def unit(
        kind: str,
        name: str,
        alias: str,
        parent: int | None,
        place: tuple[str, str],
        top: bool = False,
    ) -> int:
        return _unit(gen, units, shape, f, kind, name, alias, parent, place, top)

    brand, brand_latin, word, latin, city = f.brand, f.brand_latin, f.word, f.latin, f.city
    place = (f.region, city)
    if shape.kind == "GROUP":
        root = unit("GROUP", f"{brand}{word}集团", f"{brand_latin} Group", None, place, True)
        main = unit(
            "HEAD_OFFICE",
            f"{brand}{word}集团{city}总公司",
            f"{brand_latin} {latin} HQ",
            root,
            place,
        )
    elif shape.kind == "INSTITUTE":
        root = main = unit(
            "INSTITUTE",
            f"{city}{brand}工程监理研究院",
            f"{brand_latin} Institute",
            None,
            place,
            True,
        )
    else:
        root = main = unit(
            "COMPANY",
            f"{city}{brand}{word}有限公司",
            f"{brand_latin} {latin} Co.",
            None,
            place,
            True,
        )
    subunits: list[int] = []
    for _ in range(gen.room(shape.subsidiaries)):
        sub_place = gen.place()
        w3 = rng.choice(ORG_WORDS)
        subunits.append(
            unit(
                "SUBSIDIARY",
                f"{brand}{w3[0]}{word}有限公司",
                f"{brand_latin}{w3[1].lower()} {latin}",
                root,
                sub_place,
            )
        )
    for _ in range(gen.room(shape.branches)):
        br_region, br_city = gen.place()
        subunits.append(
            unit(
                "BRANCH",
                f"{brand}{word}{br_city}分公司",
                f"{brand_latin} {latin} branch",
                main,
                (br_region, br_city),
            )
        )
    for k in range(gen.room(shape.departments)):
        dept = FUNCTIONS[k % len(FUNCTIONS)][1] if k < len(FUNCTIONS) else f"事业部{k}"
        subunits.append(
            unit("DEPARTMENT", f"{brand}{word}{dept}", f"{brand_latin} dept {k + 1}", main, place)
        )
    return OrgUnits(units, root, main, subunits)


def _unit(
    gen: Generator,
    units: list[Unit],
    shape: AccountShape,
    f: Firm,
    kind: str,
    name: str,
    alias: str,
    parent: int | None,
    place: tuple[str, str],
    top: bool,
) -> int:
    """Emits one organization and appends it to `units`; returns its index. Only the top
    unit carries the account's profile (website, size, purchase, tier); branches and
    subsidiaries sometimes a share of the purchase."""
    rng = gen.rng
    row: Row = {"name": name, "aliases": [alias], "orgType": kind}
    if parent is not None:
        row["parentId"] = units[parent].id
    row.update(industry=f.industry, region=place[0], city=place[1])
    if kind != "DEPARTMENT":
        row["address"] = f"{place[1]}{rng.choice(DISTRICTS)}{rng.randint(1, 999)}号"
        if rng.random() < 0.7:
            row["phone"] = f"0{rng.randint(10, 999)}-{rng.randint(0, 99_999_999):08d}"
    if top:
        row["website"] = f"https://www.{f.brand_latin.lower()}{gen.orgs + 1}.cn"
        row["employees"] = int(shape.people * rng.uniform(5, 40)) + 10
        row["annualPurchase"] = f.annual
        row["shareOfWallet"] = round(rng.betavariate(1.3, 3.0), 3)
        # Our revenue with the group itself (18.3), from the share drawn: no draw of its own,
        # so that the rest of a seed's data stays as it was.
        row["revenue"] = round(f.annual * row["shareOfWallet"], -3)
        if f.tier is not None:
            row["tier"] = f.tier
            row["grade"] = {"STRATEGIC": 5, "MID_STRATEGIC": rng.choice((3, 4))}.get(
                f.tier, rng.choice((1, 2, 2, 3))
            )
        row["customerSince"] = gen.date_between(date(2005, 1, 1), AS_OF).isoformat()
        if rng.random() < 0.6:
            row["preferredChannel"] = rng.choice(("VISIT", "PHONE", "EMAIL"))
        if rng.random() < 0.6:
            row["source"] = rng.choice(SOURCES)
    elif kind in ("BRANCH", "SUBSIDIARY") and rng.random() < 0.5:
        row["annualPurchase"] = round(f.annual * rng.uniform(0.05, 0.3), -3)
        row["shareOfWallet"] = round(rng.betavariate(1.3, 3.0), 3)
    gen.orgs += 1
    oid = f"o-{gen.orgs:06d}"
    gen.emit("organizations", {"id": oid, **row})
    units.append(Unit(oid, kind, parent, place[1], place[0]))
    if kind in EMPLOYER_KINDS:
        gen.employers.append(gen.orgs)
    return len(units) - 1
