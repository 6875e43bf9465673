"""The demo's customers, contacts and users pass the checks a person's input gets (phones, e-mails)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from crm import fields
from crm.accounts.users import User
from demo import sales as demo_sales
from demo.users import DEMO_USERS


def test_demo_phones_and_emails_pass_the_input_checks(platform):
    """Only the demo's own users: other tests add users of their own to the table the run shares."""
    with platform.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(DEMO_USERS)))}
        customers = demo_sales._customers(session, random.Random(demo_sales.SEED), [users["sales"], users["sales2"]],
                                          dt.datetime(2026, 1, 1))
        phones = [c.phone for c in customers] + [p for c in customers for p in (
            *(k.phone for k in c.contacts), *(k.mobile for k in c.contacts)) if p] + [u.phone for u in users.values()]
        emails = [c.email for c in customers] + [k.email for c in customers for k in c.contacts]
        assert [p for p in phones if fields.phone(p) != p] == []
        assert [e for e in emails if fields.email(e).lower() != e.lower()] == []
        session.rollback()
