"""Properties of the screen over any mix of yes, no, not sure and unanswered."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from backcoach.safety.screen import screen, tier_for
from backcoach.safety.signs import SIGN_IDS, tier_rank

UNANSWERED = "unanswered"
STATES = ["yes", "no", "unsure", UNANSWERED]

any_answers = st.fixed_dictionaries({s: st.sampled_from(STATES) for s in SIGN_IDS})


def rank(state: dict[str, str]) -> int:
    given_answers = {s: a for s, a in state.items() if a != UNANSWERED}
    return tier_rank(screen(given_answers).tier)


@given(any_answers, st.sampled_from(SIGN_IDS))
def test_one_more_yes_never_lowers_the_tier(state: dict[str, str], sign_id: str) -> None:
    assert rank({**state, sign_id: "yes"}) >= rank(state)


@given(any_answers, st.sampled_from(SIGN_IDS))
def test_answering_an_unanswered_question_yes_never_lowers_the_tier(
    state: dict[str, str], sign_id: str
) -> None:
    unanswered = {**state, sign_id: UNANSWERED}
    assert rank({**state, sign_id: "yes"}) >= rank(unanswered)
    assert rank({**state, sign_id: "unsure"}) >= rank(unanswered)


@given(any_answers, st.sampled_from(SIGN_IDS))
def test_unsure_is_the_same_as_yes_and_never_below_no(state: dict[str, str], sign_id: str) -> None:
    unsure = rank({**state, sign_id: "unsure"})
    assert unsure == rank({**state, sign_id: "yes"})
    assert unsure >= rank({**state, sign_id: "no"})


@given(any_answers, st.sampled_from(SIGN_IDS))
def test_unanswered_is_never_below_no(state: dict[str, str], sign_id: str) -> None:
    assert rank({**state, sign_id: UNANSWERED}) >= rank({**state, sign_id: "no"})


@given(any_answers)
def test_result_lists_are_consistent_with_the_answers(state: dict[str, str]) -> None:
    result = screen({s: a for s, a in state.items() if a != UNANSWERED})
    assert result.unanswered == tuple(s for s in SIGN_IDS if state[s] == UNANSWERED)
    assert result.unsure == tuple(s for s in SIGN_IDS if state[s] == "unsure")
    positive = {s for s in SIGN_IDS if state[s] in ("yes", "unsure")}
    assert set(result.flags) <= positive
    assert set(result.other_signs) <= positive
    assert not set(result.flags) & set(result.other_signs)
    assert list(result.flags) == sorted(result.flags, key=SIGN_IDS.index)
    # The screen is clear only when every question with a tier was answered no.
    if result.tier == "clear":
        assert all(state[s] == "no" for s in SIGN_IDS if s != "age_over_50_new")
    # Every positive answer with a tier reaches at least "soon".
    if positive - {"age_over_50_new"}:
        assert result.tier != "clear"


def test_every_set_of_yes_answers_is_monotone() -> None:
    """Exhaustively over all 2**18 sets of signs answered yes: one more never lowers the tier.

    Uses ``tier_for``, the rule evaluation ``screen`` relies on; a sample is checked against
    ``screen`` itself so the two cannot drift apart."""
    ranks = [
        tier_rank(tier_for(frozenset(s for s, bit in zip(SIGN_IDS, bits, strict=True) if bit)))
        for bits in itertools.product((0, 1), repeat=len(SIGN_IDS))
    ]
    # itertools.product counts with the last sign as the lowest bit.
    width = len(SIGN_IDS)
    for mask, value in enumerate(ranks):
        for i in range(width):
            assert ranks[mask | (1 << i)] >= value
    for mask in range(0, len(ranks), 997):
        bits = [(mask >> (width - 1 - i)) & 1 for i in range(width)]
        result = screen({s: "yes" if bit else "no" for s, bit in zip(SIGN_IDS, bits, strict=True)})
        assert tier_rank(result.tier) == ranks[mask]
