"""Articles -> blocks (lines) -> sentences, with character offsets into `articles.text`.

Block kinds matter downstream: embedded tweets and subheads repeat or label what the body says,
so they yield no events (the body already holds the fact once).
"""

from __future__ import annotations

import polars as pl

from orchestration.extract.schemas import conform
from orchestration.extract.spans import find_all, strip_span

# A wire story hard-wrapped at ~70 columns (MUC-4, FBIS transcripts) breaks sentences across lines;
# its paragraphs are separated by blank lines instead. Such line breaks are turned into spaces
# (one character for one, so offsets stay valid).
_HARD_WRAP_MAX_LINE = 100
_SINGLE_NEWLINE = r"([^\n])\n([^\n])"

_BLOCK = r"[^\n]+\n*|\n+"
# A first line this short is a headline; a longer one (an ACLED note, a wire lead) is body text.
_HEADLINE_MAX_WORDS = 30
# Titles and initials end with a period but do not end the sentence.
_ABBREVIATION = (
    r"(?i:\b(?:mr|mrs|ms|dr|prof|gen|col|lt|sgt|capt|maj|gov|sen|rep|st|no|vs|jan|feb|mar|apr|aug|"
    r"sept?|oct|nov|dec|u\.s|u\.n|e\.g|i\.e|approx|inc|corp|ltd|co)\.)\s+"
)
_SENTENCE = (
    rf"(?:{_ABBREVIATION}|[^.!?\n]|[.!?]+[^\s.!?\"”’)\]])+(?:[.!?]+[\"”’)\]]*)?[ \t]*|[.!?]+[\"”’)\]]*[ \t]*"
)
_EMBED = r"pic\.twitter\.com/|^\s*[—–-]{1,2}\s.*\(@\w+\)|^\s*[—–]\s.*\b(?:19|20)\d\d\s*$"
_TERMINAL = r"[.!?:;\"”’)]\s*$"


def split_sentences(articles: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """One row per sentence of every article (schema `sentences`)."""
    lf = articles.lazy().select("article_id", "text")
    max_line = pl.col("text").str.extract_all(r"[^\n]+").list.eval(pl.element().str.len_chars()).list.max()
    hard_wrapped = pl.col("text").str.contains("\n\n") & (max_line <= _HARD_WRAP_MAX_LINE)
    unwrapped = (
        pl.col("text").str.replace_all(_SINGLE_NEWLINE, "$1 $2").str.replace_all(_SINGLE_NEWLINE, "$1 $2")
    )
    lf = lf.with_columns(
        pl.when(hard_wrapped).then(unwrapped).otherwise(pl.col("text")).alias("text"),
        hard_wrapped.fill_null(False).alias("hard_wrapped"),
    )
    blocks = (
        find_all(lf, text="text", pattern=_BLOCK, keep=["article_id", "hard_wrapped"], prefix="block")
        .filter(pl.col("block_text").str.contains(r"\S"))
        .with_columns(pl.int_range(pl.len()).over("article_id").alias("block_index"))
        .with_columns(
            pl.col("block_text").str.strip_chars().str.split(" ").list.len().alias("n_words"),
            pl.len().over("article_id").alias("n_blocks"),
        )
        .with_columns(
            pl.when(pl.col("block_text").str.contains(_EMBED))
            .then(pl.lit("embed"))
            .when(
                (pl.col("block_index") == 0)
                & ~pl.col("hard_wrapped")
                & (pl.col("n_words") <= _HEADLINE_MAX_WORDS)
            )
            .then(pl.lit("headline"))
            .when(~pl.col("block_text").str.contains(_TERMINAL) & (pl.col("n_words") <= 10))
            .then(pl.lit("subhead"))
            .when((pl.col("block_index") == 1) & ~pl.col("hard_wrapped") & (pl.col("n_blocks") >= 3))
            .then(pl.lit("standfirst"))
            .otherwise(pl.lit("body"))
            .alias("block_kind")
        )
    )
    # Attribution lines under an embedded tweet are part of the embed.
    sentences = (
        find_all(
            blocks,
            text="block_text",
            pattern=_SENTENCE,
            keep=["article_id", "block_index", "block_kind", "block_start"],
            prefix="sentence",
        )
        .with_columns(strip_span("sentence_text", "sentence_start", "sentence_end"))
        .filter(pl.col("sentence_text").str.len_chars() > 0)
        .sort("article_id", "block_index", "sentence_start")
        .with_columns(
            pl.int_range(pl.len()).over("article_id").alias("sentence_index"),
            (pl.col("block_start") + pl.col("sentence_start")).alias("char_start"),
            (pl.col("block_start") + pl.col("sentence_end")).alias("char_end"),
        )
    )
    return conform(sentences, "sentences")
