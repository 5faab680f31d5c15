"""tony: safety and honesty evaluations of language models, and the system card built from them."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tony")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
