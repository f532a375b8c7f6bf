"""bn.forward: batch_norm from Dive into Deep Learning (the PyTorch tab of the batch-norm chapter).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="d2l-ai/d2l-en",
    commit="23d7a5aecceee57d1292c56e90cce307f183bb0a",
    license="MIT-0 (code), CC BY-SA 4.0 (text)",
    path="chapter_convolutional-modern/batch-norm.md",
    lines=((309, 334),),
    sha256="5d854c234e2afba8bd7f9d3d169b3f26ce6f03ec3702863377a1a59fbe63a742",
)
NAME = "batch_norm"
PRELUDE = "import torch\n"
EXPECTED = "conforms"
WHY = "training branch (grad enabled): mean and ((X − mean)²).mean over the batch (biased), ε inside the root"
REASON = "extra moving_mean/moving_var/momentum arguments and a (Y, moving_mean, moving_var) return; training mode is chosen by torch.is_grad_enabled()"
ADAPTS = ("extra arguments", "tuple return", "branch selection")


def adapter(ns):
    def batch_norm(x, gamma, beta, eps):
        c = x.shape[1]
        moving_mean, moving_var = torch.zeros(c, dtype=x.dtype), torch.ones(c, dtype=x.dtype)
        with torch.enable_grad():  # d2l picks its training branch by torch.is_grad_enabled()
            y, _, _ = ns["batch_norm"](x, gamma, beta, moving_mean, moving_var, eps, 0.1)
        return y

    return batch_norm


target = entry_target(globals())
