"""``python -m sandbox``: run the provider sandbox until SIGTERM or SIGINT."""

import signal
import sys
import threading

from .app import App
from .config import parse
from .server import SandboxServer


def main(argv: list[str] | None = None) -> int:
    settings = parse(argv)
    server = SandboxServer((settings.host, settings.port), None)
    host, port = server.server_address[:2]
    shown_host = f"[{host}]" if ":" in host else host
    if not settings.public_url:
        settings.public_url = f"http://{shown_host}:{port}"
    app = App(settings)
    app.set_public_url(settings.public_url)
    server.app = app

    def stop(signum, frame):
        # shutdown() waits for serve_forever() to return, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    app.start()
    print(f"sandbox listening on http://{shown_host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        app.stop()
    print("sandbox stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
