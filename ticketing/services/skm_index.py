"""The Indeks Kepuasan Masyarakat as Permenpan RB 14/2017 computes it, and the sample size.

Pure arithmetic, no database: the fixture test checks it against a hand computation.

- Each element's "nilai rata-rata" (NRR) is the mean of its 1–4 answers.
- The regulation weighs every element equally ("bobot nilai rata-rata tertimbang" = 1 / the
  number of elements answered): the IKM is the mean of the applicable elements' NRR, times 25
  to put it on 25–100. The regulation's worked example rounds the weight to 0.11; exact
  fractions are used here (0.11 × 9 is 0.99, which would put a perfect service at 99), and the
  result is rounded half-up to two decimals before it is graded.
- Grades are the regulation's intervals of the converted value: A 88.31–100, B 76.61–88.30,
  C 65.00–76.60, D 25.00–64.99.
- The sample size is Krejcie and Morgan's (the table the regulation reprints): for a
  population N, s = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)) with X² = 3.841, P = 0.5, d = 0.05,
  rounded to the nearest whole respondent as the table is (50 → 44, 100 → 80, 500 → 217,
  1,000 → 278, 1,000,000 → 384).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
CONVERSION = 25
# (lowest IKM of the grade, grade), best first.
GRADES = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"), (Decimal("25.00"), "D"))
_SEMESTER = re.compile(r"^(\d{4})-([12])$")


@dataclass(frozen=True)
class Semester:
    year: int
    half: int  # 1: January–June, 2: July–December

    @classmethod
    def parse(cls, value: str | None) -> Semester | None:
        match = _SEMESTER.match(value or "")
        if match is None or not 2000 <= int(match.group(1)) <= 2100:
            return None
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, moment: datetime, zone: ZoneInfo) -> Semester:
        local = moment.astimezone(zone)
        return cls(local.year, 1 if local.month <= 6 else 2)

    @property
    def code(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def label(self) -> str:
        return f"Semester {'I' if self.half == 1 else 'II'} {self.year}"

    @property
    def period_label(self) -> str:
        return f"Januari–Juni {self.year}" if self.half == 1 else f"Juli–Desember {self.year}"

    def previous(self) -> Semester:
        return Semester(self.year, 1) if self.half == 2 else Semester(self.year - 1, 2)

    def year_before(self) -> Semester:
        return Semester(self.year - 1, self.half)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the half-year in the city's calendar."""
        start = date(self.year, 1 if self.half == 1 else 7, 1)
        end = date(self.year, 7, 1) if self.half == 1 else date(self.year + 1, 1, 1)
        return (
            datetime(start.year, start.month, 1, tzinfo=zone).astimezone(UTC),
            datetime(end.year, end.month, 1, tzinfo=zone).astimezone(UTC),
        )


def round2(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def element_means(answers: list[dict[str, int | None]], applicable: tuple[str, ...]) -> dict[str, Fraction]:
    """Each applicable element's exact mean over the answers that gave it a value."""
    means = {}
    for element in applicable:
        values = [a[element] for a in answers if a.get(element) is not None]
        if values:
            means[element] = Fraction(sum(values), len(values))
    return means


def ikm(means: dict[str, Fraction]) -> Decimal | None:
    """The mean of the elements' means × 25, rounded half-up to two decimals."""
    if not means:
        return None
    return round2(sum(means.values(), Fraction(0)) / len(means) * CONVERSION)


def grade(value: Decimal | None) -> str | None:
    if value is None:
        return None
    for lowest, letter in GRADES:
        if value >= lowest:
            return letter
    return "D"


def sample_size(population: int | None) -> int | None:
    """Krejcie–Morgan: how many respondents a population of `population` asks for."""
    if not population or population <= 0:
        return None
    chi2, p, d = 3.841, 0.5, 0.05
    size = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return min(population, math.floor(size + 0.5))


@dataclass
class Index:
    respondents: int
    means: dict[str, Fraction]
    ikm: Decimal | None

    @property
    def grade(self) -> str | None:
        return grade(self.ikm)

    def rounded_means(self) -> dict[str, float | None]:
        return {e: (float(round2(self.means[e])) if e in self.means else None) for e in ELEMENTS}

    def weakest(self, count: int = 3) -> list[tuple[str, float]]:
        ranked = sorted(self.means.items(), key=lambda kv: (kv[1], kv[0]))[:count]
        return [(element, float(round2(mean))) for element, mean in ranked]


def compute(answers: list[dict[str, int | None]], not_applicable=()) -> Index:
    applicable = tuple(e for e in ELEMENTS if e not in set(not_applicable or ()))
    means = element_means(answers, applicable)
    return Index(respondents=len(answers), means=means, ikm=ikm(means))
