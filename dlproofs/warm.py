"""Imported by the worker fork server: load every claim record once, before workers fork."""

from .registry import all_claims

all_claims()
