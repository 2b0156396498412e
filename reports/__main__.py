"""Allow ``python -m reports``."""
import sys

from .cli import main

sys.exit(main())
