"""Real payment providers behind handlers.payments.PaymentProvider (WeChat Pay API v3)."""
