"""The gpodder.net API server the sync tests run against (gpodder-fastapi-router, pinned
in server-requirements.txt), as a module uvicorn can start in its own process.

The database comes from ``GPODDER_DATABASE_URL`` (a fresh SQLite file per session).
bcrypt at 4 rounds: a test server, checked on every request.
"""

from fastapi import FastAPI
from gpodder_router import GPodderConfig, attach

app = FastAPI()
attach(app, config=GPodderConfig(bcrypt_rounds=4, enable_dashboard=False))
