"""Who to talk to first (PLAYBOOK.md section 2): the scores, their reasons and their order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rapport.playbook.priority import (
    EmployerFacts,
    PersonFacts,
    employer_rank,
    matches,
    person_rank,
    weights,
)

zero_to_three = st.integers(min_value=0, max_value=3)
counts = st.integers(min_value=0, max_value=500)
names = st.lists(st.sampled_from(["University of Leeds", "Greenleaf Co-op", "McGill"]), max_size=2)

employers = st.builds(
    EmployerFacts,
    keenness=zero_to_three,
    hiring_signal=zero_to_three,
    alumni=counts,
    former_colleagues=counts,
    referrals=counts,
    contacts=counts,
    past_employer=st.booleans(),
)
people = st.builds(
    PersonFacts,
    shared_schools=names.map(tuple),
    shared_employers=names.map(tuple),
    referred=st.booleans(),
    title_matches_target=st.sampled_from(["", "ESG consultant"]),
    employer_score=st.floats(min_value=0, max_value=100),
    employer_name=st.sampled_from(["", "Hallam"]),
    employer_keenness=zero_to_three,
)


@given(employers)
def test_an_employers_score_is_never_negative(facts: EmployerFacts) -> None:
    assert employer_rank(facts).score >= 0


@given(people)
def test_a_persons_score_is_never_negative(facts: PersonFacts) -> None:
    assert person_rank(facts).score >= 0


@given(employers, employers)
def test_keenness_counts_most(first: EmployerFacts, second: EmployerFacts) -> None:
    """Two points more keenness outweigh any way in, hiring signal being equal; three points
    outweigh anything at all."""
    low, high = sorted((first, second), key=lambda f: f.keenness)
    if high.keenness - low.keenness >= 2 and high.hiring_signal == low.hiring_signal:
        bare = EmployerFacts(keenness=high.keenness, hiring_signal=high.hiring_signal)
        assert employer_rank(bare).score >= employer_rank(low).score
    if high.keenness - low.keenness == 3:
        bare = EmployerFacts(keenness=high.keenness, hiring_signal=0)
        assert employer_rank(bare).score > employer_rank(low).score


@given(employers)
def test_an_employers_reasons_state_its_facts(facts: EmployerFacts) -> None:
    reasons = employer_rank(facts).reasons
    assert (f"keen {facts.keenness}/3" in reasons) == bool(facts.keenness)
    assert (f"hiring {facts.hiring_signal}/3" in reasons) == bool(facts.hiring_signal)
    assert ("you worked here" in reasons) == facts.past_employer
    alumni = [r for r in reasons if r.endswith(("alumnus", "alumni"))]
    assert alumni == (
        [f"{facts.alumni} {'alumnus' if facts.alumni == 1 else 'alumni'}"] if facts.alumni else []
    )
    if facts.referrals:
        assert f"{facts.referrals} referral{'s' * (facts.referrals != 1)}" in reasons


@given(people)
def test_a_persons_reasons_state_their_facts(facts: PersonFacts) -> None:
    reasons = person_rank(facts).reasons
    assert ("introduced to you" in reasons) == facts.referred
    assert any(r.startswith("also studied at") for r in reasons) == bool(facts.shared_schools)
    assert any(r.startswith("also worked at") for r in reasons) == bool(facts.shared_employers)
    assert any(r.startswith("works as") for r in reasons) == bool(facts.title_matches_target)
    at_keen = bool(facts.employer_keenness and facts.employer_name)
    assert any(r.startswith("at ") for r in reasons) == at_keen


@given(people)
def test_a_warm_introduction_always_lifts_a_person(facts: PersonFacts) -> None:
    cold = person_rank(PersonFacts(**{**facts._asdict(), "referred": False}))
    warm = person_rank(PersonFacts(**{**facts._asdict(), "referred": True}))
    assert warm.score > cold.score


def test_a_person_at_a_keener_employer_ranks_higher_all_else_equal() -> None:
    keen = employer_rank(EmployerFacts(keenness=3, hiring_signal=0))
    cool = employer_rank(EmployerFacts(keenness=1, hiring_signal=0))
    assert (
        person_rank(PersonFacts(employer_score=keen.score)).score
        > person_rank(PersonFacts(employer_score=cool.score)).score
    )


def test_shared_background_outweighs_one_point_of_keenness() -> None:
    """Employers come first (the playbook works down a ranked list of them), but a fellow
    alumnus at a company one point less loved is a better first ask than a stranger."""
    keener = employer_rank(EmployerFacts(keenness=3, hiring_signal=0)).score
    less = employer_rank(EmployerFacts(keenness=2, hiring_signal=0)).score
    stranger = person_rank(PersonFacts(employer_score=keener)).score
    alumnus = person_rank(PersonFacts(shared_schools=("Leeds",), employer_score=less)).score
    assert alumnus > stranger


def test_the_reason_reads_like_the_playbook_example() -> None:
    ranked = employer_rank(EmployerFacts(keenness=3, hiring_signal=0, alumni=2, contacts=2))
    assert ranked.reasons == ("keen 3/3", "2 alumni")
    plain = employer_rank(EmployerFacts(keenness=0, hiring_signal=0, contacts=4))
    assert plain.reasons == ("4 contacts",)


def test_a_school_is_found_by_its_distinctive_words() -> None:
    schools = ("University of Leeds", "Hollins Park Sixth Form")
    assert matches("We both studied at Leeds", schools) == ("University of Leeds",)
    assert matches("Hollins Park, class of 2015", schools) == ("Hollins Park Sixth Form",)
    assert matches("Studied in Leeds-Beckett? no: Lee", ("University of Leeds",)) == (
        "University of Leeds",
    )
    assert matches("Grew up near Leeds Castle", ("Leeds Castle Trust",)) == ()


def test_a_note_in_brackets_is_left_out_of_the_reason() -> None:
    assert matches("Greenleaf Co-op intern", ("Greenleaf Co-op (summer internship)",)) == (
        "Greenleaf Co-op",
    )


def test_every_weight_is_a_positive_number() -> None:
    assert all(value > 0 for value in weights().values())
    assert weights()["way_in_cap"] == 2 * weights()["keenness"]
