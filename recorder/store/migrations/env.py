"""Alembic environment: migrations run on the connection recorder hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import recorder.store.models  # noqa: F401  (registers the tables)
from recorder.store.search_key import include_name

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from recorder.store.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,  # the search index is no model's (migration 0016)
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
