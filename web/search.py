"""The global search: the navbar's box leads here; results grouped by kind, each a link to its page."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from services import search as global_search
from web import db
from web.input import owner_ids

bp = Blueprint("search", __name__, url_prefix="/search")

_PAGES = {
    "customers": lambda hit: url_for("customers.show", customer_id=hit.id),
    "contacts": lambda hit: url_for("customers.show", customer_id=hit.id),
    "opportunities": lambda hit: url_for("opportunities.show", opp_id=hit.id),
    "quotes": lambda hit: url_for("quotes.show", quote_id=hit.id),
    "contracts": lambda hit: url_for("contracts.show", contract_id=hit.id),
    "service_requests": lambda hit: url_for("service.show", request_id=hit.id),
    "instances": lambda hit: url_for("admin_instances.show", instance_id=hit.id),
}
"""Where a hit of each kind opens."""


@bp.get("/")
@login_required
def results():
    query = request.args.get("q", "").strip()[:global_search.MAX_QUERY]
    groups = global_search.search(db.session(), query, owner_ids(), current_user.role_keys)
    return render_template("search/results.html", query=query, groups=groups, kinds=global_search.KINDS,
                           link=lambda hit: _PAGES[hit.kind](hit))
