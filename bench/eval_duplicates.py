"""Evaluate the grouping of copies of one story: translations, damaged copies, its time.

    python bench/eval_duplicates.py [ARCHIVE] [--copies N] [--seed S] [--workdir DIR]

ARCHIVE defaults to ``../shared/data/archive``. Two indexing runs into a temporary folder:

1. the archive itself (its ``bbc`` folder and ``geopolitics.jsonl``);
2. damaged copies of N (default 400) of its BBC stories, made here in the temporary folder
   (never in the project) and added by a second, incremental run: each copy has one to
   three kinds of scraping damage (site chrome added above and below, paragraphs cut, the
   text cut by a paywall notice, words glued where tags were stripped).

It prints:

* translations: the blog posts in several languages under one slug are the gold pairs (two
  posts of one slug in two languages); precision and recall of the pairs of posts in two
  languages that share a story, overall and on the two halves of the slugs (by a hash of
  the slug: two samples, to see how much the figures move; the thresholds were set looking
  at this archive as a whole, so neither half is held out);
* damaged copies: the gold pairs are a copy and its original, or an article of the BBC set
  whose story, the text below the headline, is the original's to the whitespace (the set
  holds some stories twice, a few under another headline), or a copy of such an article;
  predicted are the pairs of a copy and any other article of its story (a copy grouped with
  a rewrite of its original, not word for word, counts as wrong);
* pairs of BBC articles grouped in the first run (the BBC set holds a few real duplicates:
  neither gold nor counted above);
* the grouping time of each run (in the indexer's process), per 1,000 articles.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import sys
import tempfile
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.store.index_folder import read_meta  # noqa: E402
from indexer.store.indexing import run_index  # noqa: E402
from indexer.stories import groups  # noqa: E402

ARCHIVE = ROOT.parent / "shared" / "data" / "archive"

CHROME_TOP = [
    "Home | World | Business | Politics | Tech | Sport",
    "Skip to main content",
    "Share this article: Facebook Twitter Email",
]
CHROME_BOTTOM = [
    "Related stories",
    "Most read this week",
    "Copyright 2005 All rights reserved. Terms of use | Privacy policy | Contact us",
]
PAYWALL = "Subscribe to continue reading. This article is reserved for our subscribers."


def damage(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """A copy of ``text`` with one to three kinds of damage; the kinds done."""
    lines = text.split("\n")
    title, paragraphs = lines[0], [p for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    kinds = rng.sample(["chrome", "cut", "paywall", "glued"], rng.randint(1, 3))
    if "cut" in kinds and len(paragraphs) > 3:
        drop = set(rng.sample(range(1, len(paragraphs)), max(1, len(paragraphs) // 4)))
        paragraphs = [p for i, p in enumerate(paragraphs) if i not in drop]
    if "paywall" in kinds and len(paragraphs) > 2:
        paragraphs = paragraphs[: max(2, int(len(paragraphs) * rng.uniform(0.4, 0.7)))] + [PAYWALL]
    if "glued" in kinds:

        def glue(p: str) -> str:
            words = p.split(" ")
            return "".join(w + ("" if rng.random() < 0.04 else " ") for w in words).rstrip()

        paragraphs = [glue(p) for p in paragraphs]
    body = "\n\n".join(paragraphs)
    if "chrome" in kinds:
        body = "\n".join(CHROME_TOP) + "\n\n" + body + "\n\n" + "\n".join(CHROME_BOTTOM)
    return f"{title}\n\n{body}\n", kinds


def make_copies(archive: Path, out: Path, n: int, seed: int) -> dict[str, str]:
    """N damaged copies of BBC stories under ``out``: copy id -> original id."""
    rng = random.Random(seed)
    originals = sorted((archive / "bbc").rglob("*.txt"))
    pairs = {}
    for path in rng.sample(originals, n):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        copy, _ = damage(text, rng)
        name = f"{path.parent.name}-{path.stem}-copy.txt"
        (out / name).write_text(copy, encoding="utf-8")
        pairs[name] = f"{path.parent.name}/{path.name}"
    return pairs


def body_classes(archive: Path) -> dict[str, int]:
    """BBC article id -> a number shared by the articles of the same text below the headline
    (whitespace aside)."""
    numbers: dict[str, int] = {}
    classes = {}
    for path in sorted((archive / "bbc").rglob("*.txt")):
        lines = path.read_bytes().decode("utf-8", "replace").split("\n", 1)
        body = " ".join((lines[1] if len(lines) > 1 else "").split())
        classes[f"{path.parent.name}/{path.name}"] = numbers.setdefault(body, len(numbers))
    return classes


def exact_twins(archive: Path) -> dict[str, list[str]]:
    """BBC article id -> the ids of the other BBC articles of the same body."""
    by_class = defaultdict(list)
    for doc_id, number in body_classes(archive).items():
        by_class[number].append(doc_id)
    return {i: [j for j in same if j != i] for same in by_class.values() for i in same}


def pr(predicted: set, gold: set) -> tuple[float, float, int, int]:
    hit = len(predicted & gold)
    return (hit / len(predicted) if predicted else 1.0), (hit / len(gold) if gold else 1.0), len(predicted), len(gold)


def story_pairs(stories: groups.Stories, ids: set[str]) -> set[frozenset]:
    members = defaultdict(list)
    for doc_id, story in zip(stories.ids, stories.story.tolist()):
        if doc_id in ids:
            members[story].append(doc_id)
    return {frozenset(p) for m in members.values() for p in itertools.combinations(sorted(m), 2)}


def half(slug: str) -> str:
    return "A" if zlib.crc32(slug.encode()) % 2 == 0 else "B"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ARCHIVE)
    parser.add_argument("--copies", type=int, default=400)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--workdir", type=Path, default=None, help="kept after the run if given")
    args = parser.parse_args()
    if not (args.archive / "geopolitics.jsonl").is_file() or not (args.archive / "bbc").is_dir():
        parser.error(f"{args.archive}: not the archive (no bbc folder or geopolitics.jsonl)")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="news-search-dups-"))
    try:
        evaluate(args, work)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def evaluate(args, work: Path) -> None:
    index, copies_dir = work / "index", work / "copies"
    shutil.rmtree(index, ignore_errors=True)
    shutil.rmtree(copies_dir, ignore_errors=True)
    copies_dir.mkdir(parents=True)
    first = run_index([args.archive / "bbc", args.archive / "geopolitics.jsonl"], index, rebuild=True)
    stories = groups.load(index, read_meta(index))
    posts = {}
    with open(args.archive / "geopolitics.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            posts[rec["id"]] = (rec["lang"], rec["id"].split("/", 2)[2])
    gold_tr = {
        frozenset((a, b))
        for a, b in itertools.combinations(sorted(posts), 2)
        if posts[a][1] == posts[b][1] and posts[a][0] != posts[b][0]
    }
    found = {p for p in story_pairs(stories, set(posts)) if len({posts[i][0] for i in p}) == 2}
    print(f"archive: {first.documents:,} articles; grouped into {len(set(stories.story.tolist())):,} stories")
    p, r, n_pred, n_gold = pr(found, gold_tr)
    print(f"translations: precision {p:.3f}, recall {r:.3f} ({n_pred} pairs found, {n_gold} gold same-slug pairs)")
    for h in "AB":
        sub = {x for x in gold_tr if half(posts[next(iter(x))][1]) == h}
        subf = {x for x in found if all(half(posts[i][1]) == h for i in x)}
        mixed = {x for x in found if len({half(posts[i][1]) for i in x}) == 2}
        p, r, n_pred, n_gold = pr(subf, sub)
        print(f"  half {h} of the slugs: precision {p:.3f}, recall {r:.3f} ({n_pred} found, {n_gold} gold)")
    print(f"  pairs across the halves (wrong by construction): {len(mixed)}")
    same_lang = {p for p in story_pairs(stories, set(posts)) if len({posts[i][0] for i in p}) == 1}
    print(f"  posts of one language grouped together: {len(same_lang)} pairs")
    bbc = {i for i in stories.ids if i not in posts}
    twins = exact_twins(args.archive)
    grouped = story_pairs(stories, bbc)
    exact = {frozenset((i, j)) for i, same in twins.items() for j in same}
    print(
        f"BBC articles grouped in the archive itself: {len(grouped)} pairs, {len(grouped & exact)} of them "
        f"of one text below the headline (of {len(exact)} such pairs in the set), "
        f"{len(grouped - exact)} others (rewrites or wrong)"
    )
    print(
        f"grouping, first run: {first.grouping_seconds:.2f} s for {first.documents:,} articles "
        f"({first.grouping_seconds / first.documents * 1000:.3f} s per 1,000); whole run {first.seconds:.1f} s"
    )

    pairs = make_copies(args.archive, copies_dir, args.copies, args.seed)
    second = run_index([args.archive / "bbc", args.archive / "geopolitics.jsonl", copies_dir], index)
    stories = groups.load(index, read_meta(index))
    copy_ids = {i for i in stories.ids if i in pairs or re.sub(r"^.*/", "", i) in pairs}
    key = {i: re.sub(r"^.*/", "", i) for i in copy_ids}
    originals = {i: pairs[key[i]] for i in copy_ids}
    story = dict(zip(stories.ids, stories.story.tolist()))
    members = defaultdict(list)
    for doc_id, s in story.items():
        members[s].append(doc_id)
    body = body_classes(args.archive)
    body.update({c: body[originals[c]] for c in copy_ids})
    by_body = defaultdict(list)
    for doc_id in [*copy_ids, *body]:
        by_body[body[doc_id]].append(doc_id)
    predicted, gold = set(), set()
    for c in copy_ids:
        gold.update((c, other) for other in by_body[body[c]] if other != c)
        for other in members[story[c]]:
            if other != c:
                predicted.add((c, other))
    missing = len(pairs) - len(copy_ids)
    p, r, n_pred, n_gold = pr(predicted, gold)
    print(
        f"damaged copies: precision {p:.3f}, recall {r:.3f} ({n_pred} pairs found, {n_gold} gold; "
        f"{missing} copies not indexed)"
    )
    print(
        f"grouping, second run (adding {second.added} copies to {first.documents:,} articles): "
        f"{second.grouping_seconds:.2f} s ({second.grouping_seconds / max(second.added, 1) * 1000:.3f} s per 1,000 "
        f"added); whole run {second.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
