"""The provider settings mixed into a service's Settings take the service's prefix; the secret
stays out of reprs."""

from __future__ import annotations

import pytest
from pydantic_settings import SettingsConfigDict

from yiwang_shared.providers.settings import LogisticsProviderSettings, PaymentProviderSettings
from yiwang_shared.settings import ServiceSettings


class SampleSettings(ServiceSettings, PaymentProviderSettings, LogisticsProviderSettings):
    model_config = SettingsConfigDict(env_prefix="SAMPLE_", extra="ignore")


def test_the_settings_read_the_services_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMPLE_PAYMENT_PROVIDER_URL", "http://127.0.0.1:8091")
    monkeypatch.setenv("SAMPLE_PAYMENT_MERCHANT_ID", "yiwang")
    monkeypatch.setenv("SAMPLE_PAYMENT_SECRET", "s3cret")
    monkeypatch.setenv("SAMPLE_LOGISTICS_PROVIDER_URL", "http://127.0.0.1:8092")
    monkeypatch.setenv("SAMPLE_LOGISTICS_CUSTOMER_ID", "yiwang")
    monkeypatch.setenv("SAMPLE_LOGISTICS_SECRET", "other")
    monkeypatch.setenv("PAYMENT_SECRET", "not this one")
    settings = SampleSettings()
    assert settings.payment_provider_url == "http://127.0.0.1:8091"
    assert settings.payment_merchant_id == settings.logistics_customer_id == "yiwang"
    assert settings.payment_secret.get_secret_value() == "s3cret"
    assert settings.logistics_secret.get_secret_value() == "other"
    assert "s3cret" not in repr(settings)


def test_unset_means_not_configured() -> None:
    settings = SampleSettings()
    assert settings.payment_provider_url == "" and settings.payment_secret.get_secret_value() == ""
    assert settings.payment_timeout_seconds == settings.logistics_timeout_seconds == 5.0
