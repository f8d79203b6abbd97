"""The migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from gateway import create_app
from gateway.extensions import db


@pytest.mark.parametrize("run", ["sqlite"])
def test_upgrade_matches_models_and_seeds_organisations(tmp_path, run):
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            orgs = conn.exec_driver_sql("SELECT count(*) FROM organisations").scalar()
        assert diff == []
        assert orgs >= 8
        assert "outbox_events" in inspect(db.engine).get_table_names()
        db.engine.dispose()
