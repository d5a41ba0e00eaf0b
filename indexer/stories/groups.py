"""Stories: the articles of an index grouped into copies of one story, kept beside the index.

Every article has a story number. A run groups the articles it adds with those already
indexed, from their signatures (:mod:`indexer.stories.signature`), without reading the
archive again:

* **copies in one language**: the articles sharing an LSH band with it are candidates
  (sorting every band key once, so the cost grows with the archive, not its square); each
  candidate is checked by containment, the share of the shorter one's shingles that the other
  has (a copy cut by a paywall or with its paragraphs trimmed is still a copy);
* **translations**: articles in another language, dated within ``STORY_TRANSLATION_DAYS``,
  sharing rare evidence (actors, names, numbers, URLs, capitalised words); each candidate
  pair is scored (the weight, log inverse document frequency, of the evidence shared, over
  the smaller of the two articles' total weight) and kept only above a threshold.

A match joins two stories: the older number stays. Deleting an article drops its row; its
story keeps its other copies. The signatures and story numbers of one Whoosh index are in
``stories-<index name>.npz`` in the index directory, written to a temporary file and
renamed, named in the index's record, with the index generation they describe: a run
killed between its commit and this file's writing leaves a file the next run rebuilds from
the index's stored records.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .. import settings
from .signature import Signature, of_stored

VERSION = 1


class Stories:
    """The signatures and story numbers of the articles of one index."""

    def __init__(self, generation: int = -1):
        self.generation = generation
        self.changed = generation < 0
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self.story = np.zeros(0, dtype=np.int64)
        self.language: list[str] = []
        self.day = np.zeros(0, dtype=np.int64)
        self.shingles: list[np.ndarray] = []
        self.bands: list[np.ndarray] = []
        self.evidence: list[np.ndarray] = []
        self.next_story = 0
        #: seconds the last :meth:`add` took
        self.seconds = 0.0

    def __len__(self) -> int:
        return len(self.ids)

    # --- changing ---------------------------------------------------------------------------

    def remove(self, ids) -> None:
        """Drop the rows of ``ids`` (deleted or replaced articles); stories keep their other copies."""
        gone = {self.row[i] for i in ids if i in self.row}
        if not gone:
            return
        keep = [r for r in range(len(self.ids)) if r not in gone]
        self._take(keep)

    def keep_only(self, live: set[str]) -> None:
        """Drop the rows of articles the index no longer holds."""
        self.remove([i for i in self.ids if i not in live])

    def _take(self, keep: list[int]) -> None:
        self.changed = True
        self.ids = [self.ids[r] for r in keep]
        self.row = {i: n for n, i in enumerate(self.ids)}
        self.story = self.story[keep]
        self.language = [self.language[r] for r in keep]
        self.day = self.day[keep]
        self.shingles = [self.shingles[r] for r in keep]
        self.bands = [self.bands[r] for r in keep]
        self.evidence = [self.evidence[r] for r in keep]

    def add(self, signatures: list[Signature]) -> None:
        """Add the articles of ``signatures`` (replacing rows of the same ids) and group them
        with every article held."""
        import time

        start = time.perf_counter()
        if not signatures:
            return
        self.remove([s.id for s in signatures])
        self.changed = True
        first = len(self.ids)
        for s in signatures:
            self.row[s.id] = len(self.ids)
            self.ids.append(s.id)
            self.language.append(s.language)
            self.shingles.append(s.shingles)
            self.bands.append(s.bands)
            self.evidence.append(s.evidence)
        n_new = len(signatures)
        self.story = np.concatenate([self.story, np.arange(self.next_story, self.next_story + n_new, dtype=np.int64)])
        self.next_story += n_new
        self.day = np.concatenate([self.day, np.array([s.day for s in signatures], dtype=np.int64)])
        parent: dict[int, int] = {}
        story = self.story
        for a, b in self._copies(first):
            # a pair already joined (through other copies) is not checked again
            if _find(parent, int(story[a])) != _find(parent, int(story[b])) and self._contained(a, b):
                _union(parent, int(story[a]), int(story[b]))
        for a, b in self._translations(first):
            _union(parent, int(story[a]), int(story[b]))
        self._merge(parent)
        self.seconds = time.perf_counter() - start

    def _merge(self, parent: dict[int, int]) -> None:
        """Stories joined by a match take the smallest (oldest) number among them."""
        merged = {s: _find(parent, s) for s in list(parent)}
        merged = {s: r for s, r in merged.items() if s != r}
        if not merged:
            return
        old = np.array(sorted(merged), dtype=np.int64)
        new = np.array([merged[s] for s in old.tolist()], dtype=np.int64)
        at = np.clip(np.searchsorted(old, self.story), 0, len(old) - 1)
        hit = old[at] == self.story
        self.story = np.where(hit, new[at], self.story)

    # --- candidates -------------------------------------------------------------------------

    def _copies(self, first: int):
        """Candidate pairs (old or new, new) of copies in one language: sharing an LSH band
        (to be checked by containment), each pair once, made with NumPy bucket size by
        bucket size."""
        lengths = np.array([len(b) for b in self.bands], dtype=np.int64)
        if not lengths[first:].any():
            return
        keys = np.concatenate(self.bands)
        rows = np.repeat(np.arange(len(self.bands), dtype=np.int64), lengths)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)])
        busy = (sizes > 1) & (sizes <= settings.STORY_MAX_BUCKET)
        # a bucket holds rows in increasing order (a stable sort of rows in order)
        pairs = []
        for size in np.unique(sizes[busy]).tolist():
            at = starts[busy & (sizes == size)]
            members = rows[at[:, None] + np.arange(size)[None, :]]
            if not (members[:, -1] >= first).any():
                continue
            members = members[members[:, -1] >= first]  # buckets holding a new article
            i, j = np.triu_indices(size, 1)
            a, b = members[:, i].ravel(), members[:, j].ravel()
            keep = b >= first
            pairs.append(a[keep] * len(self.bands) + b[keep])
        if not pairs:
            return
        unique = np.unique(np.concatenate(pairs))
        a, b = unique // len(self.bands), unique % len(self.bands)
        codes = np.unique(np.array(self.language), return_inverse=True)[1]
        same = codes[a] == codes[b]
        yield from zip(a[same].tolist(), b[same].tolist())

    def _contained(self, a: int, b: int) -> bool:
        x, y = self.shingles[a], self.shingles[b]
        shared = len(np.intersect1d(x, y, assume_unique=True))
        return shared >= settings.STORY_MIN_SHARED and shared >= settings.STORY_CONTAINMENT * min(len(x), len(y))

    def _translations(self, first: int):
        """Pairs (old or new, new) in two languages, dated close, with enough rare evidence
        shared: for each new article, its best match in each other language."""
        n = len(self.ids)
        lengths = np.array([len(e) for e in self.evidence], dtype=np.int64)
        if not lengths[first:].any():
            return
        tokens = np.concatenate(self.evidence)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        order = np.argsort(tokens, kind="stable")
        tokens, rows = tokens[order], rows[order]
        lo_all = np.searchsorted(tokens, tokens, "left")
        hi_all = np.searchsorted(tokens, tokens, "right")
        df = hi_all - lo_all
        weight = np.where(df <= settings.STORY_MAX_EVIDENCE_DF, np.log((n + 1) / df), 0.0)
        total = np.bincount(rows, weights=weight, minlength=n)
        languages = np.array(self.language)
        for b in range(first, n):
            if not self.language[b]:
                continue
            mine = self.evidence[b]
            lo = np.searchsorted(tokens, mine, "left")
            hi = np.searchsorted(tokens, mine, "right")
            ok = (hi - lo > 1) & (hi - lo <= settings.STORY_MAX_EVIDENCE_DF)
            if not ok.any():
                continue
            lo, hi = lo[ok], hi[ok]
            spans = hi - lo
            index = np.repeat(lo - np.r_[0, np.cumsum(spans)[:-1]], spans) + np.arange(spans.sum())
            others, at = np.unique(rows[index], return_inverse=True)
            shared = np.bincount(at, weights=weight[index])
            count = np.bincount(at)
            with np.errstate(divide="ignore", invalid="ignore"):
                score = shared / np.minimum(total[others], total[b])
            days = self.day[others]
            near = (
                (count >= settings.STORY_MIN_EVIDENCE)
                & (score >= settings.STORY_TRANSLATION_SCORE)
                & (languages[others] != self.language[b])
                & (languages[others] != "")
                & ((others < first) | (others < b))  # a pair of new articles once
            )
            if self.day[b] >= 0:
                near &= (days >= 0) & (np.abs(days - self.day[b]) <= settings.STORY_TRANSLATION_DAYS)
            else:
                near &= days < 0
            best: dict[str, tuple[float, int]] = {}
            for k in np.flatnonzero(near).tolist():
                a = int(others[k])
                lang = self.language[a]
                if lang not in best or score[k] > best[lang][0]:
                    best[lang] = (float(score[k]), a)
            for _, a in best.values():
                yield a, b

    # --- reading ----------------------------------------------------------------------------

    def story_of(self, doc_id: str) -> int | None:
        r = self.row.get(doc_id)
        return None if r is None else int(self.story[r])

    def copies_of(self, doc_id: str) -> list[str]:
        """The other articles of ``doc_id``'s story."""
        r = self.row.get(doc_id)
        if r is None:
            return []
        return [self.ids[i] for i in np.flatnonzero(self.story == self.story[r]).tolist() if i != r]

    # --- the file ---------------------------------------------------------------------------

    def save(self, index_dir: Path, index_name: str) -> str:
        name = file_name(index_name)
        if not self.changed and (Path(index_dir) / name).is_file():
            return name
        tmp = Path(index_dir) / f".{name}.{os.getpid()}.tmp.npz"
        np.savez(
            tmp,
            version=np.int64(VERSION),
            generation=np.int64(self.generation),
            next_story=np.int64(self.next_story),
            ids=np.array(self.ids, dtype=str),
            story=self.story,
            language=np.array(self.language, dtype=str),
            day=self.day,
            **_packed("shingles", self.shingles, np.uint32),
            **_packed("bands", self.bands, np.uint64),
            **_packed("evidence", self.evidence, np.int64),
        )
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, Path(index_dir) / name)
        return name

    @classmethod
    def load_file(cls, path: Path) -> Stories:
        with np.load(path, allow_pickle=False) as data:
            if int(data["version"]) != VERSION:
                return cls()
            stories = cls(int(data["generation"]))
            stories.changed = False
            stories.next_story = int(data["next_story"])
            stories.ids = data["ids"].tolist()
            stories.row = {i: n for n, i in enumerate(stories.ids)}
            stories.story = data["story"].astype(np.int64)
            stories.language = data["language"].tolist()
            stories.day = data["day"].astype(np.int64)
            stories.shingles = _unpacked(data, "shingles")
            stories.bands = _unpacked(data, "bands")
            stories.evidence = _unpacked(data, "evidence")
        return stories


def _packed(name: str, arrays: list[np.ndarray], dtype) -> dict:
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    values = np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)
    return {name: values, name + "_len": lengths}


def _unpacked(data, name: str) -> list[np.ndarray]:
    values, lengths = data[name], data[name + "_len"]
    return np.split(values, np.cumsum(lengths)[:-1]) if len(lengths) else []


def _find(parent: dict[int, int], s: int) -> int:
    root = s
    while parent.get(root, root) != root:
        root = parent[root]
    while parent.get(s, s) != root:
        parent[s], s = root, parent[s]
    return root


def _union(parent: dict[int, int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)
        parent.setdefault(min(ra, rb), min(ra, rb))


def file_name(index_name: str) -> str:
    return f"stories-{index_name}.npz"


def load(index_dir: Path, meta: dict) -> Stories:
    """The stories the index's record names, or none (a new index, a lost or old file)."""
    name = meta.get("stories")
    if not name:
        return Stories()
    try:
        return Stories.load_file(Path(index_dir) / name)
    except (OSError, ValueError, KeyError):
        return Stories()


def of_index(index_dir: Path, meta: dict, ix) -> Stories:
    """The stories of the index ``ix`` as it is: from its file when the file describes its
    latest generation, else grouped again from the documents' stored records."""
    import json

    stories = load(index_dir, meta)
    generation = ix.latest_generation()
    if stories.generation == generation:
        return stories
    rebuilt = Stories(generation=generation)
    signatures = []
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            try:
                signatures.append(of_stored(json.loads(fields.get("record") or "{}")))
            except ValueError:
                continue
    rebuilt.add([s for s in signatures if s.id])
    return rebuilt


def read_numbers(index_dir: Path, meta: dict) -> tuple[list[str], np.ndarray, list[str]] | None:
    """Only the ids, story numbers and languages of the stories file the index's record names
    (what search needs, without the signatures); None when there is none to read."""
    name = meta.get("stories")
    if not name:
        return None
    try:
        with np.load(Path(index_dir) / name, allow_pickle=False) as data:
            if int(data["version"]) != VERSION:
                return None
            return data["ids"].tolist(), data["story"].astype(np.int64), data["language"].tolist()
    except (OSError, ValueError, KeyError):
        return None
