"""The relational schema: one typed model per data-package table, plus the import log.

Column names and nullability follow ``laser_policy.contracts.TABLES`` (a test keeps
them in step). Natural keys are primary keys; an optional part of a key
(``qualifications.level``, ``awards.ref``) is stored as ``''`` when absent, since a
primary key cannot hold NULL; the exporter turns it back into an empty cell.
Procurement ``transactions`` are bulk facts and live as Parquet (``store.bulk``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON documents: JSONB on PostgreSQL, JSON text on SQLite
Json = JSON().with_variant(JSONB(), "postgresql")
#: a large auto-incrementing id (SQLite only auto-increments INTEGER)
BigId = BigInteger().with_variant(Integer(), "sqlite")
Uscc = String(18)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: Text(),
        float: Double(),
        datetime: DateTime(timezone=True),
    }


def _enterprise_fk(*, primary_key: bool = False, nullable: bool = False) -> Any:
    return mapped_column(
        Uscc, ForeignKey("enterprises.uscc"), primary_key=primary_key, nullable=nullable
    )


class Enterprise(Base):
    __tablename__ = "enterprises"
    uscc: Mapped[str] = mapped_column(Uscc, primary_key=True)
    name: Mapped[str]
    province: Mapped[str | None]
    city: Mapped[str | None]
    segments: Mapped[str | None]
    listed_on: Mapped[date | None]
    is_laser: Mapped[bool | None]


class Financial(Base):
    __tablename__ = "financials"
    uscc: Mapped[str] = _enterprise_fk(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    revenue_wan: Mapped[float]
    laser_revenue_wan: Mapped[float]
    rd_expense_wan: Mapped[float | None]
    invention_patents: Mapped[int | None]
    has_rd_institution: Mapped[bool | None]
    above_scale: Mapped[bool | None]


class Qualification(Base):
    __tablename__ = "qualifications"
    uscc: Mapped[str] = _enterprise_fk(primary_key=True)
    kind: Mapped[str] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)


class Product(Base):
    __tablename__ = "products"
    product_id: Mapped[str] = mapped_column(primary_key=True)
    developer_uscc: Mapped[str] = _enterprise_fk()
    user_uscc: Mapped[str | None] = _enterprise_fk(nullable=True)
    catalog: Mapped[str]
    catalog_level: Mapped[str]
    year: Mapped[int]
    unit_price_wan: Mapped[float | None]
    rd_cost_wan: Mapped[float | None]
    name: Mapped[str | None]


class Platform(Base):
    __tablename__ = "platforms"
    platform_id: Mapped[str] = mapped_column(primary_key=True)
    operator_uscc: Mapped[str] = _enterprise_fk()
    level: Mapped[str]
    year: Mapped[int] = mapped_column(primary_key=True)
    external_service_revenue_wan: Mapped[float]
    name: Mapped[str | None]


class Project(Base):
    __tablename__ = "projects"
    project_id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    uscc: Mapped[str] = _enterprise_fk()
    kind: Mapped[str]
    channel: Mapped[str | None]
    year: Mapped[int]
    investment_wan: Mapped[float]
    completed_investment_wan: Mapped[float | None]
    stage: Mapped[str | None]
    planned_completion: Mapped[date | None]
    city: Mapped[str | None]


class Award(Base):
    __tablename__ = "awards"
    uscc: Mapped[str] = _enterprise_fk(primary_key=True)
    incentive: Mapped[str] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    amount_wan: Mapped[float]
    tier: Mapped[str | None]
    ref: Mapped[str] = mapped_column(primary_key=True)


class Demand(Base):
    __tablename__ = "demands"
    id: Mapped[str] = mapped_column(primary_key=True)
    uscc: Mapped[str] = _enterprise_fk()
    title: Mapped[str]
    text: Mapped[str]
    segment: Mapped[str | None]
    city: Mapped[str | None]
    posted_on: Mapped[date | None]


class Offer(Base):
    __tablename__ = "offers"
    id: Mapped[str] = mapped_column(primary_key=True)
    uscc: Mapped[str] = _enterprise_fk()
    title: Mapped[str]
    text: Mapped[str]
    segment: Mapped[str | None]
    city: Mapped[str | None]
    posted_on: Mapped[date | None]


class FundInvestment(Base):
    __tablename__ = "fund_investments"
    investment_id: Mapped[str] = mapped_column(primary_key=True)
    fund: Mapped[str]
    uscc: Mapped[str] = _enterprise_fk()
    amount_wan: Mapped[float]
    date: Mapped[date]
    purpose: Mapped[str]
    city: Mapped[str | None]
    segment: Mapped[str | None]


class Guarantee(Base):
    __tablename__ = "guarantees"
    guarantee_id: Mapped[str] = mapped_column(primary_key=True)
    uscc: Mapped[str] = _enterprise_fk()
    guarantor: Mapped[str]
    bank: Mapped[str | None]
    amount_wan: Mapped[float]
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    outcome: Mapped[str | None]


class AttractedFirm(Base):
    """A firm attracted to Hubei; not necessarily in the enterprise list (no foreign key)."""

    __tablename__ = "attracted_firms"
    name: Mapped[str] = mapped_column(primary_key=True)
    uscc: Mapped[str | None] = mapped_column(Uscc)
    segment: Mapped[str]
    date: Mapped[date]
    city: Mapped[str] = mapped_column(primary_key=True)
    origin: Mapped[str]


class RelatedOutput(Base):
    """Output of the laser-application industries; ``city`` is ``''`` for the province."""

    __tablename__ = "related_output"
    year: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(primary_key=True)
    industry: Mapped[str] = mapped_column(primary_key=True)
    output_yi: Mapped[float]


class ImportBatch(Base):
    """One committed import: which file (by SHA-256), who, when, and what changed."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    source: Mapped[str]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    user_name: Mapped[str] = mapped_column(String(128))
    imported_at: Mapped[datetime]
    counts: Mapped[dict[str, Any]] = mapped_column(Json)


class AuditEntry(Base):
    """One changed row (or bulk partition): before and after as JSON."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    at: Mapped[datetime]
    user_name: Mapped[str] = mapped_column(String(128))
    table_name: Mapped[str] = mapped_column(String(64))
    key: Mapped[dict[str, Any]] = mapped_column(Json)
    #: insert / update / replace (a bulk partition)
    action: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(Json)
    after: Mapped[dict[str, Any] | None] = mapped_column(Json)
    source_sha256: Mapped[str | None] = mapped_column(String(64))


class BulkPartition(Base):
    """Which Parquet file holds each stored partition of a bulk table.

    The import writes a new partition under a new name and switches this row in its
    own database transaction, so the commit is what makes new files current: a kill
    at any moment leaves the old rows pointing at the old files (``store.bulk``).
    """

    __tablename__ = "bulk_partitions"
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    rows: Mapped[int] = mapped_column(BigInteger)


#: the data-package tables held in the database, parents first
DATA_MODELS: dict[str, type[Base]] = {
    m.__tablename__: m
    for m in (Enterprise, Financial, Qualification, Product, Platform, Project, Award,
              Demand, Offer, FundInvestment, Guarantee, AttractedFirm, RelatedOutput)
}
DATA_TABLES: dict[str, Table] = {name: Base.metadata.tables[name] for name in DATA_MODELS}
AUDIT_LOG: Table = Base.metadata.tables["audit_log"]
IMPORT_BATCHES: Table = Base.metadata.tables["import_batches"]
BULK_PARTITIONS: Table = Base.metadata.tables["bulk_partitions"]
