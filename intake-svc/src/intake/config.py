"""intake-svc settings (env prefix INTAKE_)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from yiwang_shared.migrations import service_dir
from yiwang_shared.providers.settings import LogisticsProviderSettings, PaymentProviderSettings
from yiwang_shared.settings import ServiceSettings, default_var_dir

#: The service's folder (its migrations, its var/ directory).
SERVICE_DIR = service_dir("intake")


class Settings(ServiceSettings, PaymentProviderSettings, LogisticsProviderSettings):
    """Settings for intake-svc."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    port: int = 8003
    identity_url: str = Field(
        default="",
        description="identity-svc base URL, for grant checks (法人授权) at submission; empty: "
        "the origin of jwks_url (http://127.0.0.1:8001 by default).",
    )
    notice_window_working_days: int = Field(
        default=5,
        ge=0,
        le=20,
        description="The one-time notice (一次性告知) must be issued within this many working days "
        "of receipt, else the application counts as accepted (行政许可法 第三十二条).",
    )
    yellow_working_days: int = Field(
        default=3,
        ge=0,
        le=30,
        description="A case turns yellow when this many working days or fewer remain.",
    )
    max_extension_working_days: int = Field(
        default=10, ge=0, le=60, description="Longest extension of a time limit (延长办理期限)."
    )
    deficiency_correction_working_days: int = Field(
        default=5,
        ge=1,
        le=60,
        description="Default correction deadline for acceptance with deficiencies (容缺受理).",
    )
    correction_period_working_days: int = Field(
        default=20,
        ge=1,
        le=120,
        description="Period given in the one-time notice to hand in the corrections (补正期限).",
    )
    bundle_window_unit_code: str = Field(
        default="",
        description="The window that receives 一件事 applications made online (一件事综合窗口): every case "
        "of such an application is this window's to accept. Empty: the first comprehensive window "
        "(by code) of the district's service centre.",
    )
    deficiency_item_codes: list[str] = Field(
        default=[],
        description="Items that allow acceptance with deficiencies (容缺受理) besides those whose "
        "materials mention 容缺 in the catalogue.",
    )
    supervision_scan_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How often the supervision scan runs (overdue, 容缺 deadlines, deemed "
        "acceptance); 0 disables the background scan.",
    )
    clock_offset_seconds: float = Field(
        default=0.0,
        description="Shifts this process's clock (deadlines, supervision, timestamps) by this many "
        "seconds. For drills and end-to-end tests of deadlines with real processes; keep 0 in "
        "production.",
    )
    queue_take_rate_per_minute: int = Field(
        default=30,
        ge=1,
        le=6000,
        description="Numbers one client (the account, else the forwarded address) may take or check in "
        "a minute at the queue kiosk; beyond it 429 with Retry-After. A hall's kiosk is one address.",
    )
    queue_default_service_minutes: float = Field(
        default=10.0,
        gt=0,
        le=240,
        description="Service time per number assumed for a window with no measured service yet "
        "(the hall display's expected wait).",
    )
    queue_service_sample: int = Field(
        default=20,
        ge=1,
        le=500,
        description="The expected wait averages each window's last this many completed services (today "
        "and the 6 days before).",
    )
    forecast_pass_seconds: float = Field(
        default=600.0,
        ge=0,
        description="How often the demand-forecast pass looks for halls and items not yet fitted today "
        "(it fits each once a day, in a worker thread); 0 disables it.",
    )
    forecast_first_after_seconds: float = Field(
        default=5.0,
        ge=0,
        description="The first forecast pass runs this long after start-up (the service answers first).",
    )
    forecast_utilisation: float = Field(
        default=0.85,
        gt=0,
        le=1,
        description="The share of a window's open time spent serving, for the staffing hint (windows "
        "needed = forecast visits × minutes per case ÷ (minutes open × this)).",
    )
    storage_dir: str = Field(default="", description="Upload directory; empty: var/intake-files.")
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, ge=1, description="Largest upload.")
    allowed_upload_types: list[str] = Field(
        default=["application/pdf", "image/jpeg", "image/png", "application/ofd"],
        description="Content types accepted for uploaded materials.",
    )

    licence_url: str = Field(
        default="http://127.0.0.1:8006",
        description="licence-svc's base URL: the applicant's valid licences, read with their own token, "
        "for 秒批 rules (empty: no rules are checked, a person decides).",
    )
    payment_notify_url: str = Field(
        default="",
        description="Where the payment provider sends its signed notifications (the public address of "
        "POST /v1/payments/notify); empty: the gateway's at public_base_url, else this process's own.",
    )
    logistics_notify_url: str = Field(
        default="",
        description="Where the courier sends tracking events (POST /v1/waybills/notify); empty: as for "
        "payment_notify_url.",
    )
    fee_worker_seconds: float = Field(
        default=2.0,
        ge=0,
        description="How often the fee worker makes the orders of new payment notices at the provider; "
        "0 disables it (no provider configured: nothing to do either).",
    )

    def _notify_url(self, path: str) -> str:
        if self.public_base_url:
            return self.public_base_url.rstrip("/") + "/api/intake" + path
        return f"http://127.0.0.1:{self.port}{path}"

    def resolved_payment_notify_url(self) -> str:
        """The payment provider's notify URL, as configured or derived."""
        return self.payment_notify_url or self._notify_url("/v1/payments/notify")

    def resolved_logistics_notify_url(self) -> str:
        """The courier's notify URL, as configured or derived."""
        return self.logistics_notify_url or self._notify_url("/v1/waybills/notify")

    def resolved_identity_url(self) -> str:
        """identity-svc's base URL: as set, else where the JWKS comes from."""
        if self.identity_url:
            return self.identity_url.rstrip("/")
        jwks = self.jwks_url
        marker = jwks.find("/v1/")
        return (jwks[:marker] if marker > 0 else jwks).rstrip("/")

    def resolved_storage_dir(self) -> Path:
        """Where uploaded files are kept."""
        path = Path(self.storage_dir) if self.storage_dir else default_var_dir() / "intake-files"
        path.mkdir(parents=True, exist_ok=True)
        return path
