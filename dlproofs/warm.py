"""Imported by the worker fork server: load every claim record once, before workers fork.

Each worker runs with one torch thread: two workers on two cores, each with a full OpenMP pool,
oversubscribe the machine and spin (measured: 15.5 s with the default threads against 11.5 s for
one process on the BN/LN slice).
"""

import torch

from .registry import all_claims

torch.set_num_threads(1)
all_claims()
