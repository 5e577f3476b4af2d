"""Loopback HTTPS servers that play a CRM's API for the pull tests (real HTTP, real TLS)."""
