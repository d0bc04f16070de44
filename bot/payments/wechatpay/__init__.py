"""WeChat Pay API v3, called directly with `cryptography` and `requests` (see README "Payments")."""
