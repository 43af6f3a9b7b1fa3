"""Cross-cutting protections: security headers, sessions, rate limits."""
