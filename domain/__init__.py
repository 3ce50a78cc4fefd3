"""PyTake's domain: pure rules and services over ports; no framework or I/O library imports."""
