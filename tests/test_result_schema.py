"""Every JSON document the command line writes validates against the shipped JSON Schema,
and every figure in it is what the contract says: a plain decimal at the scheme's rounding,
its exact value beside it, the one the rounding of the other.

The figures are checked here independently of the code: the exact value parsed with
`Fraction`, rounded with `Decimal.quantize` in the scheme's mode, compared with the figure.
Over every shipped example, explanations of every unit of the 2023 example, portfolio
explanations, random reports from the strategies of `assessment.testing`, and the problems
of every refused input of the invalid corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from builders import ROOT, random_cases, score_example
from hypothesis import given
from hypothesis import strategies as st

import assessment
from assessment import Report, Roster, Scheme
from assessment._internal.text.problemdoc import problems_document
from assessment.errors import InputError

SCHEMES = ROOT / "schemes"
EXAMPLES = (
    [("2023", SCHEMES / "2023.yaml", ROOT / "examples/2023")]
    + [
        (path.stem, path, ROOT / "examples" / path.stem)
        for path in sorted((SCHEMES / "examples").glob("*.yaml"))
    ]
    + [("starter", SCHEMES / "2023.yaml", ROOT / "examples/starter")]
)
FIGURE_KEYS = {
    "points",
    "applied",
    "allowed",
    "offset",
    "later_offset",
    "start",
    "score",
    "cap",
    "total",
    "cut_by_cap",
    "converted",
}
PLAIN_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def _validator(name: str) -> Any:
    schema = json.loads((SCHEMES / f"{name}.schema.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=jsonschema.FormatChecker())


VALIDATORS = {
    name: _validator(name)
    for name in ("results", "explanation", "portfolio-explanation", "problems")
}


def schema_problems(name: str, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATORS[name].iter_errors(document)
    ]


def rounded(exact: Fraction, places: int, mode: str) -> Decimal:
    """The scheme's rule, written here with Decimal: the exact value quantized."""
    with localcontext() as context:
        context.prec = 200  # far beyond any denominator: a tie is only ever exact
        context.rounding = ROUND_DOWN
        quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
        return quotient.quantize(Decimal(1).scaleb(-places), rounding=MODES[mode])


def exact_of(text: str) -> Fraction:
    """The documented exact form: an integer, a finite decimal, or p/q in lowest terms."""
    value = Fraction(text)
    if "/" in text:
        numerator, denominator = text.split("/")
        assert (int(numerator), int(denominator)) == (value.numerator, value.denominator), text
        rest = value.denominator
        for prime in (2, 5):
            while rest % prime == 0:
                rest //= prime
        assert rest > 1, f"{text} terminates: it must be written as a decimal"
    else:
        assert PLAIN_DECIMAL.fullmatch(text), text
        assert "." not in text or not text.endswith("0"), f"{text}: trailing zero"
    return value


def _pairs(data: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """Every figure key of a document, with the object that holds it (the `facts` of a line
    are words, and a portfolio ranking's `score` says how its scores are made)."""
    if isinstance(data, list):
        for item in data:
            yield from _pairs(item)
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key == "facts":
            continue
        if key in FIGURE_KEYS and not (key == "score" and "entries" in data):
            yield data, key
        yield from _pairs(value)


def check_figures(document: dict[str, Any], scheme: Scheme) -> int:
    """Check every figure of `document` independently; return how many there were."""
    rounding = document["rounding"]
    assert rounding == scheme.rounding.model_dump(include={"places", "mode", "stage"})
    places, mode = rounding["places"], rounding["mode"]
    count = 0
    for holder, key in _pairs(document):
        figure, exact = holder[key], holder[f"{key}_exact"]
        count += 1
        if figure is None or figure == "none":
            assert exact == figure, (key, holder)
            continue
        assert PLAIN_DECIMAL.fullmatch(figure), (key, figure)
        assert len(figure.partition(".")[2]) == places, (key, figure)
        value = exact_of(exact)
        if key == "total" and "sections" in holder and rounding["stage"] == "section":
            assert Decimal(figure) == _sum_of_shown(holder, scheme), holder["unit"]
        elif key == "total" and "role" in holder:  # a person: the unit's total
            continue
        else:
            assert rounded(value, places, mode) == Decimal(figure), (key, figure, exact)
    return count


def _sum_of_shown(unit: dict[str, Any], scheme: Scheme) -> Decimal:
    """Rounding stage section: a total is the sum of its top-level sections' shown scores,
    within the cap on the total (the sections beyond it added after)."""
    tops = [s for s in unit["sections"] if "parent" not in s]
    beyond = scheme.total.beyond_cap
    inside = sum((Decimal(s["score"]) for s in tops if s["id"] not in beyond), Decimal(0))
    extra = sum((Decimal(s["score"]) for s in tops if s["id"] in beyond), Decimal(0))
    cap = scheme.total.cap
    return (inside if cap is None else min(inside, cap)) + extra


def _persons_have_their_units_totals(document: dict[str, Any]) -> None:
    units = {u["unit"]: u for u in document["units"]}
    for person in document.get("persons", ()):
        unit = units[person["unit"]]
        assert (person["total"], person["total_exact"]) == (unit["total"], unit["total_exact"])


def check_report(report: Report, scheme: Scheme) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(report.model_dump_json())
    assert schema_problems("results", document) == []
    assert check_figures(document, scheme) > 0
    _persons_have_their_units_totals(document)
    return document


@pytest.mark.parametrize(("name", "scheme", "folder"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_example_report_validates_and_its_figures_are_the_rounding_of_the_exact(
    name: str, scheme: Path, folder: Path
) -> None:
    report = score_example(scheme, folder)
    document = check_report(report, assessment.load_scheme(scheme))
    assert document["format_version"] == "1.0"


def test_every_example_is_checked() -> None:
    assert len(EXAMPLES) == len(list((ROOT / "examples").iterdir())) == 15


def test_the_2023_example_has_the_fractions_that_java_could_not_read() -> None:
    # 116 of the 545 figures of the 2023 report were "p/q" before the contract: each is
    # now a decimal, with the fraction beside it.
    document = json.loads(
        score_example(SCHEMES / "2023.yaml", ROOT / "examples/2023").model_dump_json()
    )
    pairs = list(_pairs(document))
    assert all(PLAIN_DECIMAL.fullmatch(h[k]) for h, k in pairs if h[k] not in (None, "none"))
    assert sum("/" in (h[f"{k}_exact"] or "") for h, k in pairs) >= 116
    town = next(u for u in document["units"] if u["unit"] == "zone-industry")
    assert (town["total"], town["total_exact"]) == ("102.83", "3599/35")


def test_explanations_of_every_unit_of_the_2023_example_validate() -> None:
    scheme = assessment.load_scheme(SCHEMES / "2023.yaml")
    report = score_example(SCHEMES / "2023.yaml", ROOT / "examples/2023")
    for unit in report.units:
        document = json.loads(report.explained(unit.unit).model_dump_json())
        assert schema_problems("explanation", document) == [], unit.unit
        assert check_figures(document, scheme) > 0
        assert document["unit"] == unit.unit


def test_portfolio_explanations_validate() -> None:
    scheme = assessment.load_scheme(SCHEMES / "examples/portfolios.yaml")
    report = score_example(SCHEMES / "examples/portfolios.yaml", ROOT / "examples/portfolios")
    assert report.portfolios is not None
    for entry in report.portfolios.entries:
        document = json.loads(report.explained_portfolio(entry.id).model_dump_json())
        assert schema_problems("portfolio-explanation", document) == [], entry.id
        assert check_figures(document, scheme) == 1


@given(random_cases())
def test_random_reports_validate_and_their_figures_are_the_rounding_of_the_exact(
    case: tuple[Scheme, Roster, list[dict[str, Any]]],
) -> None:
    scheme, roster, records = case
    report = assessment.score(scheme, roster, assessment.parse_events(records, scheme, roster))
    check_report(report, scheme)
    for unit in report.units[:1]:
        document = json.loads(report.explained(unit.unit).model_dump_json())
        assert schema_problems("explanation", document) == []
        check_figures(document, scheme)


@given(st.sampled_from(sorted(MODES)), st.integers(0, 6))
def test_the_rule_written_here_agrees_with_itself_on_ties(mode: str, places: int) -> None:
    # The check's own rounding on a tie, by hand: 0.5 units of the last place.
    half = Fraction(5, 10 ** (places + 1))
    expected = {"half_up": 1, "up": 1, "half_even": 0, "down": 0}[mode]
    assert rounded(half, places, mode) == Decimal(expected).scaleb(-places)
    assert rounded(-half, places, mode) == -Decimal(expected).scaleb(-places)


def _corpus() -> Iterator[tuple[Path, Any]]:
    invalid = ROOT / "tests/data/invalid"
    for path in sorted((invalid / "schemes").glob("*.yaml")):
        yield path, assessment.load_scheme
    scheme = assessment.load_scheme(SCHEMES / "2023.yaml")
    roster = assessment.read_roster(ROOT / "tests/data/roster.csv", scheme)
    for path in sorted((invalid / "rosters").iterdir()):
        if path.suffix in (".csv", ".yaml"):
            yield path, lambda name: assessment.read_roster(name, scheme)
    for path in sorted((invalid / "events").iterdir()):
        if path.suffix in (".csv", ".jsonl"):
            yield path, lambda name: assessment.read_events(name, scheme, roster)
    declared = assessment.load_scheme(invalid / "declared-events/scheme.yaml")
    declared_roster = assessment.read_roster(invalid / "declared-events/roster.csv", declared)
    for path in sorted((invalid / "declared-events").glob("*.jsonl")):
        yield path, lambda name: assessment.read_events(name, declared, declared_roster)


CORPUS = list(_corpus())


@pytest.mark.parametrize(
    ("path", "read"), CORPUS, ids=[p.relative_to(ROOT).as_posix() for p, _ in CORPUS]
)
@pytest.mark.usefixtures("at_root")
def test_every_refusal_of_the_invalid_corpus_validates_as_a_problems_document(
    path: Path, read: Any
) -> None:
    with pytest.raises(InputError) as caught:
        read(path.relative_to(ROOT).as_posix())
    document = json.loads(problems_document(caught.value).model_dump_json())
    assert schema_problems("problems", document) == []
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert len(document["problems"]) + document["more"] == len(expected) > 0
    assert document["format_version"] == "1.0"


def test_the_corpus_is_all_there() -> None:
    assert len(CORPUS) >= 100
