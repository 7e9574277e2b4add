"""Evaluate a query of Term, Or and And over a Corpus (vectors.py): a score and a match flag per document."""

from __future__ import annotations

import copy

import numpy as np
from whoosh import query as Q


def boosted(query, boost: float):
    """QUERY with BOOST: Whoosh's with_boost deep-copies the whole tree (a Finnish word's query has
    dozens of nodes); this copy shares the subqueries, which nothing changes once built, and so
    evaluate() scores a part shared by the all-words and any-word halves of a query once."""
    if boost == query.boost:
        return query
    found = copy.copy(query)
    found.boost = boost
    return found


def evaluate(corpus, query, memo: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (score per document, match flag per document) of a query of Term, Or and And over CORPUS
    (a vectors.Corpus).

    A Term's postings are added into its parent's arrays where they are (a few hundred documents
    of 20,000), not spread into arrays of its own first: a Finnish query has dozens of terms. The
    sums are made in the same order as adding whole arrays, so the scores are the same, bit for bit.
    MEMO, a dict the caller keeps while the query objects live, shares the parts already scored
    with a second query built of the same objects (thesaurus.exact_first).
    """
    memo = {} if memo is None else memo
    size = corpus.size

    def combined(node) -> tuple[np.ndarray, np.ndarray]:
        scores = np.zeros(size, np.float32)
        every = isinstance(node, Q.And)
        matched = np.ones(size, dtype=bool) if every and node.subqueries else np.zeros(size, dtype=bool)
        for sub in node.subqueries:
            if isinstance(sub, Q.Term) and id(sub) not in memo:
                ids, values = corpus.bm25(sub.fieldname, sub.text)
                if not len(ids) and not every:  # most of a query's terms are in no text (a Finnish word's
                    continue  # Swedish stem): nothing to add to an Or, and four numpy calls saved
                ids = ids.astype(np.intp)  # numpy indexes by intp: cast once here, not in each of the two scatters
                scores[ids] += values * sub.boost
                if every:
                    flags = np.zeros(size, dtype=bool)
                    flags[ids] = True
                    matched &= flags
                else:
                    matched[ids] = True
                continue
            if not every and isinstance(sub, Q.And) and id(sub) not in memo and _none_of(corpus, sub):
                continue  # as an empty Term: nothing to add to an Or (most of a compound's per-field parts)
            if not every and id(sub) not in memo and (lone := _lone_term(corpus, sub)) is not None:
                ids, values = lone  # an Or of terms only one of which is in any text (most of a word's fields)
                scores[ids] += values  # what adding its whole arrays adds, without making them
                matched[ids] = True
                continue
            sub_scores, sub_matched = walk(sub)
            scores += sub_scores
            if every:
                matched &= sub_matched
            else:
                matched |= sub_matched
        if every:
            scores = scores * matched
        return scores, matched

    def walk(node) -> tuple[np.ndarray, np.ndarray]:
        found = memo.get(id(node))
        if found is not None:
            return found
        if isinstance(node, Q.Term):
            scores = np.zeros(size, np.float32)
            matched = np.zeros(size, dtype=bool)
            ids, values = corpus.bm25(node.fieldname, node.text)
            ids = ids.astype(np.intp)
            scores[ids] = values * node.boost
            matched[ids] = True
        elif isinstance(node, (Q.Or, Q.And)):
            scores, matched = combined(node)
            if node.boost != 1.0:
                scores = scores * np.float32(node.boost)
        elif isinstance(node, Q.Every):
            scores, matched = np.ones(size, np.float32), np.ones(size, dtype=bool)
        else:
            raise TypeError(f"cannot evaluate {type(node).__name__}")
        memo[id(node)] = (scores, matched)
        return scores, matched

    scores, matched = walk(query)
    return scores, matched & corpus.live


_NOTHING = (np.zeros(0, np.intp), np.zeros(0, np.float32))


def _lone_term(corpus, node):
    """(docnums as intp, scores) that the Or NODE adds to its parent when it is an Or of Terms only one
    of which is in any text, else None. Its whole arrays would hold 0 + that term's scores times its
    boost, times the Or's boost, and 0 elsewhere: the same float32 operations in the same order here,
    on the term's postings alone (adding 0 elsewhere changes no sum)."""
    if node.__class__ is not Q.Or:
        return None
    found = None
    for sub in node.subqueries:
        if sub.__class__ is not Q.Term:
            return None
        ids, values = corpus.bm25(sub.fieldname, sub.text)
        if len(ids):
            if found is not None:
                return None
            found = ids, values, sub.boost
    if found is None:  # in no text: adds nothing
        return _NOTHING
    ids, values, boost = found
    values = values * boost
    if node.boost != 1.0:
        values = values * np.float32(node.boost)
    return ids.astype(np.intp), values


def _none_of(corpus, node) -> bool:
    """Whether the And NODE surely matches nothing: one of its terms is in no text (looked up in
    corpus.bm25's table, as scoring it would). Skipping such a part of an Or adds what it would
    have added, nothing, without the five whole arrays its scoring makes."""
    return any(isinstance(sub, Q.Term) and not len(corpus.bm25(sub.fieldname, sub.text)[0])
               for sub in node.subqueries)
