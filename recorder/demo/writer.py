"""Composing text from the phrase lists with a seeded random: the context a visit's
text is chosen for, the entries that fit it, pronouns, and ``Writer`` (with pools of
pre-composed paragraphs, the bulk loader's fast path)."""

from __future__ import annotations

import random
import re
from typing import Any, Callable

from recorder.demo.caseload import Kid
from recorder.demo.phrases import (
    ANALYSIS_CLOSE,
    ANALYSIS_OPEN,
    HOME_TOPICS,
    OPINION,
    PLACEMENT_TOPICS,
    PURPOSE_MORE,
    SCHOOL_TOPICS,
    SHAPES,
    SOURCES,
    TAGS,
    WISHES,
    Entry,
)


def age_band(years: int) -> str:
    if years < 2:
        return "infant"
    if years < 4:
        return "toddler"
    if years < 8:
        return "young"
    if years < 13:
        return "child"
    return "teen"


def pronouns(sex: str) -> dict[str, str]:
    if sex == "f":
        return {"he": "she", "him": "her", "his": "her", "He": "She", "His": "Her"}
    return {"he": "he", "him": "him", "his": "his", "He": "He", "His": "His"}


def lower_first(s: str) -> str:
    if s.startswith(T1):  # a bulk prototype's token: lower-case it when it is filled in
        return T1 + "lower_" + s[1:]
    return s[:1].lower() + s[1:] if s[1:2].islower() else s


def context_words(kid: Kid, years: int, location: str, announced: str) -> frozenset[str]:
    band = age_band(years)
    ctx = {
        band,
        kid.plan,
        location,
        announced,
        "preverbal" if band in ("infant", "toddler") or kid.nonverbal else "verbal",
        "school" if years >= 4 else "under5",
    }
    ctx.update(kid.tags.split())
    if kid.nonverbal:
        ctx.add("nonverbal")
    if kid.interpreter_for:
        ctx.add("interpreter")
    if kid.disability and kid.disability != "None known":
        ctx.add("disability")
    text = " ".join(kid.risks).lower() + " " + kid.disability.lower()
    ctx.update(tag for word, tag in TAGS if word in text)
    return frozenset(ctx)


def fits(entry: Entry, ctx: frozenset[str]) -> bool:
    if isinstance(entry, str):
        return True
    for need in entry[1].split():
        if (need[1:] in ctx) if need.startswith("!") else (need not in ctx):
            return False
    return True


def _text_of(entry: Entry) -> str:
    return entry if isinstance(entry, str) else entry[0]


def choose(rng: random.Random, entries, k: int, ctx: frozenset[str]) -> list[str]:
    fitting = [_text_of(e) for e in entries if fits(e, ctx)]
    return rng.sample(fitting, min(k, len(fitting)))


SHARED_POOLS: dict[tuple, dict[tuple, list[str]]] = {}
T1 = "\x01"  # around a bulk prototype's text token: \x01name\x01
T2 = "\x02"  # around a token standing for a whole JSON value


class Writer:
    """Composes paragraphs from the phrase lists with a seeded random.

    With ``pool`` set, paragraphs are composed once per (kind, sex, context) into a pool of
    that many variants and each use picks one and fills in the names: the fast path for bulk
    loads, where thousands of records share a few hundred contexts.
    """

    def __init__(
        self, rng: random.Random, *, long: bool = False, pool: int = 0, pool_seed: str = ""
    ) -> None:
        self.rng = rng
        self.long = long
        self.pool = pool
        # with a pool_seed, each pool is made by its own random seeded from its key, so a
        # pool's content does not depend on which record asked for it first: pools can then
        # be shared by every job of a bulk load in this process, and the store is the same
        # however the jobs are spread over processes
        self.pool_seed = pool_seed
        self._pools: dict[tuple, list[str]] = (
            SHARED_POOLS.setdefault((pool_seed, pool, long), {}) if pool_seed else {}
        )
        self.memo: dict[tuple, Any] = {}  # per-run caches of things derived from a child

    def cached(self, key: tuple, make: Callable[[], Any]) -> Any:
        value = self.memo.get(key)
        if value is None:
            value = self.memo[key] = make()
        return value

    def n(self, short: tuple[int, int], long: tuple[int, int]) -> int:
        lo, hi = long if self.long else short
        return self.rng.randint(lo, hi)

    def text(self, key: tuple, build: Callable[[random.Random], str], fill: dict[str, str]) -> str:
        """``build`` makes a template with pronouns filled and {name}, {carer} ... left in.

        ``key`` must hold everything ``build`` depends on apart from the random choices.
        """
        if self.pool:
            pool = self._pools.get(key)
            if pool is None:
                maker = self.rng
                if self.pool_seed:
                    name, sex, ctx = key
                    maker = random.Random(f"{self.pool_seed}|{name}|{sex}|{','.join(sorted(ctx))}")
                    saved, self.rng = self.rng, maker
                    try:
                        pool = [build(maker) for _ in range(self.pool)]
                    finally:
                        self.rng = saved
                else:
                    pool = [build(maker) for _ in range(self.pool)]
                self._pools[key] = pool
            template = pool[self.rng.randrange(len(pool))]
        else:
            template = build(self.rng)
        return template.format_map(fill)


_KEEP = ("name", "carer", "school", "attendance", "risk", "him_carer", "his_carer", "alone")
_FMT_MAPS = {sex: {**{k: "{" + k + "}" for k in _KEEP}, **pronouns(sex)} for sex in "fm"}


def fmt(template: str, sex: str) -> str:
    """Fill the pronouns, leave the other placeholders."""
    return template.format_map(_FMT_MAPS[sex])


_NEEDS = re.compile(r"!?[a-z_0-9]+( !?[a-z_0-9]+)*")


def _words(*lists) -> frozenset[str]:
    """Every context word the entries of these lists test: what their pools depend on."""
    out: set[str] = set()

    def walk(x) -> None:
        if (
            isinstance(x, tuple)
            and len(x) == 2
            and isinstance(x[0], str)
            and isinstance(x[1], str)
            and _NEEDS.fullmatch(x[1])
        ):
            out.update(w.lstrip("!") for w in x[1].split())
        elif isinstance(x, (tuple, list)):
            for y in x:
                walk(y)
        elif isinstance(x, dict):
            walk(tuple(x.values()))

    walk(lists)
    return frozenset(out)


def topics_text(
    rng: random.Random, topics, n: int, concerns: int, sex: str, ctx: frozenset[str]
) -> str:
    usable = [t for t in topics if fits(("", t[0]), ctx)]
    chosen = rng.sample(range(len(usable)), min(n, len(usable)))
    bad = set(rng.sample(chosen, min(concerns, len(chosen))))
    out = []
    for i in chosen:
        _, good, worry = usable[i]
        worry = [_text_of(e) for e in worry if fits(e, ctx)]
        out.append(rng.choice(worry if (i in bad and worry) else good))
    return " ".join(fmt(s, sex) for s in out)


def join_chosen(rng: random.Random, entries, k: int, ctx: frozenset[str], sex: str) -> str:
    return " ".join(fmt(s, sex) for s in choose(rng, entries, k, ctx))


def _topic_words(*topic_lists) -> frozenset[str]:
    out: set[str] = set()
    for topics in topic_lists:
        for needs, _, worry in topics:
            out.update(w.lstrip("!") for w in needs.split())
            out |= _words(worry)
    return frozenset(out)


#: For each kind of pooled text, the context words it depends on (the pool key).
POOL_WORDS = {
    "purpose": _words(PURPOSE_MORE),
    "wishes": _words(WISHES),
    "shapes": _words(SHAPES),
    "seen": _topic_words(HOME_TOPICS, PLACEMENT_TOPICS, SCHOOL_TOPICS)
    | {"home", "placement", "school", "other"},
    "opinion": _words(OPINION),
    "sources": _words(SOURCES),
    "analysis": _words(ANALYSIS_OPEN),
    "analysis_close": _words(ANALYSIS_CLOSE),
}
