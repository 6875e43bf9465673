"""The KPI page: exact monthly and year-to-date figures of every KPI against the plan's default targets (last
year's actual and the plan's rule) or the targets set by a director, traffic lights, per salesperson and team,
within the viewer's scope and the filters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.accounts.users import Team, User
from tests.i18n.pseudo import pseudo_translations, unmarked_text
from tests.i18n.test_pseudo_locale import LANGUAGE_NAMES
from tests.reporting.kpi_dataset import make_kpi_dataset

YEAR = "period=year&year=2025"


@pytest.fixture
def ids(platform):
    with platform.sessions.begin() as session:
        return make_kpi_dataset(session)


def _kpis(client, query: str = YEAR) -> dict:
    response = client.get(f"/kpi/data.json?{query}")
    assert response.status_code == 200
    return response.get_json()


def _ytd(kpi: dict) -> tuple:
    return kpi["ytd"]["actual"], kpi["ytd"]["target"], kpi["ytd"]["baseline"], kpi["state"], kpi["source"]


def test_every_kpi_against_the_plan_for_the_company(ids, login):
    data = _kpis(login("custdir"))
    kpis = {k["key"]: k for k in data["kpis"]}
    assert data["year"] == 2025 and list(kpis) == ["sales", "marketing_cost", "win_rate", "margin", "satisfaction",
                                                   "sales_cycle", "share_of_wallet"]
    assert {key: _ytd(kpi) for key, kpi in kpis.items()} == {
        "sales": (160000.0, 165000.0, 150000.0, "amber", "plan"),
        "marketing_cost": (1200.0, 950.0, 1000.0, "red", "plan"),
        "win_rate": (75.0, 55.0, 50.0, "green", "plan"),
        "margin": (25.0, 21.0, 20.0, "green", "plan"),
        "satisfaction": (4.5, 4.2, 4.0, "green", "plan"),
        "sales_cycle": (20.0, 25.0, 30.0, "green", "plan"),
        "share_of_wallet": (20.0, 20.0, 20.0, "green", "plan"),
    }
    sales = {s["label"]: s["data"] for s in kpis["sales"]["months"]["series"]}
    assert sales["Actual"] == [0, 120000.0] + [0] * 4 + [40000.0] + [0] * 5
    assert sales["Target"] == [13750.0] * 12 and sales["Baseline"] == [12500.0] * 12
    assert kpis["sales"]["month_states"][:3] == ["red", "green", "red"]
    share = {s["label"]: s["data"] for s in kpis["share_of_wallet"]["months"]["series"]}["Actual"]
    assert share[:3] == [0.0, 20.0, 20.0] and share[-1] == 20.0  # the year so far against the annual estimate
    win = {s["label"]: s["data"] for s in kpis["win_rate"]["months"]["series"]}["Actual"]
    assert win[2:4] == [100.0, 100.0] and win[8] == 0.0 and win[0] is None


def test_per_salesperson_and_team(ids, login):
    data = _kpis(login("custdir"))
    rows = {(row["kind"], row["name"]): {k["key"]: (k["ytd"]["actual"], k["state"]) for k in row["kpis"]}
            for row in data["by_scope"]}
    assert rows[("salesperson", "Sam Sales")]["sales"] == (120000.0, "green")  # target 110,000
    assert rows[("salesperson", "Sue Sales")]["sales"] == (40000.0, "red")  # below last year's 50,000
    assert rows[("team", "Sales")]["sales"] == (160000.0, "amber")
    assert rows[("salesperson", "Sam Sales")]["win_rate"] == (100.0, "green")
    assert rows[("salesperson", "Sue Sales")]["margin"] == (None, "none")
    only_sam = _kpis(login("custdir"), f"{YEAR}&salesperson={ids['sales']}")
    assert _ytd(only_sam["kpis"][0])[:3] == (120000.0, 110000.0, 100000.0)
    assert [row["name"] for row in only_sam["by_scope"]] == ["Sam Sales", "Sales"]
    east_key = {k["key"]: k for k in _kpis(login("custdir"), f"{YEAR}&grade=key")["kpis"]}
    assert _ytd(east_key["sales"])[:3] == (120000.0, 110000.0, 100000.0)


def test_a_salesperson_sees_their_own_kpis_without_margin(ids, login):
    data = _kpis(login("sales"))
    kpis = {k["key"]: k for k in data["kpis"]}
    assert "margin" not in kpis and _ytd(kpis["sales"])[:3] == (120000.0, 110000.0, 100000.0)
    assert [(row["kind"], row["name"]) for row in data["by_scope"]] == [("salesperson", "Sam Sales"),
                                                                         ("team", "Sales")]
    assert all("margin" not in {k["key"] for k in row["kpis"]} for row in data["by_scope"])
    outsider = _kpis(login("sales"), f"{YEAR}&salesperson={ids['sales2']}")
    assert _ytd({k["key"]: k for k in outsider["kpis"]}["sales"])[0] == 0.0 and outsider["by_scope"] == []
    page = login("sales").get(f"/kpi/?{YEAR}").get_data(as_text=True)
    assert "Gross margin" not in page and 'id="set-targets"' not in page
    assert login("sales").get(f"/kpi/targets?{YEAR}").status_code == 403


def test_a_director_sets_targets_that_replace_the_plan(ids, login):
    director = login("custdir")
    page = director.get(f"/kpi/targets?{YEAR}").get_data(as_text=True)
    assert 'name="target_sales"' in page and 'placeholder="165000' in page and 'name="target_margin"' in page
    saved = director.post(f"/kpi/targets?{YEAR}", data={"baseline_sales": "150000", "target_sales": "200,000",
                                                        "baseline_marketing_cost": "1300",
                                                        "target_marketing_cost": "1500"})
    assert saved.status_code == 302
    kpis = {k["key"]: k for k in _kpis(director)["kpis"]}
    assert _ytd(kpis["sales"]) == (160000.0, 200000.0, 150000.0, "amber", "set")
    assert _ytd(kpis["marketing_cost"]) == (1200.0, 1500.0, 1300.0, "green", "set")
    assert kpis["win_rate"]["source"] == "plan"
    team = director.post(f"/kpi/targets?{YEAR}&team={ids['team']}", data={"target_win_rate": "80"})
    assert team.status_code == 302
    team_kpis = {k["key"]: k for k in _kpis(director, f"{YEAR}&team={ids['team']}")["kpis"]}
    assert _ytd(team_kpis["win_rate"]) == (75.0, 80.0, None, "red", "set")
    assert _ytd({k["key"]: k for k in _kpis(director)["kpis"]}["win_rate"])[1] == 55.0  # the company's: the plan
    director.post(f"/kpi/targets?{YEAR}", data={})
    assert {k["key"]: k for k in _kpis(director)["kpis"]}["sales"]["source"] == "plan"
    assert director.post(f"/kpi/targets?{YEAR}", data={"target_sales": "abc"}).status_code == 302
    assert director.post("/kpi/targets?period=year&year=2025&salesperson=999999", data={}).status_code == 404


def test_kpi_page_shows_charts_figures_and_lights(ids, login):
    html = login("custdir").get(f"/kpi/?{YEAR}").get_data(as_text=True)
    assert 'data-chart="kpi_sales"' in html and 'data-chart="kpi_margin"' in html
    assert 'data-ytd-actual>160,000.00<' in html and 'data-ytd-target>165,000.00<' in html
    assert 'data-state="amber"' in html and 'data-state="red"' in html
    assert 'data-scope="salesperson-' in html and 'id="set-targets"' in html


def test_targets_page_has_no_unmarked_text(platform, ids, login):
    """As tests/i18n/test_pseudo_locale.py, with the names of every user and team (other tests add users)."""
    with platform.sessions() as session:
        names = [*session.scalars(select(User.display_name)), *session.scalars(select(Team.name))]
    director = login("custdir")
    with pseudo_translations():
        page = director.get(f"/kpi/targets?{YEAR}")
    assert page.status_code == 200
    assert unmarked_text(page.get_data(as_text=True), [*LANGUAGE_NAMES, *names]) == []
