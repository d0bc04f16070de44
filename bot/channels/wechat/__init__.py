"""The WeChat Official Account channel: callback webhook, crypto, outbound API."""
