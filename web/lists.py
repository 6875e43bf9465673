"""Every record list through one component (services.listing): ``/lists/<name>`` pages, sorts and filters it;
``/lists/<name>/export.csv`` and ``export.xlsx`` write every filtered row."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from i18n import zones
from services import listing
from services.list_specs import SPECS
from web import db
from web.input import owner_ids

bp = Blueprint("lists", __name__, url_prefix="/lists")


def _spec(name: str) -> listing.ListSpec:
    spec = SPECS.get(name) or abort(404)
    if spec.roles and not current_user.has_role(*spec.roles):
        abort(403)
    return spec


@bp.get("/<name>")
@login_required
def show(name: str):
    spec = _spec(name)
    query = listing.ListQuery.from_args(spec, request.args)
    page = listing.list_page(db.session(), spec, query, owner_ids())

    def page_url(**changes) -> str:
        return url_for("lists.show", name=name, **query.args(**changes))

    def row_url(row: dict) -> str | None:
        if spec.link is None:
            return None
        endpoint, argument, key = spec.link
        return url_for(endpoint, **{argument: row[key]}) if row.get(key) is not None else None

    return render_template("lists/list.html", spec=spec, query=query, page=page, page_url=page_url, row_url=row_url,
                           export_args=query.args(page=1))


@bp.get("/<name>/export.<fmt>")
@login_required
def export(name: str, fmt: str):
    spec = _spec(name)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = listing.export_rows(db.session(), spec, listing.ListQuery.from_args(spec, request.args), owner_ids())
    filename = f"{spec.name}-{zones.site_today():%Y%m%d}.{fmt}"
    if fmt == "csv":
        body, mimetype = "\ufeff" + listing.csv_text(rows), "text/csv; charset=utf-8"
    else:
        body = listing.xlsx_bytes(spec, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
