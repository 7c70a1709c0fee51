"""Extension singletons, bound to the app in create_app."""

from typing import Any

from flask import request
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints so that migrations can alter them on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Database(SQLAlchemy):
    """Flask-SQLAlchemy whose pagination ignores a page number past the database's range."""

    def paginate(self, *args: Any, **kwargs: Any) -> Any:
        from .routing import bounded_int

        if "page" not in kwargs:
            kwargs["page"] = request.args.get("page", 1, type=bounded_int) or 1
        if kwargs.get("per_page") is None:
            kwargs["per_page"] = request.args.get("per_page", 20, type=bounded_int) or 20
        kwargs.setdefault("max_per_page", 100)
        return super().paginate(*args, **kwargs)


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rate limits of the JSON API (qa_app/api/v1/routing.py): no limit anywhere else.
limiter = Limiter(key_func=get_remote_address)
# Drawn charts, keyed by what they show (qa_app/results/chart_cache.py, docs/performance.md).
cache = Cache(with_jinja2_ext=False)
