"""Bearer tokens for the JSON API: random, stored only as a hash, expiring, revocable."""
