"""Row links built once per page (web/row_links.py): the same URL ``url_for`` builds for every row's id."""

from __future__ import annotations

import pytest
from flask import url_for

from web.row_links import url_format


def test_a_link_built_once_is_the_one_url_for_builds_for_each_id(app):
    with app.test_request_context("/"):
        for endpoint, key, extra in (("customers.show", "customer_id", {}), ("contracts.document", "contract_id", {}),
                                     ("customers.index", "page", {"q": "船 50%", "grade": "key"})):
            pattern = url_format(endpoint, key, **extra)
            for row_id in (1, 42, 918273645):
                assert pattern % row_id == url_for(endpoint, **{key: row_id}, **extra), endpoint
        pattern = url_format("tasks.show", "task_id")  # a text id
        assert pattern % "3f2a-b9" == url_for("tasks.show", task_id="3f2a-b9")


def test_a_url_where_the_id_cannot_be_told_apart_is_refused(app):
    with app.test_request_context("/"), pytest.raises(ValueError):
        url_format("customers.index", "page", q="918273645")  # the stand-in's digits twice
