"""gunicorn's defaults for this app, read from the working directory: ``gunicorn -b 0.0.0.0:8000 'app:create_app()'``
runs two sync workers per core. Options on the command line win. Why sync, why two per core, why workers are
neither preloaded nor recycled (``preload_app``, ``max_requests`` left at gunicorn's defaults): README "Sizing"
(measured with ``python -m bench.loadtest``)."""

import multiprocessing

worker_class = "sync"
workers = 2 * multiprocessing.cpu_count()
backlog = 2048
