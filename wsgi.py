"""WSGI entry point: `flask --app wsgi run` or any WSGI server (`wsgi:app`)."""

from config import config_from_env
from qa_app import create_app

app = create_app(config_from_env())
