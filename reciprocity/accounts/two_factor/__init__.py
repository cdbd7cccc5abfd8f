"""Two-factor authentication (TOTP with recovery codes, on django-otp): mandatory for platform
staff and organisation administrators, optional for everyone else (docs/decisions/)."""
