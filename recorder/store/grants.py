"""Least privilege on PostgreSQL: what the app's own role may do (issue 14, item 2).

The schema owner runs ``recorder migrate``; the app connects as a role that owns nothing and
may only read and write rows the way the app does: no DDL (it owns no table and may not
create in the schema), no TRUNCATE, no disabling of triggers (that needs ownership), no UPDATE
or DELETE on the signed and append-only tables, which the app only ever inserts into. The
triggers refuse changes to signed rows as well; these grants are the second wall.

Every table of the schema is in exactly one of the lists below (a test holds it so: a new
table is a decision, not a default).
"""

from __future__ import annotations

import re

#: signed or append-only: the app reads and adds rows, never changes or removes one
APPEND_ONLY = (
    "addendum",
    "addendum_ack",
    "audit_event",
    "contact_addendum",
    "countersign",
    "oversight_note",
    "return_comment",
    "signature",
    "significant_event",
    "supervision",
    "supervision_case",
)
#: rows the app changes (the workflow; triggers guard what a signed row may not change)
UPDATED = (
    "carer",
    "child",
    "child_alert",
    "child_co_worker",
    "child_plan",
    "contact",
    "placement",
    "plan_frequency",
    "team",
    "tracked_action",
    "upgrade_notice",
    "visit",
    "visit_section",
    "worker",
)
#: what someone is typing, removed when the form is signed: the only rows the app deletes
DELETED = ("form_draft",)
#: the schema's revision: read, to refuse to start on a schema that is behind
READ_ONLY = ("alembic_version",)

DEFAULT_ROLE = "recorder_app"
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def valid_role(name: str) -> bool:
    """A plain PostgreSQL role name (lower case letters, digits, underscores), never quoted
    into SQL otherwise."""
    return bool(_ROLE.match(name))


def grant_sql(role: str, database: str, schema: str = "public") -> list[str]:
    """The statements that give ``role`` exactly what the app needs on ``database``: run them
    as the schema owner, after every ``recorder migrate`` (a new table needs its grant)."""
    if not valid_role(role) or not valid_role(schema):
        raise ValueError(role)
    db = '"' + database.replace('"', '""') + '"'
    tables = lambda names: ", ".join(f"{schema}.{n}" for n in names)  # noqa: E731
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"REVOKE ALL ON SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT ON {tables(READ_ONLY)} TO {role}",
        f"GRANT SELECT, INSERT ON {tables(APPEND_ONLY)} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE ON {tables(UPDATED)} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables(DELETED)} TO {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
