"""`make run`'s wiring (tools/devstack.py): the simulators start as processes beside the platform,
and the settings intake-svc is given reach them with a secret they accept."""

from __future__ import annotations

import sys
from pathlib import Path

from yiwang_shared.providers import provider_session
from yiwang_shared.providers.logistics import LogisticsClient, Party
from yiwang_shared.providers.payment import PaymentClient

from .conftest import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from devstack import SERVICES, Platform, provider_secret_file


async def test_make_run_starts_the_simulators_and_hands_intake_what_it_needs(tmp_path: Path) -> None:
    platform = Platform(
        var_dir=tmp_path,
        simulators=True,
        simulator_ports={"payment": free_port(), "logistics": free_port()},
        provider_secret=provider_secret_file(tmp_path),
    )
    assert provider_secret_file(tmp_path) == platform.provider_secret, "made once, then kept"
    intake = next(s for s in SERVICES if s.name == "intake")
    env = platform.service_env(intake)
    assert not any("PAYMENT" in k for k in platform.service_env(SERVICES[0])), "only intake gets them"
    try:
        platform.start_simulators()
        async with provider_session() as session:
            payments = PaymentClient(
                session,
                base_url=env["INTAKE_PAYMENT_PROVIDER_URL"],
                merchant_id=env["INTAKE_PAYMENT_MERCHANT_ID"],
                secret=env["INTAKE_PAYMENT_SECRET"],
            )
            order = await payments.create_order(
                merchant_order_no="F-devstack",
                amount_fen=100,
                subject="工本费",
                payer_name="王芳",
                notify_url="http://127.0.0.1:9/notify",
            )
            assert order.pay_url.startswith(platform.simulator_url("payment"))
            courier = LogisticsClient(
                session,
                base_url=env["INTAKE_LOGISTICS_PROVIDER_URL"],
                customer_id=env["INTAKE_LOGISTICS_CUSTOMER_ID"],
                secret=env["INTAKE_LOGISTICS_SECRET"],
            )
            party = Party(name="王芳", phone="13810000003", address="北京市朝阳区演示路3号")
            waybill = await courier.create_waybill(
                parcel_ref="APP-devstack", sender=party, recipient=party, notify_url="http://127.0.0.1:9/n"
            )
            assert waybill.status == "created"
    finally:
        platform.stop()
    assert (tmp_path / "payment-simulator.db").is_file() and (
        tmp_path / "logs" / "payment-simulator.log"
    ).is_file()
