"""`python -m simulators.logistics`: the logistics simulator as a process (settings: LOGISTICS_SIM_*)."""

from ..common.server import serve
from .app import create_app
from .settings import LogisticsSettings

if __name__ == "__main__":
    settings = LogisticsSettings.from_env()
    serve(create_app(settings), settings)
