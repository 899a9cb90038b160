"""The schema: models follow the data contract, and the migrations build exactly the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

from laser_policy.cli.db import db
from laser_policy.contracts import TABLES
from laser_policy.store.db import current_revision, head_revision, make_engine, upgrade
from laser_policy.store.models import DATA_TABLES
from laser_policy.store.schema import metadata


@pytest.mark.parametrize("name", list(DATA_TABLES))
def test_each_model_has_the_contract_columns_keys_and_required_values(name: str) -> None:
    spec, table = TABLES[name], DATA_TABLES[name]
    assert [c.name for c in table.columns] == list(spec.column_names)
    assert tuple(c.name for c in table.primary_key.columns) == spec.key
    for col in spec.columns:
        assert table.c[col.name].nullable == (not col.required and col.name not in spec.key), \
            col.name


def test_every_contract_table_is_stored_somewhere() -> None:
    bulk_only = {n for n, t in TABLES.items() if t.bulk}
    assert set(DATA_TABLES) | bulk_only == set(TABLES)
    assert bulk_only == {"transactions"}


def test_upgrade_on_an_empty_database_builds_exactly_the_models(db_url: str) -> None:
    assert current_revision(db_url) is None
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
            assert compare_metadata(ctx, metadata()) == []
            tables = set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert tables == set(metadata().tables) | {"alembic_version"}


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()


def test_db_commands_report_and_upgrade(db_url: str) -> None:
    runner = CliRunner()
    before = runner.invoke(db, ["current", "--db", db_url])
    assert before.exit_code == 0, before.output
    assert "空库" in before.output
    done = runner.invoke(db, ["upgrade", "--db", db_url])
    assert done.exit_code == 0, done.output
    assert head_revision() in done.output
    assert "最新" in runner.invoke(db, ["current", "--db", db_url]).output


def test_the_migrations_form_one_line_with_a_single_head() -> None:
    head = head_revision()
    assert head is not None
    assert "+" not in head
