"""Topic = id prefix (issue 10): each topic module declares the prefixes it owns, the registry
refuses a claim in the wrong topic and a prefix with two owners, and every link ever published
for a claim (its page's anchor, and the anchor of the page it left) lands on that claim."""

from __future__ import annotations

import importlib.util
import re
import sys
import types

import pytest

from dlproofs import registry
from dlproofs.claim import Claim, Verdict
from dlproofs.errors import ClaimDefinitionError
from dlproofs.publish import render_pages, stale_files
from dlproofs.registry import all_claims, check_moved, check_ownership, moved, prefixes, topics
from dlproofs.render import render_topic
from dlproofs.runner import project_root

# The anchors proofs/seedchecks.md and proofs/seedclaims.md published before issue 10 dissolved
# their modules (read off those pages at commit 1abe361): links that must keep working.
PUBLISHED_BEFORE = {
    "seedchecks": (
        "residual.identity-block residual.seed-code residual.lower-bound-not-upper vanishing.eigenvalues "
        "sgd.update-size attention.scale-after-softmax attention.additive-bounded "
        "transformer.cross-attention-params residual.zero-branch-identity"
    ).split(),
    "seedclaims": (
        "ads.scenario gradients.long-sequences ln.stabilizes-gradients relu.cheap relu.sparsity swish.self-gating "
        "swish.deep-networks swish.negative-information swish.small-data bn.suits-image-batches ln.suits-sequences "
        "resnet.degradation multihead.why-better transformer.encoder-decoder-interaction pretraining.objectives "
        "pretraining.downstream llama.decoder-only scaling.data-per-parameter residual.history gradients.definitions "
        "residual.sublayer-complexity residual.zero-init-convergence residual.llm-practice "
        "residual.seed-code-training residual.gating init.history convattn.suited-tasks pe.fixed-vs-learned "
        "complexity.remedies selfattn.purpose selfattn.projections-relieve pe.word-order pi.extrapolation-scores "
        "ntk.attribution"
    ).split(),
}


def record(claim_id: str, topic: str = "", verdict: Verdict = Verdict.NOT_FORMALIZABLE) -> Claim:
    return Claim(id=claim_id, title=f"title of {claim_id}", verdict=verdict, summary="s", reason="r", topic=topic)


# ── the registry refuses misplaced claims and shared prefixes ──────────────────────────────────
def test_a_claim_whose_prefix_its_topic_does_not_declare_is_refused_naming_file_id_and_owner():
    declared = {"attention": ("attention",), "vanishing": ("vanishing", "sgd")}
    with pytest.raises(ClaimDefinitionError) as exc:
        check_ownership(declared, [record("attention.sdpa", "attention"), record("sgd.update-size", "attention")])
    message = str(exc.value)
    assert "\n" not in message
    assert "derivations/attention.py" in message and "'sgd.update-size'" in message and "prefix 'sgd'" in message
    assert "derivations/vanishing.py owns" in message and "move the record to derivations/vanishing.py" in message


def test_a_claim_whose_prefix_no_topic_declares_is_refused_with_both_fixes():
    with pytest.raises(ClaimDefinitionError) as exc:
        check_ownership({"attention": ("attention",)}, [record("rnn.bptt", "attention")])
    message = str(exc.value)
    assert "'rnn.bptt'" in message and "no topic declares" in message
    assert "add 'rnn' to this module's PREFIXES" in message and "move the record" in message


def test_two_topics_declaring_one_prefix_are_refused_naming_both_files():
    with pytest.raises(ClaimDefinitionError) as exc:
        check_ownership(
            {"activations": ("relu", "swish"), "seedclaims": ("relu",)},
            [record("relu.derivative", "activations"), record("relu.cheap", "seedclaims")],
        )
    message = str(exc.value)
    assert "\n" not in message
    assert "derivations/seedclaims.py" in message and "derivations/activations.py" in message
    assert "seedclaims.py holds relu.cheap" in message and "activations.py holds relu.derivative" in message
    assert "prefix 'relu'" in message and "one owner" in message and "drop 'relu' from one" in message


def test_claims_in_the_topics_that_own_their_prefixes_pass():
    check_ownership(
        {"vanishing": ("vanishing", "sgd"), "llms": ("transformer",)},
        [
            record("sgd.update-size", "vanishing"),
            record("vanishing.eigenvalues", "vanishing"),
            record("transformer.x", "llms"),
        ],
    )


def _planted_module(monkeypatch, name: str, **attrs) -> None:
    module = types.ModuleType(f"dlproofs.derivations.{name}")
    for key, value in attrs.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, module.__name__, module)


def test_loading_a_module_refuses_a_misplaced_claim_and_names_the_owner_from_source(monkeypatch):
    _planted_module(monkeypatch, "planted_a", CLAIMS=[record("sgd.update-size")], PREFIXES=("planted",))
    with pytest.raises(ClaimDefinitionError) as exc:
        registry._load_topic.__wrapped__("planted_a")  # uncached: the planted module is not a real topic
    message = str(exc.value)
    assert "derivations/planted_a.py" in message and "'sgd.update-size'" in message
    assert "derivations/vanishing.py owns" in message  # read from vanishing.py's source, not imported


@pytest.mark.parametrize(
    "prefixes_, needle",
    [
        (None, "declares no PREFIXES"),
        ("planted", "write PREFIXES = ('planted',)"),  # the missing comma of a one-element tuple
        ((), "not a non-empty tuple"),
        (["planted"], "not a non-empty tuple"),
        (("planted", "Bad.Prefix"), "'Bad.Prefix', which is not an id prefix"),
    ],
)
def test_loading_a_module_refuses_a_missing_or_malformed_prefixes(monkeypatch, prefixes_, needle):
    attrs = {"CLAIMS": [record("planted.one")]}
    if prefixes_ is not None:
        attrs["PREFIXES"] = prefixes_
    _planted_module(monkeypatch, "planted_b", **attrs)
    with pytest.raises(ClaimDefinitionError, match=re.escape(needle)):
        registry._load_topic.__wrapped__("planted_b")


def test_a_well_formed_planted_module_loads_with_its_topic_set(monkeypatch):
    _planted_module(monkeypatch, "planted_c", CLAIMS=[record("planted.one")], PREFIXES=("planted",))
    (claim,) = registry._load_topic.__wrapped__("planted_c")
    assert claim.topic == "planted_c"


def test_a_records_own_latex_names_win_over_its_modules(monkeypatch):
    import sympy as sp

    h = sp.Symbol("h", real=True)
    own = Claim(
        id="planted.own", title="t", verdict=Verdict.NOT_FORMALIZABLE, summary="s", reason="r", latex_names={h: "H(x)"}
    )
    _planted_module(
        monkeypatch, "planted_d", CLAIMS=[own, record("planted.two")], PREFIXES=("planted",), LATEX={h: "h_0"}
    )
    first, second = registry._load_topic.__wrapped__("planted_d")
    assert first.latex_names[h] == "H(x)" and second.latex_names[h] == "h_0"


# ── the real registry ─────────────────────────────────────────────────────────────────────────
def test_every_topic_declares_its_prefixes_each_has_one_owner_and_claims_under_it():
    declared = prefixes()
    assert set(declared) == set(topics())
    owners = [p for ps in declared.values() for p in ps]
    assert len(owners) == len(set(owners))
    for topic, claims in topics().items():
        used = {c.id.split(".", 1)[0] for c in claims}
        assert used == set(declared[topic]), topic  # every claim's prefix declared, no declaration unused


def test_the_grab_bag_modules_are_gone_and_their_records_live_in_the_prefix_owners():
    for name in ("seedchecks", "seedclaims"):
        assert importlib.util.find_spec(f"dlproofs.derivations.{name}") is None
    topic_of = {c.id: c.topic for c in all_claims()}
    owner = {p: t for t, ps in prefixes().items() for p in ps}
    for ids in PUBLISHED_BEFORE.values():
        for cid in ids:
            assert topic_of[cid] == owner[cid.split(".", 1)[0]]
    assert topic_of["sgd.update-size"] == "vanishing" and topic_of["ads.scenario"] == "interview"
    assert topic_of["transformer.cross-attention-params"] == "llms"


def test_the_moved_map_lists_every_anchor_the_old_pages_published():
    assert {page: list(ids) for page, ids in moved().items()} == PUBLISHED_BEFORE


def test_a_moved_id_that_names_no_claim_is_refused():
    claims = [record("residual.identity-block", "residual")]
    with pytest.raises(ClaimDefinitionError, match=r"seedchecks\.md published 'residual.identity-blok'.*did you mean"):
        check_moved({"seedchecks": ("residual.identity-blok",)}, claims)


def test_a_moved_id_listed_for_the_page_it_lives_on_is_refused():
    claims = [record("residual.identity-block", "residual")]
    with pytest.raises(ClaimDefinitionError, match="lives there"):
        check_moved({"residual": ("residual.identity-block",)}, claims)
    check_moved({"seedchecks": ("residual.identity-block",)}, claims)


# ── every published link lands on its claim ────────────────────────────────────────────────────
@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Every generated Markdown page, rendered without running checks (verdicts show as not checked)."""
    return render_pages({})


ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def _anchors(page: str) -> dict[str, str]:
    """anchor id -> the line right after it (a claim's heading, or a stub's link)."""
    lines = page.split("\n")
    found: dict[str, str] = {}
    for n, line in enumerate(lines):
        m = ANCHOR.fullmatch(line)
        if m:
            assert m.group(1) not in found, f"anchor {m.group(1)} twice on one page"
            found[m.group(1)] = lines[n + 1]
    return found


def _heads(heading: str, claim: Claim) -> bool:
    return re.fullmatch(rf"#{{2,3}} `{re.escape(claim.id)}` — .+", heading) is not None


def _assert_every_published_link_lands(files: dict[str, str]) -> int:
    anchors = {name: _anchors(text) for name, text in files.items() if name.endswith(".md")}
    followed = 0
    for claim in all_claims():
        # the link `cite` prints and every page uses: proofs/<topic>.md#<id>
        assert _heads(anchors[f"{claim.topic}.md"][claim.id], claim), claim.id
    for page, ids in PUBLISHED_BEFORE.items():
        for cid in ids:
            claim = registry.get(cid)
            stub = anchors[f"{page}.md"][cid]  # the old anchor still exists ...
            (target,) = re.findall(r"\]\(([a-z0-9]+\.md)#([^)]+)\)", stub)  # ... and links on
            assert target == (f"{claim.topic}.md", cid), stub
            assert _heads(anchors[target[0]][target[1]], claim), stub  # to the anchor heading the claim
            followed += 1
    return followed


def test_every_link_ever_published_lands_on_its_claim_in_the_generated_pages(pages):
    assert _assert_every_published_link_lands(pages) == 43


def test_every_link_ever_published_lands_on_its_claim_in_the_committed_pages():
    proofs = project_root() / "proofs"
    files = {p.name: p.read_text(encoding="utf-8") for p in proofs.glob("*.md")}
    assert _assert_every_published_link_lands(files) == 43


def test_the_link_checker_fails_on_a_stub_pointing_elsewhere_or_a_missing_anchor(pages):
    files = pages
    wrong = dict(files)
    wrong["seedchecks.md"] = files["seedchecks.md"].replace(
        "(residual.md#residual.seed-code)", "(residual.md#residual.jacobian)"
    )
    with pytest.raises(AssertionError):
        _assert_every_published_link_lands(wrong)
    gone = dict(files)
    gone["seedclaims.md"] = files["seedclaims.md"].replace('<a id="ads.scenario"></a>\n', "")
    with pytest.raises(KeyError):
        _assert_every_published_link_lands(gone)


def test_render_check_covers_the_stub_pages(tmp_path, pages):
    files = {k: v for k, v in pages.items() if k.endswith(".md")}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert stale_files(tmp_path, files) == []
    (tmp_path / "seedclaims.md").unlink()
    (tmp_path / "seedchecks.md").write_text(files["seedchecks.md"].replace("vanishing.md#", "seedchecks.md#"))
    assert sorted(stale_files(tmp_path, files)) == ["seedchecks.md", "seedclaims.md"]


# ── the page layout ──────────────────────────────────────────────────────────────────────────
def test_not_formalizable_records_come_last_in_their_own_section(pages):
    files = pages
    for topic, claims in topics().items():
        page = files[f"{topic}.md"]
        informal = [c for c in claims if c.verdict is Verdict.NOT_FORMALIZABLE]
        formal = [c for c in claims if c.verdict is not Verdict.NOT_FORMALIZABLE]
        if not informal:
            assert "## Not formalizable" not in page, topic
            continue
        section = page.index("\n## Not formalizable\n")
        assert all(page.index(f'<a id="{c.id}"></a>') < section for c in formal), topic
        assert all(page.index(f'<a id="{c.id}"></a>') > section for c in informal), topic
        assert all(f"\n### `{c.id}` — " in page for c in informal), topic


def test_a_page_that_is_still_a_topic_keeps_the_anchors_of_claims_that_left_it(monkeypatch):
    _planted_module(monkeypatch, "planted", __doc__="A planted topic.")
    staying = record("planted.stays", "planted", Verdict.NOT_FORMALIZABLE)
    left = record("other.left", "other")
    page = render_topic("planted", [staying], {}, moved=[left])
    anchors = _anchors(page)
    assert _heads(anchors["planted.stays"], staying)
    assert "## Moved to other pages" in page and "](other.md#other.left)" in anchors["other.left"]
