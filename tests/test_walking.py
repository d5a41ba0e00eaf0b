"""Walking the corpus: link loops walked once, each file once, names that are not UTF-8
refused in one printable line, unreadable folders and missing roots told apart."""

import json
import os

import pytest

from indexer.ingest.article import Article, Problem
from indexer.ingest.readers import read_paths
from indexer.ingest.walking import Missing, UnreadableDir, scan

from .helpers import run_cli

TEXT = "The council met on Monday to discuss the new bridge."


def files(*paths):
    return [entry[0] for entry in scan(paths) if not isinstance(entry, Problem)]


def problems(*paths):
    return [entry for entry in scan(paths) if isinstance(entry, Problem)]


def test_a_directory_link_loop_is_walked_once(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.txt").write_text(TEXT)
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "up")  # a/b/up -> a
    os.symlink(tmp_path, tmp_path / "a" / "root")  # a/root -> the root
    assert files(tmp_path) == [str(tmp_path / "a" / "b" / "story.txt")]
    assert [a.id for a in read_paths([tmp_path])] == ["a/b/story.txt"]
    assert not problems(tmp_path)


def test_a_loop_outside_the_root_is_walked_once(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    root.mkdir()
    (outside / "deep" / "x.txt").write_text(TEXT)
    os.symlink(outside, outside / "deep" / "again")  # outside/deep/again -> outside
    os.symlink(outside, root / "link")
    assert files(root) == [str(root / "link" / "deep" / "x.txt")]


def test_links_out_of_the_root_are_followed_and_a_file_linked_twice_is_read_once(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "shared.txt").write_text(TEXT)
    (outside / "other.txt").write_text(TEXT + " Again.")
    os.symlink(outside / "shared.txt", root / "first.txt")
    os.symlink(outside / "shared.txt", root / "second.txt")
    os.symlink(outside, root / "folder")
    assert [a.id for a in read_paths([root])] == ["first.txt", "folder/other.txt"]


def test_a_link_to_a_place_inside_the_root_keeps_the_files_own_path(tmp_path):
    (tmp_path / "z" / "2023").mkdir(parents=True)
    (tmp_path / "z" / "2023" / "story.txt").write_text(TEXT)
    os.symlink(tmp_path / "z" / "2023", tmp_path / "a-latest")
    os.symlink(tmp_path / "z" / "2023" / "story.txt", tmp_path / "b.txt")
    assert [a.id for a in read_paths([tmp_path])] == ["z/2023/story.txt"]


def test_a_root_given_twice_or_inside_another_is_read_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text(TEXT)
    (tmp_path / "y.txt").write_text(TEXT)
    found = files(tmp_path, tmp_path / "sub", tmp_path, tmp_path / "y.txt")
    assert sorted(found) == [str(tmp_path / "sub" / "x.txt"), str(tmp_path / "y.txt")]


def make_file(directory, name: bytes, data: bytes = TEXT.encode()):
    try:
        fd = os.open(os.path.join(os.fsencode(directory), name), os.O_CREAT | os.O_WRONLY)
    except OSError as exc:  # a file system that only takes UTF-8 names
        pytest.skip(f"this file system refuses a name that is not UTF-8 ({exc.strerror})")
    os.write(fd, data)
    os.close(fd)


def test_a_file_name_that_is_not_utf8_is_refused_in_one_printable_line(tmp_path):
    make_file(tmp_path, b"caf\xe9.txt")
    (tmp_path / "good.txt").write_text(TEXT)
    items = list(read_paths([tmp_path]))
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert [i.id for i in items if isinstance(i, Article)] == ["good.txt"]
    assert problem.reason == "refused: file name is not valid UTF-8"
    assert problem.path == str(tmp_path / "caf\\xe9.txt")
    str(problem).encode("utf-8")  # prints and encodes anywhere
    assert json.loads(json.dumps(str(problem))) == str(problem)


def test_a_folder_name_that_is_not_utf8_is_refused_and_not_walked(tmp_path):
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"dossier\xff"))
    make_file(os.path.join(os.fsencode(tmp_path), b"dossier\xff"), b"story.txt")
    [problem] = problems(tmp_path)
    assert problem.reason == "refused: folder name is not valid UTF-8"
    assert problem.path.endswith("dossier\\xff")
    assert files(tmp_path) == []


def test_inspect_reports_a_bad_name_and_reads_the_rest(tmp_path):
    make_file(tmp_path, b"r\xe9sum\xe9.txt")
    (tmp_path / "good.txt").write_text(TEXT)
    result = run_cli("inspect", tmp_path)
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good.txt"]
    [line] = result.stderr.strip().splitlines()
    assert line.endswith("r\\xe9sum\\xe9.txt: refused: file name is not valid UTF-8")


def deny(monkeypatch, denied):
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(denied):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_folder_is_its_own_kind_of_problem_and_the_rest_is_read(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text(TEXT)
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "y.txt").write_text(TEXT)
    deny(monkeypatch, tmp_path / "locked")
    [problem] = problems(tmp_path)
    assert isinstance(problem, UnreadableDir)
    assert problem.path == str(tmp_path / "locked") == problem.real
    assert str(problem) == f"{tmp_path / 'locked'}: unreadable: Permission denied"
    assert files(tmp_path) == [str(tmp_path / "open" / "y.txt")]


def test_an_unreadable_folder_reached_by_a_link_names_the_path_its_files_have(tmp_path, monkeypatch):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    (outside / "locked").mkdir(parents=True)
    os.symlink(outside, root / "link")
    deny(monkeypatch, root / "link" / "locked")
    [problem] = problems(root)
    assert isinstance(problem, UnreadableDir)
    assert problem.path == str(root / "link" / "locked")
    assert problem.real == str(outside / "locked")


def test_a_root_that_does_not_exist_is_missing(tmp_path):
    (tmp_path / "here.txt").write_text(TEXT)
    found = list(scan([tmp_path / "gone", tmp_path]))
    missing = [p for p in found if isinstance(p, Problem)]
    assert len(missing) == 1 and isinstance(missing[0], Missing)
    assert (missing[0].path, missing[0].reason) == (str(tmp_path / "gone"), "not found")
    assert [f[0] for f in found if not isinstance(f, Problem)] == [str(tmp_path / "here.txt")]


def test_a_root_that_is_a_dangling_link_is_missing(tmp_path):
    os.symlink(tmp_path / "unmounted", tmp_path / "archive")
    [problem] = problems(tmp_path / "archive")
    assert isinstance(problem, Missing) and problem.path == str(tmp_path / "unmounted")


def test_a_root_under_a_file_is_missing_and_one_that_cannot_be_looked_at_is_kept(tmp_path, monkeypatch):
    (tmp_path / "plain.txt").write_text(TEXT)
    [missing] = problems(tmp_path / "plain.txt" / "sub")
    assert isinstance(missing, Missing) and missing.reason == "not found"
    (tmp_path / "mount").mkdir()
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path) == str(tmp_path / "mount"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    [locked] = problems(tmp_path / "mount")
    assert isinstance(locked, UnreadableDir) and locked.path == str(tmp_path / "mount")
    assert locked.reason == "unreadable: Permission denied"
