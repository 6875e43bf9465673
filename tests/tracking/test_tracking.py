"""Behaviour tracking (issue 15 item 5): opens, clicks, website visits and seminar check-ins land on the contact's
and customer's timeline and in the grading input; forged tokens record nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.accounts.users import User
from crm.customers.behaviour import BehaviourEvent
from crm.customers.models import Contact, Customer
from crm.customers.performance import customer_performance
from services.tracking.tokens import TrackingTokens

SITE = "https://www.shipyard.example"


@pytest.fixture
def site(app, platform):
    """The company website may report visits; at most 3 per contact and hour."""
    platform.settings = dataclasses.replace(platform.settings, tracking_origins=(SITE,), tracking_visits_per_hour=3)
    return SITE


@pytest.fixture
def contact_id(platform) -> int:
    with platform.sessions.begin() as session:
        owner = session.scalars(select(User).where(User.username == "sales")).one()
        customer = Customer(company="Blue Whale Lines", owner=owner)
        customer.contacts.append(Contact(name="Li Wei", email="li@bluewhale.example"))
        session.add(customer)
        session.flush()
        return customer.contacts[0].id


@pytest.fixture
def tokens(app) -> TrackingTokens:
    return TrackingTokens(app.config["SECRET_KEY"])


def _events(platform, contact_id: int) -> list[tuple[str, str]]:
    with platform.sessions() as session:
        return [(e.kind, e.detail) for e in session.scalars(
            select(BehaviourEvent).where(BehaviourEvent.contact_id == contact_id).order_by(BehaviourEvent.id))]


def test_an_opened_email_loads_the_pixel_and_is_recorded(client, platform, contact_id, tokens):
    answer = client.get(f"/t/o/{tokens.open_token(contact_id, 'Spring newsletter')}.gif")
    assert answer.status_code == 200 and answer.mimetype == "image/gif" and answer.data.startswith(b"GIF89a")
    assert "no-store" in answer.headers["Cache-Control"]
    assert _events(platform, contact_id) == [("email_open", "Spring newsletter")]


def test_a_click_is_recorded_and_goes_on_with_a_visitor_token_only_to_the_company_site(
        client, platform, site, contact_id, tokens):
    outside = client.get(f"/t/c/{tokens.click_token(contact_id, 'Fair', 'https://fair.example/hall?x=1')}")
    assert outside.status_code == 302 and outside.headers["Location"] == "https://fair.example/hall?x=1"
    ours = client.get(f"/t/c/{tokens.click_token(contact_id, 'Fair', SITE + '/lng?lang=zh')}")
    target = urlsplit(ours.headers["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == SITE + "/lng" and query["lang"] == ["zh"]
    assert tokens.read_visitor(query["crm_t"][0]) == contact_id
    assert _events(platform, contact_id) == [("link_click", "Fair: https://fair.example/hall?x=1"),
                                             ("link_click", f"Fair: {SITE}/lng?lang=zh")]


@pytest.mark.parametrize("make", [
    lambda t, c: f"/t/o/{t.open_token(c, 'x')[:-2]}xx.gif",            # signature changed
    lambda t, c: f"/t/o/{t.click_token(c, 'x', 'https://a.example')}.gif",  # a click token is no open token
    lambda t, c: f"/t/c/{t.open_token(c, 'x')}",
    lambda t, c: f"/t/c/{TrackingTokens('another-secret').click_token(c, 'x', 'https://evil.example')}",
    lambda t, c: f"/t/o/{t.open_token(c + 999, 'x')}.gif",           # a contact that does not exist
    lambda t, c: "/t/c/" + "A" * 3000,
])
def test_forged_or_foreign_tokens_record_nothing(client, platform, contact_id, tokens, make):
    answer = client.get(make(tokens, contact_id))
    assert answer.status_code == 404
    assert "Location" not in answer.headers
    assert _events(platform, contact_id) == []


def _visit(client, body, origin=SITE):
    return client.post("/t/visit", data=body, headers={"Origin": origin, "Content-Type": "text/plain"})


def test_website_visits_of_an_identified_contact_are_recorded_from_the_allowed_origin_only(
        client, platform, site, contact_id, tokens):
    visitor = tokens.visitor_token(contact_id)
    preflight = client.options("/t/visit", headers={"Origin": SITE, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == SITE
    ok = _visit(client, f'{{"token": "{visitor}", "url": "{SITE}/products/lng"}}')
    assert ok.status_code == 204 and ok.headers["Access-Control-Allow-Origin"] == SITE
    assert _visit(client, f'{{"token": "{visitor}", "url": "{SITE}/x"}}', origin="https://evil.example"
                  ).status_code == 403
    assert _visit(client, f'{{"token": "{tokens.open_token(contact_id, "x")}", "url": "{SITE}/x"}}'
                  ).status_code == 404
    assert _visit(client, f'{{"token": "{visitor}", "url": "javascript:alert(1)"}}').status_code == 404
    assert _visit(client, "not json").status_code == 400
    assert _events(platform, contact_id) == [("web_visit", f"{SITE}/products/lng")]


def test_visits_are_rate_limited_per_contact(client, platform, site, contact_id, tokens):
    visitor = tokens.visitor_token(contact_id)
    codes = [_visit(client, f'{{"token": "{visitor}", "url": "{SITE}/p{n}"}}').status_code for n in range(5)]
    assert codes == [204, 204, 204, 429, 429]
    assert len(_events(platform, contact_id)) == 3


def test_without_allowed_origins_no_visit_is_taken(client, platform, contact_id, tokens):
    answer = _visit(client, f'{{"token": "{tokens.visitor_token(contact_id)}", "url": "{SITE}/x"}}')
    assert answer.status_code == 403 and _events(platform, contact_id) == []


def test_tracked_behaviour_is_on_the_customer_timeline_and_in_the_grading_input(
        client, login, platform, contact_id, tokens):
    with platform.sessions() as session:
        customer_id = session.get(Contact, contact_id).customer_id
        before = customer_performance(session, customer_id)
    client.get(f"/t/o/{tokens.open_token(contact_id, 'Autumn newsletter')}.gif")
    client.get(f"/t/c/{tokens.click_token(contact_id, 'Brochure', 'https://x.example/b')}")
    with platform.sessions() as session:
        after = customer_performance(session, customer_id)
        later = customer_performance(session, customer_id, now=dt.datetime.now() + dt.timedelta(days=120))
    assert after["interactions"] == before["interactions"] + 2
    assert (after["behaviour"], after["behaviour_90_days"]) == (2, 2)
    assert (later["behaviour"], later["behaviour_90_days"]) == (2, 0)
    page = login("sales").get(f"/customers/{customer_id}").get_data(as_text=True)
    assert "Autumn newsletter" in page and "Brochure: https://x.example/b" in page


def test_seminar_check_in(login, platform, contact_id):
    desk = login("mktdir")
    answer = desk.post("/tracking/checkin", {"seminar": "LNG seminar, Shanghai", "contact_id": str(contact_id)})
    assert answer.status_code == 302 and "seminar=LNG" in answer.headers["Location"]
    assert _events(platform, contact_id) == [("seminar", "LNG seminar, Shanghai")]
    refused = desk.post("/tracking/checkin", {"seminar": " ", "contact_id": str(contact_id)})
    assert refused.status_code == 422
    assert desk.post("/tracking/checkin", {"seminar": "x", "contact_id": "999999"}).status_code == 404
    assert login("engineer").post("/tracking/checkin", {"seminar": "x", "contact_id": str(contact_id)}
                                  ).status_code == 403


def test_the_links_sheet_gives_each_contact_working_links(client, login, platform, contact_id):
    sheet = login("sales").post("/tracking/links", {"campaign": "=HYPERLINK(\"x\")", "url": "https://x.example/"})
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("Customer", "Contact", "E-mail", "Tracked link", "Open pixel")
    mine = [row for row in rows[1:] if row[1] == "Li Wei"]
    assert len(mine) == 1
    link, pixel = mine[0][3], mine[0][4]
    assert client.get(urlsplit(link).path).headers["Location"] == "https://x.example/"
    assert client.get(urlsplit(pixel).path).status_code == 200
    assert _events(platform, contact_id) == [("link_click", '=HYPERLINK("x"): https://x.example/'),
                                             ("email_open", '=HYPERLINK("x")')]
    # another salesperson's contacts are not in their sheet
    other = login("sales2").post("/tracking/links", {"campaign": "c", "url": "https://x.example/"})
    assert "Li Wei" not in [row[1] for row in load_workbook(io.BytesIO(other.data)).active.iter_rows(values_only=True)]
    refused = login("sales").post("/tracking/links", {"campaign": "c", "url": "javascript:alert(1)"})
    assert refused.status_code == 422


def test_nothing_recorded_for_a_deactivated_contact(client, platform, contact_id, tokens):
    with platform.sessions.begin() as session:
        session.get(Contact, contact_id).active = False
    assert client.get(f"/t/o/{tokens.open_token(contact_id, 'x')}.gif").status_code == 404
    with platform.sessions() as session:
        assert session.scalar(select(func.count(BehaviourEvent.id))) == 0
