"""A website booking form creates service requests with the token of an integration user, who can do nothing else
(issue 15 item 3)."""

from __future__ import annotations

import pytest

from crm.accounts.access import create_user
from crm.accounts.users import User
from crm.customers.models import Customer
from tests.orders.driver import SERVICE_FILES
from tests.support.api_driver import bpmn_files

PASSWORD = "booking-form-kettle-57"


@pytest.fixture
def booking_form(platform, api):
    with platform.sessions.begin() as session:
        platform.engine.deploy(session, bpmn_files(SERVICE_FILES), "owner")
        create_user(session, "website", PASSWORD, "Website booking form", ["integration"])
        customer = Customer(company="Bohai Ferries")
        session.add(customer)
        session.flush()
        customer_id = customer.id
    yield api("website", PASSWORD), customer_id
    with platform.sessions.begin() as session:
        session.delete(session.query(User).filter_by(username="website").one())


def test_the_booking_form_registers_a_request_through_the_service_process(booking_form, api):
    website, customer_id = booking_form
    sent = website.post("/api/service-requests", json={"customer_id": customer_id, "channel": "booking",
                                                       "request_type": "maintenance",
                                                       "description": "Annual engine check, week 12"})
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert body["number"] and body["request_id"] and body["status"] == "new"
    seen = api("agent").get(f"/api/service-requests/{body['request_id']}").get_json()
    assert (seen["channel"], seen["request_type"], seen["instance_id"]) == ("booking", "maintenance",
                                                                             body["instance_id"])


def test_the_start_forms_checks_apply(booking_form):
    website, customer_id = booking_form
    refused = website.post("/api/service-requests", json={"customer_id": customer_id, "request_type": "teleport",
                                                          "description": ""})
    assert refused.status_code == 422
    assert {"request_type", "description"} <= set(refused.get_json()["fields"])


def test_an_integration_user_reads_nothing(booking_form):
    website, customer_id = booking_form
    for url in ("/api/customers", f"/api/customers/{customer_id}", "/api/service-requests", "/api/tasks",
                "/api/lookup/customer?q=Bohai", "/api/processes"):
        assert website.get(url).status_code == 403, url
    assert website.post("/api/customers", json={"company": "X"}).status_code == 403
    assert website.get("/api/openapi.json").status_code == 200


def test_an_integration_user_gets_no_page_either(booking_form, app):
    from tests.support.web import WebUser

    browser = WebUser(app.test_client(), "website").login(PASSWORD)
    for url in ("/customers/", "/worklist/", "/service/", "/api/customers"):
        assert browser.get(url).status_code == 403, url
