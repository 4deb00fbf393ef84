"""`python -m simulators.payment`: the payment simulator as a process (settings: PAYMENT_SIM_*)."""

from ..common.server import serve
from .app import create_app
from .settings import PaymentSettings

if __name__ == "__main__":
    settings = PaymentSettings.from_env()
    serve(create_app(settings), settings)
