"""Step: people (a customer's profile, as documented as real profiles are) and households."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph_api.generate.generator import Generator, Row
from graph_api.generate.vocabulary import (
    AS_OF,
    DISTRICTS,
    ESTATES,
    GENDER,
    OCCUPATIONS,
    SOURCES,
    TIMES,
    surname_of,
)


@dataclass
class Person:
    """What later steps need of a generated person (the row itself is already emitted)."""

    id: str
    surname: tuple[str, str]
    gender: str
    birth: date
    city: str
    region: str
    address: str
    affluence: float  # 0..1, percentile-like
    age: int  # on AS_OF, by calendar year (what later steps compare)
    executive: bool = False
    payroll_employer: bool = False
    children: int = 0
    held: set[str] = field(default_factory=set)


def person(
    gen: Generator,
    *,
    gender: str | None = None,
    age: int | None = None,
    surname: tuple[str, str] | None = None,
    region: str | None = None,
    city: str | None = None,
    address: str | None = None,
    affluence: float | None = None,
    occupation: str | None = None,
    executive: bool = False,
) -> Person:
    """One person row; what is not given is drawn."""
    rng = gen.rng
    gen.people += 1
    pid = f"p-{gen.people:07d}"
    gender = gender or rng.choice("FM")
    age = age if age is not None else rng.randint(25, 70)
    birth = gen.date_between(
        date(AS_OF.year - age - 1, AS_OF.month, 2), date(AS_OF.year - age, AS_OF.month, 1)
    )
    if region is None or city is None:
        region, city = gen.place(region)
    if address is None:
        address = (
            f"{city}{rng.choice(DISTRICTS)}{rng.choice(ESTATES)}"
            f"{rng.randint(1, 30)}-{rng.randint(101, 2808)}"
        )
    if affluence is None:
        affluence = rng.random() ** 1.5  # most customers are not affluent
        if executive:
            affluence = 0.6 + 0.4 * rng.random()
    name, alias = gen.name(gender, surname)
    row: Row = {"id": pid, "name": name, "aliases": [alias], "gender": GENDER[gender]}
    # Profile completeness varies: a few customers are fully documented, many are not.
    documented = rng.random()
    if documented > 0.15:
        row["birthDate"] = birth.isoformat()
    if documented > 0.1 and age >= 18:
        row["phone"] = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    if documented > 0.45 and age >= 18:
        row["email"] = f"{alias.split()[1].lower()}.{pid[2:]}@example.cn"
    if documented > 0.6:
        row["homeAddress"] = address
    row["city"] = city
    row["region"] = region
    if occupation is not None and age >= 18:
        row["occupation"] = occupation
    elif documented > 0.4 and age >= 18:
        row["occupation"] = "退休" if age >= 62 else rng.choice(OCCUPATIONS[:-1])
    if documented > 0.5 and age >= 18:
        row["preferredChannel"] = rng.choice(("PHONE", "WECHAT", "VISIT", "EMAIL", "SMS"))
    if documented > 0.75 and age >= 18:
        row["preferredTime"] = rng.choice(TIMES)
    if documented > 0.5:
        row["source"] = rng.choice(SOURCES)
    if age >= 18:
        if affluence > 0.97:
            row["tier"] = "STRATEGIC" if affluence > 0.995 else "MID_STRATEGIC"
        elif documented > 0.3:
            row["tier"] = "NON_STRATEGIC"
        if documented > 0.3:
            row["grade"] = min(5, 1 + int(affluence * 5))
        if documented > 0.2:
            row["customerSince"] = gen.date_between(date(2008, 1, 1), AS_OF).isoformat()
    if executive and rng.random() < 0.1:
        row["confidential"] = True
    gen.emit("people", row)
    return Person(
        pid,
        surname or surname_of(name),
        gender,
        birth,
        city,
        region,
        address,
        affluence,
        AS_OF.year - birth.year,
        executive=executive,
    )


def household(gen: Generator, head: Person, children_mean: float = 1.0) -> list[Person]:
    """The head's relatives: spouse, children, sometimes a parent or a sibling (within the
    run's budget of parties)."""
    rng = gen.rng
    members: list[Person] = []
    head_age = head.age
    spouse: Person | None = None
    if gen.room(1) and (head_age >= 24 and rng.random() < 0.8):
        spouse = person(
            gen,
            gender="M" if head.gender == "F" else "F",
            age=max(20, head_age + rng.randint(-5, 5)),
            region=head.region,
            city=head.city,
            address=head.address,
            affluence=min(1.0, max(0.0, head.affluence + rng.gauss(0, 0.1))),
        )
        members.append(spouse)
        family(gen, head.id, spouse.id, "SPOUSE")
    n_children = min(3, int(rng.expovariate(1 / children_mean))) if children_mean else 0
    for _ in range(gen.room(n_children) if head_age >= 24 else 0):
        age = max(0, min(head_age - 22, rng.randint(0, 40)))
        father_surname = head.surname if head.gender == "M" or spouse is None else spouse.surname
        child = person(
            gen,
            age=age,
            surname=father_surname,
            region=head.region,
            city=head.city if age < 22 else None,
            address=head.address if age < 22 else None,
            affluence=head.affluence * 0.7,
        )
        members.append(child)
        head.children += 1
        # CHILD rows appear too: the importer stores them as PARENT from the parent.
        if rng.random() < 0.5:
            family(gen, head.id, child.id, "PARENT")
        else:
            family(gen, child.id, head.id, "CHILD")
        if spouse is not None:
            spouse.children += 1
            family(gen, spouse.id, child.id, "PARENT")
    if gen.room(1) and head_age < 55 and rng.random() < 0.1:
        parent = person(
            gen,
            age=head_age + rng.randint(24, 34),
            surname=head.surname,
            region=head.region,
            affluence=head.affluence,
        )
        members.append(parent)
        family(gen, parent.id, head.id, "PARENT")
    if gen.room(1) and rng.random() < 0.06:
        sibling = person(gen, age=max(18, head_age + rng.randint(-8, 8)), surname=head.surname)
        members.append(sibling)
        family(gen, head.id, sibling.id, rng.choice(("SIBLING", "SIBLING", "OTHER")))
    return members


def family(gen: Generator, a: str, b: str, kind: str) -> None:
    gen.emit("family", {"fromId": a, "toId": b, "kind": kind})
