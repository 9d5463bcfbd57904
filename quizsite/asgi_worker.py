"""gunicorn's worker for `make serve`: uvicorn (uvloop and httptools) in each worker process,
serving quizsite.asgi. As gunicorn's own workers did, it takes the client's address from the
connection, never from X-Forwarded-For (README, "Deploying for a district"), and Django has no
lifespan events to run."""

from uvicorn_worker import UvicornWorker


class Worker(UvicornWorker):
    CONFIG_KWARGS = {"loop": "auto", "http": "auto", "proxy_headers": False, "lifespan": "off"}
