"""The payment provider simulator (统一公共支付平台-style): orders with a 缴款码, a pay page,
signed notify callbacks, refunds, expiry and the day's statement."""
