from __future__ import annotations

from ticketing.schemas import CityDateRangeSchema


class DateRangeSchema(CityDateRangeSchema):
    """`from`/`to` as city-calendar dates, both inclusive; either may be left out."""
