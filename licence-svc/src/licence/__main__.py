"""`python -m licence` runs licence-svc."""

from yiwang_shared.app import serve

from .config import Settings
from .main import create_app

if __name__ == "__main__":
    settings = Settings()
    serve(create_app(settings), settings)
