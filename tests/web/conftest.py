"""Fixtures of the web tests."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture
def tmp_uploads(platform, tmp_path):
    """Store form attachments under the test's temporary directory instead of instance/uploads."""
    platform.settings = dataclasses.replace(platform.settings, upload_dir=tmp_path / "uploads")
    return platform.settings.upload_dir
