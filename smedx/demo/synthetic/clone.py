"""Copy case files in bulk: every row that belongs to a template enterprise, once per clone, in one
INSERT … SELECT per table.

A clone is a row of the scratch table `synth_clone`: its number `c` (1, 2, …), the template
enterprise it copies, and what differs (the new enterprise's id, district, name, code, contact and a
shift of all its dates into the past). A table is declared once, in the module of the app that owns
it, by the path of foreign keys from its rows to their enterprise; everything else follows from the
model:

- the primary key becomes `id + c × stride`, where a table's stride is its largest id + 1 before the
  run, so new keys never meet old ones or each other;
- a foreign key to a copied table moves by that table's stride, so a copied project points at the
  copied plan of the same clone; a key to the enterprise becomes the clone's enterprise, a key to a
  district the clone's district; keys to anything else (people, providers, instruments) stay;
- dates and times move back by the clone's shift, so every "this happened before that" of the
  template holds in the copy;
- a column the model cannot explain (a name, a code, an id kept as text) is given by the declaration.

The same SQL runs on PostgreSQL and SQLite; only date arithmetic and loading `synth_clone` differ.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models

from smedx.accounts.models import Region
from smedx.enterprises.models import Enterprise

CLONES = "synth_clone"
CLONE_COLUMNS = [
    ("c", "bigint"),
    ("template_id", "bigint"),
    ("new_id", "bigint"),
    ("region_id", "bigint"),
    ("shift", "integer"),
    ("name", "varchar(200)"),
    ("credit_code", "varchar(18)"),
    ("address", "varchar(300)"),
    ("contact_name", "varchar(50)"),
    ("contact_phone", "varchar(30)"),
]


@dataclass(frozen=True)
class Table:
    """One table to copy. `owner`: the path from a row to its enterprise ("enterprise",
    "proposal__need__enterprise", or a plain column holding the enterprise's id)."""

    model: type[models.Model]
    owner: str = "enterprise"
    where: str | Callable[["Cloner"], str] = ""  # an extra condition on the template rows, alias `t`
    columns: dict[str, Callable[["Cloner"], str]] = field(default_factory=dict)


class Cloner:
    def __init__(self, tables: list[Table]):
        self.tables = tables
        self.copied = {table.model for table in tables}
        self.strides: dict[type, int] = {}
        self.postgres = connection.vendor == "postgresql"

    # --- what the declarations may use ------------------------------------------------------------

    def stride(self, model) -> int:
        return self.strides[model]

    def moved(self, expression: str, model) -> str:
        return f"{expression} + m.c * {self.stride(model)}"

    # --- running ----------------------------------------------------------------------------------

    def measure(self) -> None:
        """Every stride, before anything is written: the keys of one table move by the same amount
        in the table itself and in every table that points at it."""
        with connection.cursor() as cursor:
            for model in self.copied:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
                self.strides[model] = cursor.fetchone()[0]

    def load_clones(self, rows: list[tuple]) -> None:
        names = ", ".join(name for name, _ in CLONE_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {CLONES}")
            columns = ", ".join(f"{name} {kind}" for name, kind in CLONE_COLUMNS)
            cursor.execute(f"CREATE TEMPORARY TABLE {CLONES} ({columns})")
            if self.postgres:
                with cursor.cursor.copy(f"COPY {CLONES} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("%s" for _ in CLONE_COLUMNS)
                cursor.executemany(f"INSERT INTO {CLONES} ({names}) VALUES ({marks})", rows)
            cursor.execute(f"CREATE INDEX synth_clone_template ON {CLONES} (template_id)")
            cursor.execute(f"ANALYZE {CLONES}")

    def copy(self, table: Table) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.sql(table))
            return cursor.rowcount

    def drop_clones(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {CLONES}")

    # --- the SQL ----------------------------------------------------------------------------------

    def sql(self, table: Table) -> str:
        meta = table.model._meta
        joins, owner = self.owner_path(table)
        columns, expressions = [], []
        for f in meta.concrete_fields:
            columns.append(connection.ops.quote_name(f.column))
            expressions.append(self.expression(table, f))
        where = table.where(self) if callable(table.where) else table.where
        where = f"WHERE {where}" if where else ""
        return (
            f"INSERT INTO {meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM {meta.db_table} t {' '.join(joins)} "
            f"JOIN {CLONES} m ON m.template_id = {owner} {where}"
        )

    def owner_path(self, table: Table) -> tuple[list[str], str]:
        model, alias, joins = table.model, "t", []
        steps = table.owner.split("__")
        for number, step in enumerate(steps):
            f = model._meta.get_field(step)
            if number == len(steps) - 1:
                return joins, f"{alias}.{f.column}"
            parent = f"j{number}"
            joins.append(
                f"JOIN {f.related_model._meta.db_table} {parent} ON {parent}.id = {alias}.{f.column}"
            )
            model, alias = f.related_model, parent
        raise ValueError(table.owner)

    def expression(self, table: Table, f) -> str:
        column = f"t.{connection.ops.quote_name(f.column)}"
        if f.name in table.columns:
            return table.columns[f.name](self)
        if f.primary_key:
            return "m.new_id" if table.model is Enterprise else self.moved(column, table.model)
        if f.is_relation:
            target = f.related_model
            if target is Enterprise:
                return "m.new_id"
            if target is Region:
                return "m.region_id"
            if target in self.copied:
                return self.moved(column, target)
            return column
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            return self.earlier(column, time=True)
        if kind == "DateField":
            return self.earlier(column, time=False)
        return column

    def earlier(self, column: str, *, time: bool) -> str:
        """The column moved back by the clone's shift in days (NULL stays NULL)."""
        if self.postgres:
            return f"{column} - m.shift * INTERVAL '1 day'" if time else f"{column} - m.shift"
        if time:  # Django keeps SQLite datetimes as text in UTC, 'YYYY-MM-DD HH:MM:SS[.ffffff]'
            return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '-' || m.shift || ' days')"
        return f"date({column}, '-' || m.shift || ' days')"

    def text_id(self, models_by_label: dict[str, type]) -> str:
        """An id kept as text beside its model's label (the audit trail's object_id), moved like a key."""
        cases = " ".join(
            f"WHEN '{label}' THEN CAST(CAST(t.object_id AS BIGINT) + m.c * {self.stride(model)} AS TEXT)"
            for label, model in models_by_label.items()
            if model is not Enterprise
        )
        return f"CASE t.object_type WHEN 'enterprises.enterprise' THEN CAST(m.new_id AS TEXT) {cases} END"
