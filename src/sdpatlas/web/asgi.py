"""An application object for any ASGI server: ``uvicorn sdpatlas.web.asgi:app --workers 4``.

It serves the dataset in ``$SDPATLAS_DATA`` (default: the bundled ``data/``), built
into the database cache on first use.
"""

from sdpatlas.paths import default_data_dir
from sdpatlas.web import create_app

app = create_app(default_data_dir())
