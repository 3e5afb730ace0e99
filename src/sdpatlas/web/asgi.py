"""An application for any ASGI server: ``uvicorn --factory sdpatlas.web.asgi:create``.

It serves the dataset in ``$SDPATLAS_DATA`` (default: the bundled ``data/``), built
into the database cache on first use, with the limits in ``$SDPATLAS_SERVE_OPTIONS``
(JSON of :class:`~sdpatlas.web._options.ServeOptions`; default: those of ``sdpatlas
serve``, rate limit included). ``sdpatlas serve --workers N`` runs it that way. The
module attribute ``app`` (``uvicorn sdpatlas.web.asgi:app``) is built on first use.
"""

from starlette.applications import Starlette

from sdpatlas.paths import default_data_dir
from sdpatlas.web import create_app
from sdpatlas.web._options import PUBLIC, ServeOptions

__all__ = ["create"]


def create() -> Starlette:
    """The explorer on ``$SDPATLAS_DATA`` with the options in the environment."""
    return create_app(default_data_dir(), ServeOptions.from_env(PUBLIC))


def __getattr__(name: str) -> Starlette:
    if name == "app":
        built = create()
        globals()["app"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
