"""bn.forward: batch_norm from Dive into Deep Learning (the PyTorch tab of the batch-norm chapter).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

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
# moving_mean = 0.0 and moving_var = 1.0 only feed the returned running statistics (element 1 and 2);
# conform calls with grad enabled, which is d2l's training branch (torch.is_grad_enabled()).
CALL = "f(x, gamma, beta, 0.0, 1.0, eps, 0.1)"
OUTPUT = 0

__getattr__ = entry_object(globals())
