"""Two database roles for production: one owns the schema and runs migrations, the other
is the application's, which owns nothing. Only a table's owner (or a superuser) can
disable its triggers or alter it, so the application's role cannot switch off the audit
trail's append-only triggers, and it is refused UPDATE and DELETE on the trail outright.
"""

from __future__ import annotations

# Tables the application may only read and append to.
APPEND_ONLY = ("audit_events", "audit_seals")


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r}: a role or database name is letters, digits and _")
    return f'"{name}"'


def role_statements(*, database: str, owner: str, app: str, create_owner: bool = True) -> list[str]:
    """The SQL, in order, to run as a superuser before the first migration (and again
    after any, to grant on new tables: the default privileges cover tables the owner
    creates later)."""
    db, own, role = _ident(database), _ident(owner), _ident(app)
    statements = []
    if create_owner:
        statements.append(
            f"DO $$ BEGIN CREATE ROLE {own} LOGIN NOSUPERUSER NOCREATEROLE; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        statements.append(f"ALTER DATABASE {db} OWNER TO {own}")
        statements.append(f"ALTER SCHEMA public OWNER TO {own}")
    statements += [
        f"DO $$ BEGIN CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
        "NOREPLICATION NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        f"GRANT CONNECT ON DATABASE {db} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {own} IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
    ]
    statements += [
        f"DO $$ BEGIN REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}; "
        "EXCEPTION WHEN undefined_table THEN NULL; END $$"
        for table in (*APPEND_ONLY, "alembic_version")
    ]
    return statements
