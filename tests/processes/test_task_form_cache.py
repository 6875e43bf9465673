"""The task page's form (issue 18): its class is built once per definition and its labels translated once per
version and language; each request fills in only the values. A changed language shows on the next request, and a
new version's changed form on its own tasks (a deployed version never changes)."""

from __future__ import annotations

from forms.wtf import form_class
from tests.processes.test_diagram_languages import deploy, diagram, speak, start


def test_the_form_is_built_once_and_filled_per_request(platform, login):
    deploy(platform, diagram())
    sales = login("sales")
    first, second = start(sales, "visit_i18n"), start(sales, "visit_i18n")
    form_class.cache_clear()
    assert 'id="purpose"' in sales.get(f"/tasks/{first}").get_data(as_text=True)
    assert 'id="purpose"' in sales.get(f"/tasks/{second}").get_data(as_text=True)
    refused = sales.post(f"/tasks/{second}", data={"purpose": "demo", "budget": "5000"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'value="5000"' in page and '<option selected value="demo">' in page  # this request's values
    assert 'value="5000"' not in sales.get(f"/tasks/{first}").get_data(as_text=True)  # not the next one's
    assert (form_class.cache_info().misses, form_class.cache_info().hits) == (1, 3)


def test_a_changed_language_and_a_new_version_show_on_the_next_request(platform, login):
    deploy(platform, diagram())
    speak(platform, "sales", "en")
    sales = login("sales")
    old = start(sales, "visit_i18n")
    assert "Purpose of the visit" in sales.get(f"/tasks/{old}").get_data(as_text=True)
    speak(platform, "sales", "zh_CN")
    page = sales.get(f"/tasks/{old}").get_data(as_text=True)
    assert "拜访目的" in page and "Purpose of the visit" not in page
    speak(platform, "sales", "en")
    deploy(platform, diagram().replace("Purpose of the visit", "Aim of the visit"))
    new = start(sales, "visit_i18n")
    assert "Aim of the visit" in sales.get(f"/tasks/{new}").get_data(as_text=True)
    assert "Purpose of the visit" in sales.get(f"/tasks/{old}").get_data(as_text=True)  # its version's form
