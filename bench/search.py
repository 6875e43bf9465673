"""Global search on PostgreSQL over 100,000 customers (each with a contact): ``services.search.search`` and the page.

Company names are Chinese (city + two words + a legal form, as ``上海船舶重工有限公司``), so the queries
exercise the search indexes (character pairs for two characters, trigrams from three) with CJK substrings of two
to six characters, phone and e-mail fragments, a contact name, a Latin word and a string found nowhere.
"""

from __future__ import annotations

import random
import re
import time

from sqlalchemy import insert, text

from app import build_platform, create_app
from crm.accounts.access import create_user, ensure_roles
from crm.customers.models import Customer
from services import search

from .common import explain, settings, summary_ms

CUSTOMERS = 100_000
SALESPEOPLE = 20
USER, PASSWORD = "bench_director", "bench-password"
WARMUP = 3
ROUNDS = 12
QUERIES = ("船舶", "重工", "上海船舶重工", "重工有限公司", "海洋工程", "021-5550", "sales7", "王建", "Ocean", "zzqxw")
"""Mixed queries: two-character CJK (character pairs, no trigram), longer CJK, phone, e-mail, contact, Latin, none."""

CITIES = ("上海", "大连", "广州", "青岛", "宁波", "天津", "舟山", "南通", "武汉", "厦门", "福州", "烟台")
WORDS = ("船舶", "海洋", "重工", "港务", "航运", "机械", "钢铁", "动力", "电气", "物流", "工程", "造船", "远洋", "能源")
FORMS = ("有限公司", "股份有限公司", "集团", "工业公司")
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴")
GIVEN = ("建国", "伟", "芳", "敏", "静", "强", "磊", "洋", "勇", "军", "杰", "娟")

_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def generate(database_url: str) -> dict:
    """100,000 customers with one contact each, owned by 20 salespeople (some unowned); ANALYZE."""
    began = time.perf_counter()
    platform = build_platform(settings(database_url))
    rng = random.Random(12)
    with platform.sessions.begin() as session:
        ensure_roles(session)
        create_user(session, USER, PASSWORD, "Bench Director", ["customer_director"])
        owners = [create_user(session, f"sales{n}", PASSWORD, f"Sales {n}", ["salesperson"]).id
                  for n in range(1, SALESPEOPLE + 1)]
        rows = [{"company": f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(FORMS)}{n}",
                 "phone": f"0{rng.randint(10, 99)}-{rng.randint(5000, 9999)}-{n % 10000:04}",
                 "email": f"buyer{n}@sales{n % SALESPEOPLE}.example.cn",
                 "owner_id": None if n % 10 == 0 else owners[n % SALESPEOPLE]} for n in range(1, CUSTOMERS + 1)]
        session.execute(insert(Customer), rows)
        session.execute(text("""
            INSERT INTO contact (customer_id, name, title, phone, mobile, email, opt_out, created_at)
            SELECT id, (CAST(:surnames AS text[]))[1 + id % 10] || (CAST(:given AS text[]))[1 + id % 12], '', '',
                   '138' || lpad(id::text, 8, '0'), 'c' || id || '@example.cn', false, now() FROM customer"""),
            {"surnames": list(SURNAMES), "given": list(GIVEN)})
    with platform.db.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    platform.db.dispose()
    return {"customers": CUSTOMERS, "contacts": CUSTOMERS, "generate_s": round(time.perf_counter() - began, 1)}


def measure(database_url: str) -> dict:
    """Per viewer (a director sees all, a salesperson their own): every query timed ``ROUNDS`` times."""
    app = create_app(settings(database_url))
    platform = app.extensions["crm"]
    with platform.sessions() as session:
        owner = session.execute(text("SELECT id FROM app_user WHERE username = 'sales7'")).scalar()
    viewers = {"director": (None, frozenset({"customer_director"})),
               "salesperson": ({owner}, frozenset({"salesperson"}))}
    result: dict = {"queries": list(QUERIES)}
    hits: dict[str, int] = {}
    for name, (scope, roles) in viewers.items():
        samples = []
        for round_no in range(WARMUP + ROUNDS):
            for query in QUERIES:
                with platform.sessions() as session:
                    began = time.perf_counter()
                    found = search.search(session, query, scope, roles)
                    took = time.perf_counter() - began
                if round_no >= WARMUP:
                    samples.append(took)
                if name == "director":
                    hits[query] = sum(len(v) for v in found.values())
        result[f"service_{name}"] = summary_ms(samples)
    result["hits_director"] = hits
    client = _login(app.test_client())
    samples = []
    for round_no in range(WARMUP + ROUNDS):
        for query in QUERIES:
            began = time.perf_counter()
            response = client.get("/search/", query_string={"q": query})
            took = time.perf_counter() - began
            assert response.status_code == 200
            if round_no >= WARMUP:
                samples.append(took)
    result["page_director"] = summary_ms(samples)
    result["plans"] = _plans(platform)
    platform.db.dispose()
    return result


def _plans(platform) -> dict[str, str]:
    """EXPLAIN ANALYZE of the statements one director's search sends, for a 2- and a 6-character query: the
    server's execution time (all statements) and the search indexes of migration 0029 they read."""
    plans = {}
    for query in ("船舶", "上海船舶重工"):
        def director_searches(query=query):
            with platform.sessions() as session:
                search.search(session, query, None, frozenset({"customer_director"}))

        explained = explain(platform, director_searches)
        took = sum(float(p["execution"].split()[0]) for p in explained if p["execution"])
        plans[query] = f"Execution Time: {took:.3f} ms ({len(explained)} statements)"
        plan_text = "\n".join(p["plan"] for p in explained)
        plans[f"{query} search indexes"] = ", ".join(sorted(set(re.findall(r"ix_search_\w+", plan_text))))
    return plans


def _login(client):
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client
