"""No source file, rule file or test quotes the evaluation text.

Rules are proved by sentences the team invents; a quote lifted from the dev sets (or the example
article) would let a rule be tuned to the answer key and would copy text the project may not
redistribute. This test reads the evaluation texts from ../shared/ and fails, listing file:line
and the quote, for every quoted string in a tracked source file that

(a) has five or more words and occurs in an evaluation text (case-insensitive), or
(b) has two or more words, at least one of them a name, and occurs case-sensitively in an
    evaluation text. A word is a name when it is capitalised and not sentence-initial, or when it
    is sentence-initial or upper-case (wire copy) and the evaluation texts never write it in lower
    case. Month and weekday names are not names.

Quotes are taken whole and sentence by sentence, so an invented sentence glued to a copied one is
still found.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess

import pytest

from tests.conftest import REPO, SHARED

# Quotes that may occur in the evaluation text (lower case). Keep this short: rewrite the quote
# instead. ACLED's event and sub-event type names (seeds/reference/event_types.csv) are added below:
# they are the ontology the project codes to, so comments and tests must be able to name them.
ALLOWED = {
    # Canonical names of real armed groups from seeds/reference/armed_groups.csv: tests assert that
    # a mention resolves to them, and a fictional group could not be in the reference list.
    "islamic state",
    "al shabaab",
    # A country as MUC-4's gold writes it ("incident_country"): the gold parser must map it.
    "el salvador",
}


def ontology_names() -> set[str]:
    with (REPO / "seeds" / "reference" / "event_types.csv").open(encoding="utf-8") as rows:
        return {
            name.lower()
            for row in csv.DictReader(rows)
            for name in (row["event_type"], row["sub_event_type"])
        }


SUFFIXES = (".py", ".csv", ".sql", ".yml", ".md")
SHIPPED_CORPUS = re.compile(r"^seeds/[^/]+\.(txt|jsonl)$")

# Spans between two neighbouring double quotes or backticks (every such span, so that a docstring's
# triple quotes or a string continued from the line before cannot shift the pairing: the spans
# between two quoted strings are read too, harmlessly), typographic quotes, and single quotes that
# are not apostrophes (an opening one follows no letter, a closing one precedes none; "the group's"
# stays inside its quote).
PAIRED = ('"', "`")
QUOTE_PATTERNS = (
    re.compile(r"“([^”\n]{3,600})”"),
    re.compile(r"(?<![\w])['‘]((?:[^'’\n]|['’](?=\w)){3,600}?)['’](?!\w)"),
)
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
TOKEN = re.compile(r"[a-z0-9]+")
# Month and weekday names are capitalised but name nothing: "on Thursday" is ordinary English,
# and a date is told by its digits (a copied full date still fails as five words or with a place).
CALENDAR = {
    *"january february march april may june july august september october november december".split(),
    *"jan feb mar apr jun jul aug sep sept oct nov dec".split(),
    *"monday tuesday wednesday thursday friday saturday sunday".split(),
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def quotes_in(text: str) -> list[tuple[int, str]]:
    """(line number, quoted text) for every quoted span on a line, whole and per sentence."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        quoted = [span for mark in PAIRED for span in line.split(mark)[1:-1]]
        quoted += [match.group(1) for pattern in QUOTE_PATTERNS for match in pattern.finditer(line)]
        spans = set()
        for span in quoted:
            whole = squash(span).strip(" .,;:")
            spans.add(whole)
            spans.update(s.strip(" .,;:") for s in SENTENCE_END.split(whole))
        found.extend((number, s) for s in sorted(spans) if s)
    return found


class Corpus:
    """The evaluation texts as one string, in original case and lower-cased, plus the set of
    words they write in lower case (to tell a name from a capitalised common word)."""

    def __init__(self, texts: list[str], allowed: set[str] = frozenset()):
        self.allowed = ALLOWED | set(allowed)
        self.text = "\n".join(squash(t) for t in texts)
        self.lower = self.text.lower()
        self.lower_words = {w for w in WORD.findall(self.text) if w[0].islower()}
        tokens = TOKEN.findall(self.lower)
        self.pairs = set(map(" ".join, zip(tokens, tokens[1:])))

    def may_hold(self, quote: str) -> bool:
        """A cheap filter before the substring search: every pair of neighbouring words of the
        quote must be a pair of neighbouring words somewhere in the corpus (so quotes are compared
        word by word: "he strikes" is not found in "the strikes")."""
        tokens = TOKEN.findall(quote.lower())
        return all(" ".join(pair) in self.pairs for pair in zip(tokens, tokens[1:]))

    def is_name(self, word: str, initial: bool) -> bool:
        if not word[0].isupper() or word.lower() in CALENDAR:
            return False
        if initial or (len(word) > 1 and word.isupper()):
            # the first word of a sentence, or a word of upper-case wire copy: a name only when
            # the evaluation texts never write it in lower case ("Velmar", "KLF"; not "THE")
            return word.lower() not in self.lower_words
        return True

    def offends(self, quote: str) -> str | None:
        """Why the quote copies evaluation text, or None."""
        if quote.lower() in self.allowed:
            return None
        words = quote.split()
        if len(words) < 2 or not self.may_hold(quote):
            return None
        if len(words) >= 5 and quote.lower() in self.lower:
            return "5+ words from an evaluation text"
        names = []
        initial = True
        for token in words:
            match = WORD.search(token)
            if match and self.is_name(match.group(), initial):
                names.append(match.group())
            initial = token.endswith((".", "!", "?"))
        if names and quote in self.text:
            return f"names {', '.join(names)} as an evaluation text does"
        return None


def offences(corpus: Corpus, files: dict[str, str]) -> list[str]:
    return [
        f"{path}:{number}: {quote!r} ({why})"
        for path, text in files.items()
        for number, quote in quotes_in(text)
        if (why := corpus.offends(quote))
    ]


def evaluation_texts() -> list[str]:
    texts = []
    for path in sorted(SHARED.glob("eval/*/articles.jsonl")):
        with path.open() as lines:
            texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    texts.extend(p.read_text() for p in sorted(SHARED.glob("seeds/*.txt")))
    return texts


def source_files() -> dict[str, str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return {
        path: (REPO / path).read_text(errors="replace")
        for path in listed
        if path.endswith(SUFFIXES) and not SHIPPED_CORPUS.match(path) and (REPO / path).is_file()
    }


def test_quote_collection_and_matching_catch_a_planted_quote():
    corpus = Corpus(
        [
            "On 3 March 2031, members of the Red Hand Front attacked a police post in Velmar, "
            "killing two officers. The mayor of Kora condemned the attack.",
            "KORA, 4 APR 31 (TNA) -- UNKNOWN MEN BURNED A BUS.",
        ]
    )
    files = {
        "a.py": (
            "x = 1  # e.g. 'attacked a police post in Velmar'\n"
            'TEXT = "Rebels in Dunmore said so. Members of the Red Hand Front attacked a police"\n'
            "# 'the Red Hand Front' names a group; \"the attack\" is plain English\n"
            "# the group's 'two officers' is too short to matter\n"
        ),
        "b.md": "Datelines look like `KORA, 4 APR 31 (TNA) --` and 'Kora condemned'.\n",
        "c.py": 'OK = "killed two officers in Dunmore"  # invented, not in the corpus\n',
        "d.py": '    """Where a dateline ("KORA, 4 APR 31 (TNA) --") ends."""\n',
    }
    found = offences(corpus, files)
    assert [f.rsplit(" (", 1)[0] for f in found] == [
        "a.py:1: 'attacked a police post in Velmar'",
        "a.py:2: 'Members of the Red Hand Front attacked a police'",
        "a.py:3: 'the Red Hand Front'",
        "b.md:1: 'KORA, 4 APR 31 (TNA) --'",
        "b.md:1: 'Kora condemned'",
        "d.py:1: 'KORA, 4 APR 31 (TNA) --'",
    ]


def test_allowed_names_and_ontology_names_pass():
    corpus = Corpus(
        ["Al Shabaab fighters attacked a police post in Kora. It was not a Peaceful protest."],
        {"peaceful protest"},
    )
    files = {"a.py": "# 'Al Shabaab' is in the reference list; 'Peaceful protest' is a sub-event type\n"}
    assert offences(corpus, files) == []


def test_apostrophes_do_not_open_or_close_quotes():
    assert quotes_in("# the group's fighters and 'the Kora road' and the men's") == [(1, "the Kora road")]


def test_no_source_file_quotes_evaluation_text():
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"{SHARED / 'eval'} is absent: no evaluation text to compare with")
    corpus = Corpus(evaluation_texts(), ontology_names())
    found = offences(corpus, source_files())
    assert not found, "quotes copied from evaluation text:\n" + "\n".join(found)
