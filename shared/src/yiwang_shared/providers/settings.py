"""The settings a service adds to use the providers (mixed into its Settings, so under its prefix:
INTAKE_PAYMENT_PROVIDER_URL, …). Empty URL: the provider is not configured."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr

__all__ = ["LogisticsProviderSettings", "PaymentProviderSettings"]


class PaymentProviderSettings(BaseModel):
    """Where the payment provider is and who we are to it."""

    payment_provider_url: str = Field(
        default="", description="The payment provider's base URL (`make run`: the simulator's)."
    )
    payment_merchant_id: str = Field(default="", description="Our merchant id (商户号) at the provider.")
    payment_secret: SecretStr = Field(
        default=SecretStr(""), description="The HMAC secret shared with the provider (signs both ways)."
    )
    payment_timeout_seconds: float = Field(default=5.0, gt=0, le=60)


class LogisticsProviderSettings(BaseModel):
    """Where the courier's API is and who we are to it."""

    logistics_provider_url: str = Field(
        default="", description="The courier's base URL (`make run`: the simulator's)."
    )
    logistics_customer_id: str = Field(default="", description="Our customer id (大客户号) at the courier.")
    logistics_secret: SecretStr = Field(
        default=SecretStr(""), description="The HMAC secret shared with the courier (signs both ways)."
    )
    logistics_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
