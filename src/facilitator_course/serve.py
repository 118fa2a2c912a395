"""`course serve`: preview a built site on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from .errors import CourseError, Problem


def serve(folder: Path, port: int = 8000) -> None:
    """Serve `folder` until interrupted."""
    if not (folder / "index.html").is_file():
        raise CourseError(
            Problem(
                folder,
                0,
                "no built site here (index.html is missing).",
                "run `make book` or `course build` first.",
            )
        )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {folder} at http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Stopped.")
