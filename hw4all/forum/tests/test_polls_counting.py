"""Counting: the instant-runoff rule of ranked polls (worked examples and properties any ballots
must keep), and the results pages built from the stored ballots."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hw4all.forum.factories import member_of
from hw4all.forum.queries import polls as queries
from hw4all.forum.queries.polls import instant_runoff
from hw4all.forum.services import polls as services

from .test_polls import close, option_ids, poll_open

A, B, C, D = 1, 2, 3, 4


def test_a_majority_of_first_choices_wins_in_the_first_round():
    result = instant_runoff([A, B, C], [[A, B], [A], [A, C], [B, A], [C]])
    assert result.winner == A
    assert len(result.rounds) == 1
    assert result.rounds[0].counts == {A: 3, B: 1, C: 1}


def test_the_last_option_is_eliminated_and_its_ballots_move_on():
    # First choices A 4, B 3, C 2: C goes, its ballots go to B, who wins 5 to 4.
    ballots = [[A]] * 4 + [[B, A]] * 3 + [[C, B]] * 2
    result = instant_runoff([A, B, C], ballots)
    assert [round_.counts for round_ in result.rounds] == [{A: 4, B: 3, C: 2}, {A: 4, B: 5}]
    assert result.rounds[0].eliminated == (C,)
    assert result.winner == B


def test_a_ballot_with_no_option_left_stops_counting():
    # C's ballots rank nothing else: A wins with 4 of the 7 ballots still counting, not of 9.
    ballots = [[A]] * 4 + [[B]] * 3 + [[C]] * 2
    result = instant_runoff([A, B, C], ballots)
    assert result.rounds[1].exhausted == 2
    assert result.rounds[1].counts == {A: 4, B: 3}
    assert result.winner == A


def test_a_tie_for_last_is_broken_by_the_earlier_rounds():
    # Round 1: A 4, B 3, C 3, D 1: D goes, to C. Round 2: A 4, B 3, C 4: B goes, to A.
    ballots = [[A]] * 4 + [[B, A]] * 3 + [[C]] * 3 + [[D, C]]
    result = instant_runoff([A, B, C, D], ballots)
    assert result.rounds[0].eliminated == (D,)
    assert result.rounds[1].counts == {A: 4, B: 3, C: 4}
    assert result.rounds[1].eliminated == (B,)
    assert result.winner == A
    # Here B and C tie for last in round 2 and C had fewer in round 1: C goes.
    ballots = [[A]] * 5 + [[B]] * 3 + [[C]] * 2 + [[D, C]] * 1
    result = instant_runoff([A, B, C, D], ballots)
    assert result.rounds[1].counts == {A: 5, B: 3, C: 3}
    assert result.rounds[1].eliminated == (C,)


def test_options_still_tied_for_last_go_together_and_a_full_tie_is_a_tie():
    result = instant_runoff([A, B, C, D], [[A]] * 3 + [[B]] * 3 + [[C]] + [[D]])
    assert result.rounds[0].eliminated == (C, D)
    assert result.winner is None
    assert result.tied == (A, B)


def test_no_ballot_no_winner():
    assert instant_runoff([A, B], []).winner is None
    assert instant_runoff([A, B], []).rounds == ()


options_lists = st.lists(st.integers(min_value=1, max_value=30), min_size=2, max_size=8, unique=True)


@st.composite
def elections(draw):
    options = draw(options_lists)
    ranking = st.lists(st.sampled_from(options), min_size=1, max_size=len(options), unique=True)
    return options, draw(st.lists(ranking, max_size=40))


@settings(max_examples=300, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_instant_runoff_properties(election, rng: random.Random):
    options, ballots = election
    result = instant_runoff(options, ballots)
    if not ballots:
        assert result.winner is None
        return
    # The order ballots were cast in changes nothing.
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert instant_runoff(options, shuffled) == result
    # Every ballot is counted once in every round, for an option or as exhausted.
    for round_ in result.rounds:
        assert sum(round_.counts.values()) + round_.exhausted == len(ballots)
    # Each round eliminates at least one option, none comes back, and options only gain ballots.
    assert len(result.rounds) <= len(options)
    eliminated: set[int] = set()
    for earlier, later in zip(result.rounds, result.rounds[1:], strict=False):
        assert earlier.eliminated
        eliminated.update(earlier.eliminated)
        assert set(later.counts) == set(earlier.counts) - set(earlier.eliminated)
        assert all(later.counts[option] >= earlier.counts[option] for option in later.counts)
    last = result.rounds[-1]
    assert not last.eliminated
    # A winner or a tie, never both; the winner has a majority of the ballots still counting.
    assert (result.winner is None) == bool(result.tied)
    if result.winner is not None:
        assert result.winner not in eliminated
        assert 2 * last.counts[result.winner] > len(ballots) - last.exhausted
    else:
        assert len(set(last.counts.values())) == 1
        assert set(result.tied) == set(last.counts)
    # A majority of first choices wins at once; an option ranked first by all wins.
    firsts = [ballot[0] for ballot in ballots]
    for option in options:
        if 2 * firsts.count(option) > len(ballots):
            assert result.winner == option
            assert len(result.rounds) == 1


# Results pages


@pytest.mark.django_db
def test_a_ranked_polls_results_show_the_rounds_and_the_winner(client, open_space, moderator):
    poll = poll_open(open_space, moderator, kind="ranked")
    amina, jan, maria = option_ids(poll)
    ballots = [[amina]] * 2 + [[jan, amina]] * 2 + [[maria, jan]]
    for choices in ballots:
        services.poll_vote(poll=poll, user=member_of(open_space), choices=choices)
    close(poll)
    results = queries.poll_results(poll)
    assert [option.label for option in results.winners] == ["Jan de Vries"]
    assert [(row.option.label, row.count) for row in results.options] == [
        ("Amina Diallo", 2),
        ("Jan de Vries", 2),
        ("Maria Costa", 1),
    ]
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Counted by instant runoff" in page
    assert "Winner: Jan de Vries" in page
    assert "Round 2" in page
    assert "eliminated" in page


@pytest.mark.django_db
def test_single_choice_results_count_every_ballot(client, open_space, moderator):
    poll = poll_open(open_space, moderator)
    amina, jan, _maria = option_ids(poll)
    for choice in (amina, amina, amina, jan):
        services.poll_vote(poll=poll, user=member_of(open_space), choices=[choice])
    close(poll)
    results = queries.poll_results(poll)
    assert [(row.count, row.percent) for row in results.options] == [(3, 75.0), (1, 25.0), (0, 0.0)]
    assert [option.label for option in results.winners] == ["Amina Diallo"]
    # The moderator and the four voters are members; four voted.
    assert (results.ballots, results.eligible) == (4, 5)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "75.0%" in page and "25.0%" in page
    assert "Turnout: 4 of 5 eligible members voted. (80.0%)" in page
