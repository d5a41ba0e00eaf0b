"""Evaluate ingest on the shared evaluation sets and print its scores.

    python bench/eval_ingest.py [DATA_DIR]      (default ../shared/data)

* languages: accuracy per language on ``langid/sentences`` (each sentence alone), the share
  of de/es/it/hy/ru sentences tagged en or fr, and sentences per second on one core;
* dates: exact-day accuracy of the whole pipeline on ``html-dates``, English and French;
* text: precision, recall and F1 of the ``with``/``without`` snippets on ``html-text``,
  scored as trafilatura's own evaluation does (a snippet counts when it is a substring of
  the extracted text: the record's title and paragraphs); both sides go through the same character normalisation (quotes,
  spaces) the cleaner applies, so a curly apostrophe made straight is not a miss;
* throughput: MB/s of raw text ingested on one core, on the articles of ``corpus/``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.ingest.article import Article, Problem  # noqa: E402
from indexer.ingest.cleaning import normalize_characters  # noqa: E402
from indexer.ingest.language import get_detector  # noqa: E402
from indexer.ingest.pipeline import Pipeline  # noqa: E402
from indexer.ingest.readers import decode  # noqa: E402

OTHERS = ("de", "es", "it", "hy", "ru")


def eval_languages(data: Path) -> None:
    detector = get_detector()
    print("== languages (langid/sentences, each sentence alone)")
    total_n = total_t = 0.0
    ours = 0
    others = 0
    for lang in ("en", "fr", *OTHERS):
        sentences = (data / "langid" / "sentences" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        start = time.perf_counter()
        tags = [detector.detect(s) for s in sentences]
        total_t += time.perf_counter() - start
        total_n += len(sentences)
        counts = Counter(tags)
        enfr = (counts["en"] + counts["fr"]) / len(sentences)
        print(f"  {lang}: accuracy {counts[lang] / len(sentences):.2%}  tagged en/fr {enfr:.2%}  (n={len(sentences)})")
        if lang in OTHERS:
            ours += counts["en"] + counts["fr"]
            others += len(sentences)
    print(f"  de/es/it/hy/ru tagged en or fr: {ours / others:.2%} ({ours} of {others})")
    print(f"  speed: {total_n / total_t:,.0f} sentences/s on one core")


def load_page(path: Path) -> str:
    return decode(path.read_bytes())[0]


def eval_dates(data: Path, pipeline: Pipeline) -> None:
    gold = json.loads((data / "html-dates" / "gold.json").read_text(encoding="utf-8"))
    right, seen = Counter(), Counter()
    sources = defaultdict(Counter)
    for url, item in gold.items():
        html = load_page(data / "html-dates" / item["file"])
        record = pipeline.process(Article(id=url, path=item["file"], html=html))
        found = None if isinstance(record, Problem) else record.date
        seen[item["lang"]] += 1
        right[item["lang"]] += found == item["date"]
        if not isinstance(record, Problem):
            sources[item["lang"]][(record.date_source, found == item["date"])] += 1
    print("== dates (html-dates, exact day)")
    for lang in sorted(seen):
        print(
            f"  {lang}: {right[lang] / seen[lang]:.1%} ({right[lang]} of {seen[lang]})  by source: "
            + ", ".join(f"{s}{'' if ok else ' wrong'} {n}" for (s, ok), n in sorted(sources[lang].items(), key=str))
        )


def eval_text(data: Path, pipeline: Pipeline) -> None:
    gold = json.loads((data / "html-text" / "gold.json").read_text(encoding="utf-8"))
    counts = defaultdict(Counter)
    for url, item in gold.items():
        html = load_page(data / "html-text" / item["file"])
        record = pipeline.process(Article(id=url, path=item["file"], html=html))
        text = "" if isinstance(record, Problem) else f"{record.title}\n{record.text}"
        c = counts[item["lang"]]
        for snippet in item["with"]:
            c["tp" if normalize_characters(snippet) in text else "fn"] += 1
        for snippet in item["without"]:
            c["fp" if normalize_characters(snippet) in text else "tn"] += 1
    print("== text (html-text, with/without snippets)")
    for lang in sorted(counts):
        c = counts[lang]
        precision = c["tp"] / max(1, c["tp"] + c["fp"])
        recall = c["tp"] / max(1, c["tp"] + c["fn"])
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        print(
            f"  {lang}: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
            f"(tp {c['tp']} fn {c['fn']} fp {c['fp']} tn {c['tn']})"
        )


def eval_throughput(pipeline: Pipeline, rounds: int = 40) -> None:
    from indexer.ingest.readers import read_paths

    articles = [a for a in read_paths([ROOT / "corpus"]) if isinstance(a, Article)]
    size = sum(len(a.text.encode("utf-8")) for a in articles)
    pipeline.process(articles[0])  # warm: word lists load on first use
    start = time.perf_counter()
    for _ in range(rounds):
        for article in articles:
            pipeline.process(article)
    seconds = time.perf_counter() - start
    print("== throughput (corpus/, ingest only, one core)")
    print(
        f"  {size * rounds / seconds / 1e6:.2f} MB/s  ({rounds * len(articles) / seconds:.0f} articles/s, "
        f"{size * rounds / 1e6:.1f} MB in {seconds:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--only", choices=["languages", "dates", "text", "throughput"])
    args = parser.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        parser.error(f"data directory not found: {data}")
    pipeline = Pipeline()
    steps = {
        "languages": lambda: eval_languages(data),
        "dates": lambda: eval_dates(data, pipeline),
        "text": lambda: eval_text(data, pipeline),
        "throughput": lambda: eval_throughput(pipeline),
    }
    for name, step in steps.items():
        if args.only in (None, name):
            step()


if __name__ == "__main__":
    main()
