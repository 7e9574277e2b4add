"""The open-data page and its downloads: the export files, rebuilt only when content has changed."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory, url_for

from ... import exports
from ..database import db_session

bp = Blueprint("data", __name__)

FORMATS = {
    exports.JSON_NAME: "JSON",
    exports.CSV_NAME: "CSV",
    exports.ZIP_NAME: "ZIP (Markdown)",
    exports.README_NAME: "Markdown",
}


def current_export() -> Path:
    """The folder of an up-to-date export (built now if content changed since the last one)."""
    return exports.ensure_current(db_session(), Path(current_app.config["INSTANCE_DIR"]) / "exports",
                                  lambda slug: url_for("public.entry", slug=slug, _external=True))


@bp.get("/data")
def index():
    folder = current_export()
    files = [(name, FORMATS[name], (folder / name).stat().st_size) for name in exports.FILES]
    count = len(exports.read_csv(folder))
    return render_template("public/data.html", files=files, count=count, licence=exports.LICENCE)


@bp.get("/data/<name>")
def download(name: str):
    if name not in exports.FILES:
        abort(404)
    response = send_from_directory(current_export(), name, as_attachment=name != exports.README_NAME,
                                   max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
