from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, configure_mappers, make_transient_to_detached, mapped_column
from sqlalchemy.orm.attributes import instance_state
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
    """INSERT … ON CONFLICT (unique_columns) DO NOTHING RETURNING the new id, as a loaded ORM
    object, or None when that key is taken (with no columns named: when any unique key is taken).

    One statement on PostgreSQL and SQLite alike, where a savepoint around a plain INSERT costs
    two more round trips and an IntegrityError to unwind. Every column's value is known here
    (given, else its Python default), so only the id comes back and the object is built from
    the values: reading a ticket's seventy columns back and loading them through the ORM cost
    a fifth of a web complaint's CPU."""
    plan = _insert_plan(model, session.get_bind().dialect.name, unique_columns)
    if unknown := values.keys() - plan.keys:
        raise TypeError(f"{model.__name__} has no columns {sorted(unknown)}")
    row = {key: values[key] if key in values else make() for key, make in plan.columns}
    # The values travel as parameters of one prebuilt statement: building
    # `insert().values(**values)` anew per complaint cost more CPU than the INSERT itself.
    # Core on the session's connection, after what the session holds (an ORM statement would
    # autoflush too): the ORM's execute adds nothing else to a table INSERT.
    session.flush()
    # A NULL is the database's own default: sent, it is one more parameter to adapt.
    params = {key: value for key, value in row.items() if value is not None or key in plan.sent_if_null}
    new_id = session.connection().execute(plan.statement, params).scalar()
    if new_id is None:
        return None
    instance = plan.mapper.class_manager.new_instance()
    # Filled in as a query's loading fills a fresh instance: straight into its state's dict.
    instance_state(instance).dict.update(row, **{plan.id_key: new_id})
    make_transient_to_detached(instance)
    session.add(instance)  # persistent, in the identity map, as if just loaded
    return instance


@dataclass(frozen=True)
class _InsertPlan:
    statement: object
    mapper: object
    id_key: str
    columns: tuple  # (attribute key, () -> its default) for every column but the id
    keys: frozenset  # those attribute keys
    sent_if_null: frozenset  # the keys whose column has a server default a NULL must override


def _column_default(column):
    default = column.default
    if default is None:
        if column.server_default is not None:
            raise TypeError(f"{column} has only a server default: give it a Python default too")
        return lambda: None
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        # SQLAlchemy wraps a no-argument callable to take the execution context; ours never use it.
        return lambda: default.arg(None)
    raise TypeError(f"{column} has a SQL default that insert_unless_taken cannot know beforehand")


@cache
def _insert_plan(model, dialect_name: str, unique_columns: tuple[str, ...]) -> _InsertPlan:
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if dialect_name == "postgresql" else sqlite
    # Objects are built here before any query may have configured the mappers (a process whose
    # first database work is storing an inbound message): their attributes need it.
    configure_mappers()
    mapper = sa_inspect(model)
    (id_column,) = mapper.primary_key
    statement = (
        dialect.insert(model.__table__)
        .on_conflict_do_nothing(index_elements=list(unique_columns) or None)
        .returning(id_column)
    )
    columns = []
    for column in model.__table__.columns:
        # The row is both the statement's parameters (by column) and the object's state (by
        # attribute): the two names must be one.
        if mapper.get_property_by_column(column).key != column.key:
            raise TypeError(f"{column} is mapped under another name")
        if column is not id_column:
            columns.append((column.key, _column_default(column)))
    server_defaulted = frozenset(c.key for c in model.__table__.columns if c.server_default is not None)
    return _InsertPlan(
        statement, mapper, id_column.key, tuple(columns), frozenset(k for k, _ in columns), server_defaulted
    )
