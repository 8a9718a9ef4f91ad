"""The command-centre wall page."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("wall", __name__, template_folder="templates", static_folder="static",
               static_url_path="/wall/static")
