"""dbt nodes -> Dagster groups and check descriptions (no manifest needed: props as dbt writes them)."""

from orchestration.assets.warehouse import check_description, group_name


def test_a_model_is_grouped_by_its_top_level_folder():
    assert (
        group_name({"fqn": ["newsevents", "staging", "stg_x"], "config": {"schema": "staging"}}) == "staging"
    )
    # a model in a sub-folder still belongs to its layer
    assert (
        group_name({"fqn": ["newsevents", "marts", "finance", "fct_y"], "config": {"schema": "m"}}) == "marts"
    )


def test_a_seed_is_grouped_by_its_schema_whatever_its_folder():
    seed = {"resource_type": "seed", "config": {"schema": "reference"}}
    assert group_name({**seed, "fqn": ["newsevents", "event_types"]}) == "reference"
    assert group_name({**seed, "fqn": ["newsevents", "warehouse", "plausibility_limits"]}) == "reference"


def _test(name, **kwargs):
    return {"name": f"{name}_x", "test_metadata": {"name": name, "kwargs": {"model": "m", **kwargs}}}


def test_a_test_keeps_its_own_description():
    assert check_description({**_test("not_null", column_name="a"), "description": "Why a matters."}) == (
        "Why a matters."
    )
    assert check_description({**_test("not_null", column_name="a"), "meta": {"description": "M."}}) == "M."


def test_generic_tests_are_described_from_their_arguments():
    assert check_description(_test("not_null", column_name="event_date")) == "`event_date` is never null."
    assert (
        check_description(
            _test("relationships", column_name="actor_id", to="ref('dim_actors')", field="actor_id")
        )
        == "Every non-null `actor_id` is a `actor_id` of `dim_actors`."
    )
    assert check_description(_test("accepted_values", column_name="role", values=["actor1", "actor2"])) == (
        "`role` is one of: actor1, actor2."
    )
    assert check_description(_test("expression_is_true", expression="a > 0")) == (
        "dbt test `expression_is_true` (expression=a > 0)."
    )
