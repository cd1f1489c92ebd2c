"""The pages, served as static files by the app: no build step."""

from importlib.resources import files
from pathlib import Path

STATIC = Path(str(files(__name__) / "static"))
