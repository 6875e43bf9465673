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
