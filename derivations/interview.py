"""Interview questions of the seeds that contain no mathematical statement (scenario and
system-design questions). Each has a record so that the ledger accounts for it, with why no proof
or counterexample can settle it.
"""

from __future__ import annotations

from dlproofs.derivations import _shared as shared

from dlproofs.claim import Source

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("ads",)


# The records below were written in seedchecks.py / seedclaims.py until issue 10; their old links are
# stub anchors that link on to this page (derivations/_moved.py).


ADS = shared.not_formalizable(
    "ads.scenario",
    "Scenario question: recommending ad keywords on Douyin",
    "An open system-design question about ad-keyword recommendation; it states nothing to prove.",
    "A product and system-design question with no mathematical statement in it.",
    Source(
        shared.SEED000,
        "一",
        "场景题:在抖音场景下为用户推荐广告词,吸引用户点击搜索,呈现广告这一流程的关键点以及可能遇到的困难。",
        "Scenario question: on Douyin, recommend ad keywords to users to attract clicks and searches; what are "
        "the key points of showing the ads and the difficulties one may meet?",
        line=5,
    ),
)


CLAIMS = [ADS]
