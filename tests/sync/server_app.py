"""The gpodder.net API server the sync tests run against (gpodder-fastapi-router, pinned
in server-requirements.txt), as a module uvicorn can start in its own process.

The database comes from ``GPODDER_DATABASE_URL`` (a fresh SQLite file per session).
bcrypt at 4 rounds: a test server, checked on every request.
"""

from fastapi import FastAPI
from gpodder_router import GPodderConfig, attach

app = FastAPI()
attach(app, config=GPodderConfig(bcrypt_rounds=4, enable_dashboard=False))

if __name__ == "__main__":
    # Serve on the listening socket the parent bound (its descriptor in argv). Not through
    # `uvicorn --fd`: that wraps it as AF_UNIX, so asyncio never sets TCP_NODELAY on the
    # TCP connections, and every answer written in two parts waits ~40 ms for a delayed
    # ACK, which no real deployment (--host/--port) does.
    import socket
    import sys

    import uvicorn

    listening = socket.socket(fileno=int(sys.argv[1]))  # the family is read from the socket
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[listening])
