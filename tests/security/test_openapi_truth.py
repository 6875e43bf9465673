"""The OpenAPI document says what the API does (issue 11 item 17); the fuzz run checks the rest."""

from __future__ import annotations


def test_lists_are_documented_as_arrays_and_assign_documents_422(client):
    doc = client.get("/api/openapi.json").json
    ok = lambda path, method: doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]  # noqa: E731
    assert ok("/api/processes", "get")["type"] == "array"
    assert ok("/api/lookup/{kind}", "get")["type"] == "array"
    assert "422" in doc["paths"]["/api/tasks/{id}/assign"]["post"]["responses"]


def test_unauthenticated_api_writes_answer_401_not_a_csrf_400(client):
    for url in ("/api/uploads", "/api/tasks/x/claim", "/api/processes/x/instances"):
        response = client.post(url)
        assert response.status_code == 401 and response.json["error"] == "authentication required", url


def test_a_cookie_session_still_needs_the_csrf_header(login):
    sales = login("sales")
    refused = sales.client.post("/api/uploads")
    assert refused.status_code == 400 and refused.is_json
