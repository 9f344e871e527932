"""The risk path on the supply-chain map: from a node up to the node whose own points set
its score, following the riskiest input as the risk engine does."""

from chainproof.domain.map_layout import risk_path
from chainproof.domain.nodes import IMPORTER, NodeKey

A, B, C, D, E = (NodeKey.facility(n) for n in range(1, 6))


def test_follows_the_riskiest_input_up_to_the_node_whose_own_points_set_its_score():
    # E -> C -> B -> A -> importer, and D -> B beside C
    inputs = {IMPORTER: [A], A: [B], B: [C, D], C: [E]}
    score = {A: 72.9, B: 81, C: 90, D: 60, E: 100}
    own = {A: 10, B: 20, C: 30, D: 60, E: 100}
    assert risk_path(IMPORTER, inputs, score, own, always_follow=[IMPORTER]) == [
        IMPORTER,
        A,
        B,
        C,
        E,
    ]
    assert risk_path(B, inputs, score, own) == [B, C, E]


def test_stops_where_the_node_own_points_are_its_score():
    inputs = {A: [B], B: [C]}
    score = {A: 90, B: 90, C: 100}
    own = {A: 10, B: 90, C: 100}  # B's own 90 sets its score; C's 100 x decay would be 90
    assert risk_path(A, inputs, score, own) == [A, B]
    assert risk_path(B, inputs, score, own) == [B]


def test_the_importer_follows_its_riskiest_input_even_when_its_own_points_are_higher():
    inputs = {IMPORTER: [A, B]}
    score = {IMPORTER: 100, A: 40, B: 70}
    own = {IMPORTER: 100, A: 40, B: 70}
    assert risk_path(IMPORTER, inputs, score, own, always_follow=[IMPORTER]) == [IMPORTER, B]
    assert risk_path(IMPORTER, inputs, score, own) == [IMPORTER]


def test_ties_go_to_the_lower_node_key_and_unscored_inputs_are_skipped():
    gap = NodeKey.parse("f:99")
    inputs = {A: [C, B, gap]}
    score = {A: 81, B: 90, C: 90}
    own = {A: 0, B: 90, C: 90}
    assert risk_path(A, inputs, score, own) == [A, B]
    assert risk_path(A, {A: [gap]}, {A: 50}, {A: 0}) == [A]


def test_a_cycle_ends_the_path_instead_of_running_forever():
    inputs = {A: [B], B: [A]}
    score = {A: 80, B: 80}
    own = {A: 0, B: 0}
    assert risk_path(A, inputs, score, own) == [A, B]


def test_a_node_nobody_scored_is_a_path_of_itself():
    assert risk_path(A, {A: [B]}, {B: 50}, {B: 50}) == [A]
