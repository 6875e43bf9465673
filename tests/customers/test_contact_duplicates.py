"""The duplicate warning of the contact form (and the records API): the same normalised name at the same
customer, the same phone or e-mail at any customer the user sees; the user opens the existing record or confirms."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.customers.models import Contact


def _contacts(platform, customer_id: int) -> list[str]:
    with platform.sessions() as session:
        return list(session.scalars(select(Contact.name).where(Contact.customer_id == customer_id)
                                    .order_by(Contact.id)))


def _contact_id(platform, name: str) -> int:
    with platform.sessions() as session:
        return session.scalar(select(Contact.id).where(Contact.name == name))


def test_the_same_name_at_the_same_customer_warns_and_the_user_confirms(platform, login, make_customer):
    customer_id = make_customer("上海船舶重工有限公司")  # has the contact Li Wei
    sales = login("sales")
    warned = sales.post(f"/customers/{customer_id}/contacts/new", data={"name": " li  WEI ", "title": "Engineer"})
    assert warned.status_code == 409
    page = warned.get_data(as_text=True)
    existing = _contact_id(platform, "Li Wei")
    assert f'data-duplicate-id="{existing}"' in page and "same name" in page
    assert f'href="/customers/{customer_id}#contacts"' in page  # open the existing one
    assert 'value="Engineer"' in page and 'name="confirm_duplicate"' in page  # the input is kept
    assert _contacts(platform, customer_id) == ["Li Wei"]
    confirmed = sales.post(f"/customers/{customer_id}/contacts/new",
                           data={"name": "li wei", "title": "Engineer", "confirm_duplicate": "1"})
    assert confirmed.status_code == 302
    assert _contacts(platform, customer_id) == ["Li Wei", "li wei"]


def test_the_same_name_at_another_customer_is_no_duplicate(platform, login, make_customer):
    first, other = make_customer("Ocean Shipping Co."), make_customer("大连港务集团")
    sales = login("sales")
    assert sales.post(f"/customers/{first}/contacts/new", data={"name": "王伟"}).status_code == 302
    assert sales.post(f"/customers/{other}/contacts/new", data={"name": "王伟"}).status_code == 302


def test_the_same_phone_or_e_mail_anywhere_in_scope_warns(platform, login, make_customer):
    first, second = make_customer("上海船舶重工有限公司"), make_customer("大连港务集团")
    sales = login("sales")
    assert sales.post(f"/customers/{first}/contacts/new",
                      data={"name": "王伟", "mobile": "13800138000"}).status_code == 302
    wang = _contact_id(platform, "王伟")
    by_phone = sales.post(f"/customers/{second}/contacts/new", data={"name": "王伟伟", "phone": "138 0013 8000"})
    assert by_phone.status_code == 409
    page = by_phone.get_data(as_text=True)
    assert f'data-duplicate-id="{wang}"' in page and "same phone" in page and "上海船舶重工有限公司" in page
    by_email = sales.post(f"/customers/{second}/contacts/new", data={"name": "Lee", "email": "LI@example.com"})
    assert by_email.status_code == 409 and "same e-mail" in by_email.get_data(as_text=True)
    assert _contacts(platform, second) == ["Li Wei"]


def test_contacts_outside_the_data_scope_are_not_shown(platform, login, make_customer):
    theirs = make_customer("大连船舶工业公司", owner="sales2")  # Li Wei, li@example.com, sales2's
    mine = make_customer("上海船舶重工有限公司")
    with platform.sessions.begin() as session:
        session.execute(Contact.__table__.update().where(Contact.customer_id == mine).values(email="other@example.com"))
    response = login("sales").post(f"/customers/{mine}/contacts/new", data={"name": "Lee", "email": "li@example.com"})
    assert response.status_code == 302  # sales2's contact is not sales' to see
    director = login("salesdir")  # sees both salespeople's customers
    warned = director.post(f"/customers/{mine}/contacts/new", data={"name": "Lee2", "email": "li@example.com"})
    assert warned.status_code == 409 and "大连船舶工业公司" in warned.get_data(as_text=True)
    assert theirs != mine


def test_editing_warns_only_for_what_changed(platform, login, make_customer):
    customer_id = make_customer("上海船舶重工有限公司")
    sales = login("sales")
    sales.post(f"/customers/{customer_id}/contacts/new", data={"name": "王伟", "email": "li@example.com",
                                                              "confirm_duplicate": "1"})
    wang = _contact_id(platform, "王伟")
    with platform.sessions() as session:
        version = session.get(Contact, wang).version
    url = f"/customers/{customer_id}/contacts/{wang}/edit"
    kept = sales.post(url, data={"name": "王伟", "title": "Buyer", "email": "li@example.com", "version": version})
    assert kept.status_code == 302  # the shared e-mail was there before: no new warning
    with platform.sessions() as session:
        version = session.get(Contact, wang).version
    renamed = sales.post(url, data={"name": "LI WEI", "email": "li@example.com", "version": version})
    assert renamed.status_code == 409 and "same name" in renamed.get_data(as_text=True)
    assert sales.post(url, data={"name": "LI WEI", "email": "li@example.com", "version": version,
                                 "confirm_duplicate": "1"}).status_code == 302
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Contact).where(Contact.name == "LI WEI")) == 1


def test_the_records_api_answers_409_with_the_duplicates(platform, login, make_customer):
    customer_id = make_customer("上海船舶重工有限公司")
    sales = login("sales")
    conflict = sales.api("POST", "/api/contacts", {"customer_id": customer_id, "name": "li wei"})
    assert conflict.status_code == 409
    assert "Li Wei" in conflict.get_data(as_text=True) and "same name" in conflict.get_data(as_text=True)
    created = sales.api("POST", "/api/contacts", {"customer_id": customer_id, "name": "li wei",
                                                  "confirm_duplicate": True})
    assert created.status_code == 201, created.get_data(as_text=True)
