"""Steps shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def sign_in(page: Page, base: str, username: str) -> None:
    """Log ``username`` in (demo password) on the server at ``base``; waits for the worklist."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Worklist")).to_be_visible()


def pick_reference(page: Page, field_id: str, typed: str, option: str) -> None:
    """Type ``typed`` into a reference field's search box and pick ``option`` from its suggestions; waits for
    lookup.js to have turned the field into a search box first (a slow page may still show the plain input)."""
    search = page.locator(f"#{field_id}")
    expect(search).to_have_attribute("role", "combobox")
    search.fill(typed)
    page.click(f"[role=option]:has-text('{option}')")
