"""The service catalogue: strands, the care services in them, their teams, and the coded
needs a referral can name (what routing rules match on)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.core.db import Base


class Strand(Base):
    __tablename__ = "strands"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    services: Mapped[list[Service]] = relationship(back_populates="strand", order_by="Service.name")


class Service(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    strand_id: Mapped[int] = mapped_column(sa.ForeignKey("strands.id"), index=True)
    key_working: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    strand: Mapped[Strand] = relationship(back_populates="services")
    teams: Mapped[list[Team]] = relationship(back_populates="service", order_by="Team.name")


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    service: Mapped[Service] = relationship(back_populates="teams")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.service.name})"


class Need(Base):
    """A coded need a referral can name (seed/needs.json)."""

    __tablename__ = "needs"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(160))
    group: Mapped[str] = mapped_column(sa.String(40))
