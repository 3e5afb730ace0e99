"""The entry point of a heavy-request worker: ``python -m sdpatlas.web._worker DATA_DIR DB``.

See :mod:`sdpatlas.web._pool` (kept apart so that the pool's module is not also ``__main__``).
"""

import sys

from sdpatlas.web._pool import main

main(sys.argv[1:])
