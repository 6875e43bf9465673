"""Uploaded files: their metadata here, their bytes under ``settings.upload_dir`` by storage key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import CrmBase, utcnow


class StoredFile(CrmBase):
    """One upload; form data holds ``{name, size, content_type, storage_key}`` pointing here."""

    __tablename__ = "stored_file"

    storage_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(200))
    uploaded_by: Mapped[str] = mapped_column(String(100), index=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    instance_id: Mapped[int | None] = mapped_column(index=True)
    """The process instance the file was submitted to; who may see that instance may download it."""

    def as_value(self) -> dict:
        """The value a file form field holds."""
        return {"name": self.name, "size": self.size, "content_type": self.content_type,
                "storage_key": self.storage_key}
