#!/usr/bin/env python3
"""Serves the interop project on 127.0.0.1 at a free port the OS picks, and prints where.

The first line on stdout is `listening on http://127.0.0.1:<port>`; SIGTERM stops it.
"""
import os
import socketserver
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interop_project.settings")

import django  # noqa: E402

django.setup()

from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402


class ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


server = ThreadedServer(("127.0.0.1", 0), QuietHandler)
server.set_app(get_wsgi_application())
print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
