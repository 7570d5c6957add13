"""Whatever text arrives at the door, the loader answers with a template or a TemplateError."""

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.campaigns.templating.loader import TemplateError, dump_template, load_template

MINIMAL = (
    Path(__file__).resolve().parent.parent / "templating" / "examples" / "minimal.yaml"
).read_text(encoding="utf-8")
BASE = yaml.safe_load(MINIMAL)
CJK = re.compile(r"[\u4e00-\u9fff]")


def load_or_refuse(text: str) -> None:
    try:
        template = load_template(text)
    except TemplateError as exc:
        assert exc.errors
        for issue in exc.errors:
            assert CJK.search(issue.message), issue
        return
    # Whatever loads must survive export and import unchanged.
    assert load_template(dump_template(template)) == template


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text(text):
    load_or_refuse(text)


YAML_ALPHABET = "abcdefghijklmnopqrstuvwxyz_:-[]{}#&*!|>'\",.%@`? \n\t0123456789中文星"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_yaml_ish_text(text):
    load_or_refuse(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
    st.sampled_from(["member", "branch", "once", "threshold", "60%", "150%", "2010-06-15", "x y"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from([*BASE.keys(), "extra"]), values, max_size=8))
def test_arbitrary_structures(data):
    load_or_refuse(yaml.safe_dump(data, allow_unicode=True))


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(BASE)


@st.composite
def mutated_templates(draw) -> dict:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            current = parent[last]
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "delete", "add_key", "duplicate"]))
        if action == "replace":
            parent[last] = draw(values)
        elif action == "delete":
            del parent[last]
        elif action == "add_key" and isinstance(current, dict):
            current[draw(st.text(max_size=8))] = draw(values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(current))
    return data


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_templates())
def test_mutated_valid_templates(data):
    load_or_refuse(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(0, len(MINIMAL) - 1), st.text(alphabet=YAML_ALPHABET, min_size=1, max_size=5))
def test_text_splices(position, insert):
    load_or_refuse(MINIMAL[:position] + insert + MINIMAL[position:])


def test_deep_nesting_is_a_clean_error():
    texts = [
        "[" * 5000 + "]" * 5000,
        "[" * 100_000,
        "- " * 100_000,
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 400)),
    ]
    for text in texts:
        try:
            load_template(text)
        except TemplateError as exc:
            assert "嵌套层次过深" in exc.errors[0].message
        else:
            raise AssertionError("deeply nested text must be refused")


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    try:
        load_template("\n".join(lines))
    except TemplateError as exc:
        assert any("别名" in issue.message for issue in exc.errors)
    else:
        raise AssertionError("aliases must be refused")
