"""Pure rules of a visit record: roles, sections, validation, workflow, timescales.

Nothing here imports Textual, SQLAlchemy, sqlmodel or any other layer of recorder.
"""
