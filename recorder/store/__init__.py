"""Storage: sqlmodel tables, the engine factory and alembic migrations.

Importing this package is cheap; the engine is built only by :func:`recorder.store.engine.make_engine`.
"""
