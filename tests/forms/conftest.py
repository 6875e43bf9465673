"""Fixtures of the forms tests."""

import sys
from pathlib import Path

import pytest
from flask import Flask

# The project root has no pytest configuration yet; make ``import forms`` work from any directory.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    return app
