"""The service desk's list page (issue 18): a page of requests and a page of orders are read with their customers'
names, in a fixed number of statements however many rows and customers there are (it read every request and then
each customer on its own). Counted in SQL statements, not timed."""

from __future__ import annotations

from crm.customers.models import Customer
from crm.service.service_desk import register_request
from tests.processes.test_request_statements import _reads, statements

ROWS = 30


def _requests(platform) -> None:
    with platform.sessions.begin() as session:
        customers = [Customer(company=f"Desk Customer {n:02d}") for n in range(ROWS)]
        session.add_all(customers)
        session.flush()
        for n, customer in enumerate(customers):
            register_request(session, customer.id, "phone", "repair", f"Request {n}")


def test_the_list_reads_one_page_with_its_customers_in_fixed_statements(platform, login):
    _requests(platform)
    agent = login("agent")
    assert agent.get("/service/").status_code == 200
    with statements(platform) as seen:
        first = agent.get("/service/")
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "Desk Customer 29" in text and "Desk Customer 05" in text and "Desk Customer 04" not in text
    assert f"Page 1 of 2 · {ROWS} rows" in text
    assert not _reads(seen, "customer"), "\n".join(seen)  # the names come with the rows
    assert len(_reads(seen, "service_request")) == 2, "\n".join(seen)  # the count and the page
    assert len(_reads(seen, "service_order")) == 2, "\n".join(seen)


def test_the_last_page_and_a_page_beyond_it_show_the_oldest_requests(platform, login):
    _requests(platform)
    agent = login("agent")
    for url in ("/service/?page=2", "/service/?page=99"):
        text = agent.get(url).get_data(as_text=True)
        assert "Desk Customer 00" in text and "Desk Customer 04" in text and "Desk Customer 05" not in text, url
        assert f"Page 2 of 2 · {ROWS} rows" in text, url


def test_the_status_filter_counts_and_lists_only_that_status(platform, login):
    _requests(platform)
    agent = login("agent")
    text = agent.get("/service/?status=closed").get_data(as_text=True)
    assert "Desk Customer" not in text and "No service requests." in text
