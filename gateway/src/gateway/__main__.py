"""`python -m gateway`: run the gateway with settings from the environment (GATEWAY_*)."""

from .main import main

main()
