"""Load tests against the real app and a bare-framework ceiling (`make bench`)."""
