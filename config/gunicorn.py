"""gunicorn settings for production (`make serve`, `gunicorn -c config/gunicorn.py wsgi:app`).

One gevent worker per process: Socket.IO long-polling needs every request of a session to reach
the same process, so scale by running more such processes (one per core) behind nginx with
sticky sessions (ip_hash), all sharing the Redis message queue. See README "Production".
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
worker_class = "gevent"
workers = 1
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "2000"))
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The path without its query string (a tracking link's ?token=) and no Referer (which can
# carry one too); request time in seconds, then the request id the app's lines carry too
# (X-Request-ID). The app's log filter redacts the rest.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s request_id=%({x-request-id}o)s'
# The app sits behind a proxy that sets X-Forwarded-*; trust only the local one.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No gunicornc control socket: Aduan is not managed through it, and the processes run one per
# core on a host would all take the same default path ($XDG_RUNTIME_DIR or ~/.gunicorn/
# gunicorn.ctl), each start taking it from the one before and each stop removing it.
control_socket_disable = True
