"""Portable stored queries: the header check flags the patterns some engines get wrong, by line,
and a remote endpoint gets single-valued parameters as escaped terms in place of their variables
(edugraph.query.sparql.bind_terms), never as text pasted in."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.query import audit
from edugraph.query.endpoint import EndpointSource
from edugraph.query.sparql import bind_terms
from edugraph.query.stored import parse_text

ORG = ox.NamedNode("https://w3id.org/edugraph/id/organisation/unesco")
OTHER = ox.NamedNode("https://w3id.org/edugraph/id/organisation/world-bank")

QUERY = """\
SELECT ?unit (?org AS ?of) WHERE {
  BIND (BOUND(?org) AS ?given)
  # ?org in a comment stays
  ?unit <http://www.w3.org/ns/org#subOrganizationOf>* ?org .
  ?unit <https://schema.org/name> "?org" .
  FILTER (?given || $org = ?unit)
}
ORDER BY ?org ?unit
"""


def test_a_single_value_is_written_in_place_of_its_variable() -> None:
    assert bind_terms(QUERY, {"org": [ORG]}) == """\
SELECT ?unit (?org AS ?of) WHERE {
  VALUES ?org { <https://w3id.org/edugraph/id/organisation/unesco> }
  BIND (true AS ?given)
  # ?org in a comment stays
  ?unit <http://www.w3.org/ns/org#subOrganizationOf>* <https://w3id.org/edugraph/id/organisation/unesco> .
  ?unit <https://schema.org/name> "?org" .
  FILTER (?given || <https://w3id.org/edugraph/id/organisation/unesco> = ?unit)
}
ORDER BY ?org ?unit
"""


def test_a_parameter_used_only_in_the_group_gets_no_values_block() -> None:
    text = "SELECT ?unit WHERE { ?unit <http://www.w3.org/ns/org#subOrganizationOf>+ ?org }"
    assert bind_terms(text, {"org": [ORG]}) == (
        "SELECT ?unit WHERE { ?unit <http://www.w3.org/ns/org#subOrganizationOf>+ "
        "<https://w3id.org/edugraph/id/organisation/unesco> }")


def test_several_values_stay_in_values() -> None:
    text = "SELECT ?unit WHERE { ?unit <http://www.w3.org/ns/org#subOrganizationOf> ?org }"
    assert bind_terms(text, {"org": [ORG, OTHER]}) == (
        "SELECT ?unit WHERE {\n  VALUES ?org { <https://w3id.org/edugraph/id/organisation/unesco> "
        "<https://w3id.org/edugraph/id/organisation/world-bank> } "
        "?unit <http://www.w3.org/ns/org#subOrganizationOf> ?org }")


@pytest.mark.parametrize("text", [
    # a target of BIND, a sub-select's projection, a use in expressions only: VALUES as before
    'SELECT ?s WHERE { ?s ?p ?name . BIND ("x" AS ?name) }',
    "SELECT ?s WHERE { { SELECT ?s ?name WHERE { ?s ?p ?name } } }",
    "SELECT ?s WHERE { ?s ?q ?name . { SELECT ?s WHERE { ?s ?p ?name } } }",
    "SELECT ?s WHERE { ?s ?p ?o . FILTER (STR(?o) = ?name) }",
])
def test_where_a_term_cannot_stand_the_variable_stays(text: str) -> None:
    name = ox.Literal("Ada")
    at = text.index("{") + 1
    assert bind_terms(text, {"name": [name]}) == text[:at] + '\n  VALUES ?name { "Ada" }' + text[at:]


@pytest.mark.parametrize(("value", "written"), [
    ('x" } ; DROP ALL ; #', '"x\\" } ; DROP ALL ; #"'),
    ("a\nb'''\"\"\" ?s", '"a\\nb\'\'\'\\"\\"\\" ?s"'),
])
def test_an_injection_attempt_stays_one_literal(value: str, written: str) -> None:
    text = "SELECT ?s WHERE { ?s <https://schema.org/name> ?name }"
    bound = bind_terms(text, {"name": [ox.Literal(value)]})
    assert bound == f"SELECT ?s WHERE {{ ?s <https://schema.org/name> {written} }}"
    store = ox.Store()
    store.add(ox.Quad(ORG, ox.NamedNode("https://schema.org/name"), ox.Literal(value)))
    assert [row["s"] for row in store.query(bound)] == [ORG]


def test_an_iri_cannot_close_its_brackets() -> None:
    with pytest.raises(ValueError):
        ox.NamedNode("https://e.org/> } ; DROP ALL ; #")


class Recording(EndpointSource):
    """An endpoint that keeps the text it would send (no server, no network)."""

    def _run(self, text: str):
        self.sent = text
        return None


def test_the_endpoint_gets_the_terms_written_in() -> None:
    source = Recording("http://127.0.0.1:1/sparql")
    source.run("SELECT ?u WHERE { ?u <http://www.w3.org/ns/org#subOrganizationOf>* ?org }", {"org": [ORG]})
    assert source.sent == ("SELECT ?u WHERE { ?u <http://www.w3.org/ns/org#subOrganizationOf>* "
                           "<https://w3id.org/edugraph/id/organisation/unesco> }")


UNPORTABLE = """\
SELECT ?x ?y WHERE {
  ?x a ?t .
  OPTIONAL { ?x org:subOrganizationOf+ ?above }
  BIND (YEAR(?start) AS ?year)
  BIND (COUNT(*) AS ?n) BIND (?a * ?b AS ?c) BIND ((?a+?b)*2 AS ?z)
  ?org org:subOrganizationOf* ?x .
  ?x org:member|org:memberOf* ?y .
  ?x (org:subOrganizationOf|schema:location)+ ?place .
  # OPTIONAL { ?x org:sub* ?y } "YEAR(?x)"
  FILTER (?a || ?b) ?x <https://e.org/p>|^<https://e.org/q>+ ?y
}
"""


def test_the_patterns_known_to_break_are_flagged_by_line() -> None:
    assert audit.unportable(UNPORTABLE, ["org"]) == [
        "line 3: a '+' path inside OPTIONAL (some engines join it as if required; "
        "move the path out of OPTIONAL)",
        "line 4: YEAR() on a variable (defined for xsd:dateTime only; take SUBSTR(STR(?d), 1, 4) "
        "and cast it)",
        "line 6: a '*'/'+' path starting from parameter 'org' (some engines cannot start a path "
        "from a VALUES-bound variable; write the path from the other end, with ^)",
        "line 7: a '*' path after '|' (some engines find nothing; write the alternatives as "
        "separate patterns)",
        "line 10: a '+' path after '|' (some engines find nothing; write the alternatives as "
        "separate patterns)",
    ]


def test_the_header_check_reports_them() -> None:
    text = ("# title: T\n# description: D.\n#+ param org: id:organisation? -- o\n#+ example:\n"
            "SELECT ?u ?d WHERE {\n  ?u a ?k .\n  OPTIONAL { ?u org:subOrganizationOf* ?org }\n"
            "  OPTIONAL { ?u schema:startDate ?d FILTER (MONTH(?d) = 1) }\n}\n")
    assert audit.problems(parse_text(text, Path("queries/mine.rq"))) == [
        "not portable, line 7: a '*' path inside OPTIONAL (some engines join it as if required; "
        "move the path out of OPTIONAL)",
        "not portable, line 8: MONTH() on a variable (defined for xsd:dateTime only; "
        "take SUBSTR(STR(?d), 1, 4) and cast it)",
    ]


def test_a_projected_computed_boolean_is_flagged() -> None:
    text = ("SELECT ?mixed ?n ?kept WHERE {\n"
            "  BIND (?mode = schema:MixedEventAttendanceMode AS ?mixed)\n"
            "  BIND (COALESCE(?approx, false) AS ?n)\n"
            "  BIND (STR(?a) < STR(?b) AS ?internal)\n"  # not projected: fine
            "  BIND (STRDT(IF(?a = <https://e.org/x>, \"true\", \"false\"), xsd:boolean) AS ?kept)\n"
            "  BIND (IF(?a < 2, \"low\", \"high\") AS ?kept)\n"
            "}\n")
    advice = ("a computed boolean, is projected (Virtuoso returns it as 1 or 0; write "
              "STRDT(IF(condition, \"true\", \"false\"), xsd:boolean))")
    assert audit.unportable(text) == [f"line 2: '?mixed', {advice}", f"line 3: '?n', {advice}"]
