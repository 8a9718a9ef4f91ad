from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit id.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both databases (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class IdMixin:
    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


def insert_unless_taken(session, model, values: dict, unique_columns: tuple[str, ...] = ()):
    """INSERT … ON CONFLICT (unique_columns) DO NOTHING RETURNING the row as a loaded ORM object,
    or None when that key is taken (with no columns named: when any unique key is taken).

    One statement on PostgreSQL and SQLite alike, where a savepoint around a plain INSERT costs
    two more round trips and an IntegrityError to unwind."""
    statement = _insert_unless_taken_statement(model, session.get_bind().dialect.name, unique_columns)
    # The values travel as parameters of one prebuilt statement: building
    # `insert().values(**values)` anew per complaint cost more CPU than the INSERT itself.
    return session.scalars(statement, [values]).first()


@cache
def _insert_unless_taken_statement(model, dialect_name: str, unique_columns: tuple[str, ...]):
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(model)
        .on_conflict_do_nothing(index_elements=list(unique_columns) or None)
        .returning(model)
    )
