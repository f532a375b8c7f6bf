"""Readable from-scratch PyTorch reference implementations, one module per topic."""
