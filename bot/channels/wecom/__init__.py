"""The WeCom (企业微信) channel for staff: callback webhook, crypto, app messages."""
