"""Markup left in article text: markdown, template shortcodes, stray HTML, to plain lines.

Blog posts and feeds are often stored as their markdown source, and scrapers leave HTML
tags and entities behind. Before the text is split into paragraphs (:mod:`indexer.ingest.cleaning`)
this step keeps what a reader sees and drops what a renderer would consume:

* ``[text](url)`` and ``[text][ref]`` keep their text; images (``![alt](url)``) go with
  their alt text, which is a file name, a repeat of the caption or an accessibility note
  rather than the article's prose; reference definitions and footnote marks go;
* Hugo and Jekyll shortcodes (``{{< youtube … >}}``, ``{{% … %}}``, ``{% … %}``,
  ``{{ … }}``) go, and paired ones keep the text between them;
* headings keep their words without the ``#``; quote markers, list bullets, emphasis
  (``**bold**``, ``_em_``, ``~~struck~~``, ```code```) and backslash escapes go;
  thematic breaks go, and so do code blocks between fences (program text is in no
  language, and not what an archive of articles is searched for);
* HTML tags (known element names only, so ``<insert key>`` or ``a<b`` stay), comments,
  scripts and styles go, and entities are decoded;
* a bare URL alone on its line goes, and so do front matter (a site generator's
  settings at the top of a post) and its lines left in the text ("draft: false").

Text that is not markup is left alone: "C# programming", "5 * 3", "#MeToo", "snake_case".
"""

from __future__ import annotations

import html
import re

from .. import settings

# --- whole-text rules (they may span lines) --------------------------------------------------

COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_SPAN = f"{{0,{settings.SHORTCODE_MAX_CHARS}}}?"
SHORTCODE = re.compile(
    r"\{\{[<%]." + _SPAN + r"[%>]\}\}|\{%." + _SPAN + r"%\}"
    r"|\{\{\s*[\w.$]+(?:\s*\|[^{}\n]*)?\s*\}\}",
    re.DOTALL,
)
#: A link target: no spaces, balanced parentheses one level deep, an optional "title".
#: A title may hold quotes of its own, or miss its closing one, and be wrapped over lines;
#: it never runs into another link.
_CHAR = r"(?:(?!\]\()[^\n]|\n(?![ \t]*\n))"  # not into another link, nor past a paragraph
_TITLE = _CHAR + "{0,300}?"
_TARGET = (
    r"\(\s*<?(?:[^()\s<>]|\([^()\s]*\))*>?(?:\s+(?:\""
    + _TITLE
    + r"\"|'"
    + _TITLE
    + r"'|\""
    + _TITLE
    + r"|\([^()\n]*\)))?\s*\)"
)
#: ... also after a space when it is a web address ("[text] (https://…)", a common slip).
_AFTER = r"(?:" + _TARGET + r"| (?=\((?:https?://|www\.))" + _TARGET + r"|\[[^\[\]\n]*\])"
#: Link text and alt text may be hard-wrapped over lines.
IMAGE = re.compile(r"!\[[^\[\]]{0,500}\]" + _AFTER)
LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]\n]*\]){0,500})\]" + _AFTER)
#: Links damaged by hand or by translation (spaces or a stray parenthesis in the address, a
#: title missing its quote): a web address or a title, up to '")' or to a ')' that ends a word.
_LOOSE = (
    r"\]\(+\s*(?=(?:https?|ftp)://|www\.|\")(?:" + _TITLE + r"\"\s*\)+"
    r"|" + _TITLE + r"\)+(?=[\s.,;:!?\"'»\])]|$))"
)
LOOSE_IMAGE = re.compile(r"!\[[^\[\]]{0,500}" + _LOOSE)
LOOSE_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]\n]*\]){0,500})" + _LOOSE)
FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]{1,20}\]")
AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+)>")
TAG = re.compile(r"</?(?:" + "|".join(settings.HTML_TAGS) + r")\b(?:\s[^<>]*)?/?>", re.IGNORECASE)
BLOCK_TAG = re.compile(r"</?(?:" + "|".join(settings.HTML_BLOCK_TAGS) + r")\b(?:\s[^<>]*)?/?>", re.IGNORECASE)
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# --- line rules --------------------------------------------------------------------------------

#: A YAML or TOML front matter block at the top of a post, and a lone front matter line
#: left in the text ("draft: false"): a site generator's settings, not the article.
FRONT_MATTER = re.compile(
    r"\A\s*(?:---|\+\+\+)[ \t]*\n(?:[\w-]+[ \t]*[:=].*\n|[ \t]+.*\n|[ \t]*-.*\n)*?(?:---|\+\+\+)[ \t]*(?:\n|\Z)"
)
SETTING_LINE = re.compile(
    r"^(?:draft|layout|slug|weight|aliases|lastmod|publishdate|expirydate|toc|comments|"
    r"published|permalink|menu|markup)[ \t]*[:=][ \t]*[\"']?[\w:./+-]*[\"']?[ \t]*$",
    re.IGNORECASE,
)
FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})")
REFERENCE_DEFINITION = re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+")
#: "# Title", and "##Title" (two marks or more: "#MeToo" is a hashtag).
HEADING = re.compile(r"^(?:#{1,6}[ \t]+|#{2,6}(?=[^\s#]))(.*?)(?:[ \t]+#+)?[ \t]*$")
#: Attributes after a heading or a block: "{#an-id}", "{: .class}".
ATTRIBUTES = re.compile(r"[ \t]*\{[#.:][^{}\n]*\}[ \t]*$")
QUOTE = re.compile(r"^(?:[ \t]*>)+[ \t]?")
BULLET = re.compile(r"^(?:[ \t]*[-*+•][ \t]+)+")
NUMBERED = re.compile(r"^\d{1,3}[.)][ \t]")
BARE_URL = re.compile(r"^[<(]?(?:(?:https?|ftp)://|www\.)\S+?[>)]?[.,;]?$", re.IGNORECASE)
#: Emphasis closes before a space or punctuation, not inside a name ("__init__.py").
_CLOSE = r"(?![\w*]|\.\w)"
STRONG = re.compile(
    r"(?<![\w*])\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*"
    + _CLOSE
    + r"|(?<![\w_])__(?=[^\s_])(.+?)(?<=[^\s_])__"
    + _CLOSE.replace("*", "_")
)
EMPHASIS = re.compile(
    r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*"
    + _CLOSE
    + r"|(?<![\w_\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_"
    + _CLOSE.replace("*", "_")
)
STRUCK = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
CODE_SPAN = re.compile(r"(`+)(?=[^`\s])(.+?)(?<=[^`\s])\1(?!`)")
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # any ASCII punctuation may be escaped
HARD_BREAK = re.compile(r"[ \t]*\\$")

#: Cheap signs that a text has markup at all; text without any is returned untouched.
_SIGNS = (
    "](",
    "][",
    "{{",
    "{%",
    "<",
    "&",
    "```",
    "~~",
    "**",
    "__",
    "\\",
    "#",
    ">",
    "*",
    "_",
    "`",
    "- ",
    "+ ",
    "http",
    ": ",
    "---",
    "+++",
)


_URL_STARTS = frozenset("hHfFwW<(")


def _link_text(match: re.Match) -> str:
    """A link's text, on one line: a line break inside it is a soft wrap."""
    return match.group(1).replace("\n", " ")


def _first(match: re.Match) -> str:
    return next(g for g in match.groups() if g is not None)


def strip_inline(line: str) -> str:
    """Emphasis, struck text, code spans and backslash escapes of one line, as plain text."""
    if "`" in line:
        line = CODE_SPAN.sub(lambda m: m.group(2), line)
    if "**" in line or "__" in line:
        line = STRONG.sub(_first, line)
    if "*" in line or "_" in line:
        line = EMPHASIS.sub(_first, line)
    if "~~" in line:
        line = STRUCK.sub(lambda m: m.group(1), line)
    if "\\" in line:
        line = ESCAPE.sub(lambda m: m.group(1), HARD_BREAK.sub("", line))
    return line


def strip_line(line: str) -> tuple[str | None, int]:
    """One line outside code blocks without its markdown (None if it is only markup), and
    whether it starts a paragraph (a list item: 1) or is one by itself (a heading: 2)."""
    stripped = line.strip()
    if not stripped:
        return "", 0
    first = stripped[0]
    if first in _URL_STARTS and BARE_URL.match(stripped):
        return None, 0
    if first == "[" and REFERENCE_DEFINITION.match(stripped):
        return None, 0
    if ":" in stripped and SETTING_LINE.match(stripped):
        return None, 0
    alone = 0
    if first == ">":
        stripped = QUOTE.sub("", stripped)
        first = stripped[:1]
    if first in "-*+•":
        bullet = BULLET.match(stripped)
        if bullet:
            stripped, alone = stripped[bullet.end() :], 1
            first = stripped[:1]
    elif first.isdigit() and NUMBERED.match(stripped):
        alone = 1
    if first == "#":
        heading = HEADING.match(stripped)
        if heading:
            stripped, alone = heading.group(1), 2
    if stripped.endswith("}"):
        stripped = ATTRIBUTES.sub("", stripped)
    stripped = strip_inline(stripped)
    if stripped[:1] in _URL_STARTS and BARE_URL.match(stripped):
        return None, 0
    return stripped, alone


def strip_markup(text: str) -> str:
    """``text`` without markdown, shortcodes, HTML tags and entities; one line per line.

    It runs before characters are normalised, so that the characters entities stand for
    ("&nbsp;", "&rsquo;") are normalised too."""
    if not any(sign in text for sign in _SIGNS):
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.lstrip()[:3] in ("---", "+++"):
        text = FRONT_MATTER.sub("", text, count=1)
    if "{" in text:
        text = SHORTCODE.sub("", text)
    if "<" in text:
        text = COMMENT.sub("", text)
        text = SCRIPT.sub("", text)
        text = AUTOLINK.sub(lambda m: m.group(1), text)
        text = BLOCK_TAG.sub("\n", text)
        text = TAG.sub("", text)
    if "&" in text:
        text = ENTITY.sub(lambda m: html.unescape(m.group()), text)
    if "](" in text or "][" in text:
        text = IMAGE.sub("", text)
        text = LINK.sub(_link_text, text)
        if "](" in text:
            text = LOOSE_IMAGE.sub("", text)
            text = LOOSE_LINK.sub(_link_text, text)
    if "[^" in text:
        text = FOOTNOTE_MARK.sub("", text)
    lines = []
    in_code = False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
            lines.append("")  # a fence ends the paragraph before it
            continue
        if in_code:
            continue
        kept, alone = strip_line(line)
        if kept is None:
            continue
        if alone:  # blank lines around it: no hard-wrapped paragraph swallows it
            lines += ["", kept, ""] if alone == 2 else ["", kept]
        else:
            lines.append(kept)
    return "\n".join(lines)
