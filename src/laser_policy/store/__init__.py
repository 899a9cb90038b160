"""Storage: the relational store (SQLAlchemy + Alembic) and bulk facts as Parquet."""
