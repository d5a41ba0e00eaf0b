"""Cleaning rules, one by one, and together."""

import pytest

from indexer.ingest import cleaning
from indexer.ingest.cleaning import clean


@pytest.mark.parametrize(
    "line",
    [
        "(Also: Two North Korean defectors tell what it's like)",
        "(See also: South Korea takes measures)",
        "(You can read: China and Syria announce a relationship)",
        "(In context: Azerbaijan and separatist groups begin talks)",
        "(Also read: Kazakhstan asks to join the Security Council)",
        "Lire aussi : La Russie et l'Arménie",
        "À lire aussi » Ballonnements",
        "À lire aussi",
    ],
)
def test_see_also_lines(line):
    assert cleaning.is_see_also_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Also, the minister said the talks would resume.",
        "See you in court, he said.",
        "Read the full statement below.",
    ],
)
def test_see_also_leaves_sentences(line):
    assert not cleaning.is_see_also_line(line)


def test_see_also_tail_is_cut_and_sentence_kept():
    p = "It proved ineffective. See also First RFEF Group 2: results of matchday 33"
    assert cleaning.cut_see_also_tail(p) == "It proved ineffective."
    untouched = "Officials will see also whether the truce holds."
    assert cleaning.cut_see_also_tail(untouched) == untouched


def test_sponsor_and_navigation_lines():
    assert cleaning.is_sponsor_line("Sponsor:  QWIKET: Elevate your fantasy game!")
    assert cleaning.is_sponsor_line("Publicité")
    assert not cleaning.is_sponsor_line("Sponsors of the ceasefire met in Moscow.")
    assert cleaning.is_navigation("back") and cleaning.is_navigation("Topic") and cleaning.is_navigation("Partager")
    assert not cleaning.is_navigation("Back to the negotiating table")


@pytest.mark.parametrize(
    "line, share",
    [
        ("You have 36.66% of this article left to read. The following is for subscribers only.", 36.66),
        ("You still have 30.45% of this article left to read. The rest is reserved for subscribers.", 30.45),
        ("Il vous reste 63% de cet article à lire. La suite est réservée aux abonnés.", 63.0),
        ("Il vous reste 63,5 % de cet article à lire.", 63.5),
        ("La suite est réservée aux abonnés.", None),
    ],
)
def test_paywall_notices(line, share):
    assert cleaning.paywall_notice(line) == (True, share)


def test_paywall_notice_is_not_a_sentence_about_paywalls():
    assert cleaning.paywall_notice("Readers said they have 60% less time to read.") == (False, None)


@pytest.mark.parametrize(
    "line",
    [
        "© 2022, Example News. All rights reserved.",
        "Follow us on Twitter and Instagram",
        "Tags: Armenia, Russia",
        "(Credit: Jane Doe / Agency)",
        "Suivez-nous sur Facebook",
        "Subscribe now to our daily edition for the full story.",
    ],
)
def test_boilerplate_lines(line):
    assert cleaning.is_boilerplate(line)


def test_boilerplate_leaves_reporting():
    assert not cleaning.is_boilerplate("The photo shows troops near Lachin, officials said.")
    assert not cleaning.is_boilerplate("Armenia will subscribe to the EU mission's terms, he added.")


def test_normalisation_of_spaces_and_quotes():
    text = cleaning.normalize_characters("“Yes,”\u00a0he said\u200b \u2019twas\r\nnew")
    assert text == '"Yes," he said \'twas\nnew'
    assert cleaning.normalize_spaces("  a   b , c .") == "a b, c."


def test_split_paragraphs_keeps_lines_and_joins_hard_wraps():
    text = (
        "Short heading\n"
        "This is a long line of a hard-wrapped paragraph that goes on and on\n"
        "and continues here in lower case.\n\n"
        "Next paragraph."
    )
    assert cleaning.split_paragraphs(text) == [
        "Short heading",
        "This is a long line of a hard-wrapped paragraph that goes on and on and continues here in lower case.",
        "Next paragraph.",
    ]


def test_header_chrome_is_stripped_keeping_source_and_dateline():
    text = "\n".join(
        [
            "DAILY WIRE DIGEST",
            "Mar 3, 2026 | 12 |",
            "| Springfield, IL",
            "Sponsor: ACME",
            "back",
            "Le Figaro",
            "12 février 2024",
            "Photo AFP",
            "Armenia and Azerbaijan agreed on a first stretch of their border, officials said on Monday.",
            "AFP",
        ]
    )
    result = clean(text)
    assert result.paragraphs == [
        "Armenia and Azerbaijan agreed on a first stretch of their border, officials said on Monday."
    ]
    assert result.source == "Le Figaro"
    assert [d.isoformat() for d in result.header_dates] == ["2024-02-12"]


def test_credit_line_at_the_end_is_the_source():
    result = clean("The talks went on for hours, diplomats said on Friday evening.\nReuters")
    assert result.source == "Reuters"
    assert result.paragraphs == ["The talks went on for hours, diplomats said on Friday evening."]


def test_paywall_marks_truncated():
    result = clean(
        "One paragraph of the article, long enough to be a body one.\n"
        "Il vous reste 63% de cet article à lire. La suite est réservée aux abonnés."
    )
    assert result.truncated and result.remaining_percent == 63.0
    assert len(result.paragraphs) == 1


# --- paragraphs without letters ----------------------------------------------------------------


def test_paragraphs_without_a_letter_are_dropped():
    text = (
        "First paragraph of the story, long enough to be the article's body text.\n\n"
        "\\\n\n–\n\n>\n\n***\n\n78,000\n\n{\n\n"
        "Second paragraph of the story, which goes on after the debris."
    )
    assert clean(text).paragraphs == [
        "First paragraph of the story, long enough to be the article's body text.",
        "Second paragraph of the story, which goes on after the debris.",
    ]


# --- markup -----------------------------------------------------------------------------------------


def paragraphs(text):
    return clean(text).paragraphs


def test_markdown_links_keep_their_text():
    text = (
        'The minister [said on Monday](https://example.org/news/a_(b) "The statement") that '
        "talks would resume, according to [the agency][1] and [its wire](<https://example.org/x>).\n\n"
        "[1]: https://example.org/agency"
    )
    assert paragraphs(text) == [
        "The minister said on Monday that talks would resume, according to the agency and its wire."
    ]


def test_damaged_and_wrapped_markdown_links_keep_their_text():
    text = (
        'The report was [published\nlast week](https://example.org/a "Its title") and '
        '[quoted widely](https://example.org/b_(c%29 "A "quoted" title") by the press, and '
        "[copied] (https://example.org/c) elsewhere."
    )
    assert paragraphs(text) == [
        "The report was published last week and quoted widely by the press, and copied elsewhere."
    ]


def test_images_go_with_their_alt_text():
    text = (
        "The delegations met in Geneva on Tuesday morning for a third round.\n\n"
        '![Delegates at the table](/static/img/2019/talks.jpg "Delegates")\n\n'
        "A second round ![icon](i.png) is planned for the spring."
    )
    assert paragraphs(text) == [
        "The delegations met in Geneva on Tuesday morning for a third round.",
        "A second round is planned for the spring.",
    ]


def test_shortcodes_go_and_paired_ones_keep_their_text():
    text = (
        '{{< youtube "abcdefghijk" >}}\n\n'
        "The protest began at noon. {{< tweet 1234567890 >}}\n\n"
        "{{% note %}}Police closed the bridge for two hours.{{% /note %}}\n\n"
        '{% include figure.html src="x.jpg" %}\n\n'
        '{{< image srcwebp="/img/1.webp"\n  title="A crowd on the bridge" >}}\n\n'
        "Written by {{ .Params.author }} for the site."
    )
    assert paragraphs(text) == [
        "The protest began at noon.",
        "Police closed the bridge for two hours.",
        "Written by for the site.",
    ]


def test_lone_markup_lines_go_and_marked_lines_keep_their_words():
    text = (
        "#### The border talks\n\n---\n\n***\n\n___\n\n"
        "> The negotiations **will** continue, _he said_, and ~~nothing~~ was *agreed*.\n"
        "> > Nested quote.\n\n"
        "- first point of the list\n- - second point\n* third point\n\n"
        "Title of a section\n==================\n\n"
        "https://example.org/a/bare/link\n\n"
        '<div class="note">A note in <b>HTML</b> left by the scraper &amp; co.</div><br/>\n\n'
        "<!-- more -->\n\n"
        "Heading with an id {#border-talks}\n\n"
        "They\\'ve said \\*not\\* this.\\\n"
    )
    assert paragraphs(text) == [
        "The border talks",
        "The negotiations will continue, he said, and nothing was agreed.",
        "Nested quote.",
        "first point of the list",
        "second point",
        "third point",
        "Title of a section",
        "A note in HTML left by the scraper & co.",
        "Heading with an id",
        "They've said *not* this.",
    ]


def test_code_blocks_go():
    text = (
        "Install the package first, then restart the service as shown below.\n\n"
        "```bash\n$ sudo apt install wireguard\n# a comment\n```\n\n~~~\nrm -rf /tmp/x\n~~~\n\n"
        "The tunnel then comes up on its own."
    )
    assert paragraphs(text) == [
        "Install the package first, then restart the service as shown below.",
        "The tunnel then comes up on its own.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "C# programming is taught in the second year, alongside #MeToo coverage.",
        "The formula 5 * 3 * 2 gives thirty, and 2*3*4 gives twenty-four.",
        "Rename snake_case_name and __init__.py before the release, said the_maintainer.",
        "PrivateKey = <insert server_private_key> and a < b > c hold, as do x<y and AT&T.",
        "Use the [brackets] for (parentheses) and [notes] (as here), he wrote.",
        "Item #3 on the agenda was the border, and item #4 the railway.",
    ],
)
def test_markup_rules_leave_normal_text_alone(line):
    assert paragraphs(line) == [line]


# --- hard-wrapped text --------------------------------------------------------------------------------


def test_hard_wrapped_paragraphs_are_joined():
    text = (
        "For a SIM card with five gigabytes of traffic, people pay around forty\n"
        "dollars a month. Not enough: the use of a number is limited, so that\n"
        "additional costs come with every extension. The cheapest option is a\n"
        "SIM card with a messaging flat rate for about four dollars.\n\n"
        "Next paragraph."
    )
    assert paragraphs(text) == [
        "For a SIM card with five gigabytes of traffic, people pay around forty dollars a month. "
        "Not enough: the use of a number is limited, so that additional costs come with every "
        "extension. The cheapest option is a SIM card with a messaging flat rate for about four dollars.",
        "Next paragraph.",
    ]


def test_lines_of_a_header_are_not_joined():
    text = (
        "Talks resume on the border between the two countries today\n"
        "Armenia and Azerbaijan agreed on a first stretch of their border, officials said on Monday.\n"
        "The commission will meet again in May, according to both foreign ministries."
    )
    assert len(paragraphs(text)) == 3


# --- share, follow, print, subscribe -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # English
        "Share on Twitter",
        "Share this article",
        "Share:",
        "Share on Facebook, X and WhatsApp",
        "Follow us on Instagram",
        "Follow The Daily Example on X",
        "Join the conversation on Telegram",
        "Print this article",
        "Printer-friendly version",
        "Subscribe to our newsletter",
        "Subscribe to our YouTube channel",
        "Facebook Twitter LinkedIn Email",
        # French
        "Partager sur Facebook",
        "Partager cet article",
        "Suivez-nous sur X",
        "Suivez Le Quotidien sur Instagram",
        "Abonnez-vous à notre newsletter",
        "Abonnez-vous à notre chaîne YouTube",
        "Imprimer cet article",
        "Retrouvez-nous sur Facebook",
        # German
        "Teilen auf Facebook",
        "Auf Facebook teilen",
        "Diesen Artikel teilen",
        "Folgen Sie uns auf Twitter",
        "Artikel drucken",
        "Newsletter abonnieren",
        # Russian
        "Поделиться",
        "Поделиться в VK",
        "Подписывайтесь на нас в Telegram",
        "Мы в Telegram",
        "Версия для печати",
    ],
)
def test_share_follow_print_subscribe_lines(line):
    assert cleaning.is_boilerplate(line)
    assert paragraphs(f"The minister spoke for an hour on Monday about the border.\n{line}") == [
        "The minister spoke for an hour on Monday about the border."
    ]


@pytest.mark.parametrize(
    "line",
    [
        "You don't have to share this view, but it's important to understand why it spreads.",
        "Vous n'avez pas à partager ce point de vue, mais il est important de le comprendre.",
        "Man muss diese Sicht nicht teilen, aber es ist wichtig, das zu verstehen.",
        "Поделиться своими мыслями он не захотел, сказал источник агентства.",
        "Follow the money, the investigators said after the hearing.",
        "Share prices fell sharply on Monday in Moscow.",
        "Print media lost half of their readers in ten years.",
        "Subscribers to the service lost their data in the attack.",
        "Germany must follow these developments and take further action.",
    ],
)
def test_sentences_with_share_or_follow_words_stay(line):
    assert not cleaning.is_boilerplate(line)


# --- boilerplate families ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # copyright
        "© 2024 Example Media Group",
        "Copyright 2021 by Example Press",
        "Tous droits réservés.",
        "Alle Rechte vorbehalten.",
        "Reproduction interdite",
        "Toute reproduction sans autorisation est interdite.",
        "No part of this publication may be reproduced without the prior consent of the publisher.",
        "This content is the property of Example Media.",
        "Les contenus de ce site sont la propriété exclusive d'Example.",
        # newsletter and alerts
        "Sign up for our daily newsletter",
        "Get our free weekly briefing in your inbox",
        "Recevez nos alertes",
        "Inscrivez-vous à notre lettre d'information",
        "Want to stay informed?",
        "Vous souhaitez être alerté des prochaines publications ?",
        "Don't miss any of our stories",
        "Ne manquez rien de l'actualité",
        "Stay up to date with the latest news",
        "Turn on notifications",
        "Restez informés",
        # letters to the editor
        "Send us your letters",
        "Send us your letters to the editor",
        "Write to us",
        "Have your say",
        "Écrivez-nous",
        "Courrier des lecteurs",
        "Envoyez-nous vos témoignages",
        # photo credits
        "Photo: AFP",
        "Crédit photo : Reuters",
        "(Image: Jane Doe)",
        "(illustration)",
        "Photo d'illustration",
        "Illustrative image",
        "File photo",
        "Image d'illustration.",
        "Photo by Jane Doe/Example",
    ],
)
def test_boilerplate_families(line):
    assert cleaning.is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Copyright law was reformed in 2019, the minister said.",
        "The photo shows troops near Lachin, officials said.",
        "Photos de l'attaque publiées par le ministère ont circulé dimanche.",
        "Send a letter of protest to Moscow, the opposition urged the government.",
        "The footage cannot be broadcast in Russia, the regulator said.",
        "Reproductive rights were at the centre of the debate in parliament.",
        "Want to see how the vote went? The results are in the table below.",
    ],
)
def test_boilerplate_families_leave_reporting(line):
    assert not cleaning.is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to read",
        "Abonnez-vous pour lire la suite",
        "Réservé aux abonnés",
        "Cet article est réservé aux abonnés.",
        "The rest of this article is for subscribers only.",
        "Pour accéder à l'intégralité de cet article, abonnez-vous.",
        "Already a subscriber? Sign in",
        "Sign in to continue reading",
        "Déjà abonné ? Connectez-vous",
        "Dieser Artikel ist nur für Abonnenten",
    ],
)
def test_paywall_families(line):
    assert cleaning.paywall_notice(line) == (True, None)
    result = clean(f"The minister spoke for an hour on Monday about the border.\n{line}")
    assert result.truncated and result.paragraphs == ["The minister spoke for an hour on Monday about the border."]


@pytest.mark.parametrize(
    "line",
    [
        "L'article est disponible en anglais sur le site du ministère.",
        "Pour lire l'article de la revue, il faut passer par la bibliothèque.",
        "Subscribers to the channel grew by a third last year.",
    ],
)
def test_paywall_families_leave_reporting(line):
    assert cleaning.paywall_notice(line) == (False, None)


@pytest.mark.parametrize(
    "line",
    [
        "You may also like",
        "You might also like:",
        "Related articles",
        "Recommended for you",
        "Vous aimerez aussi",
        "Vous pourriez aussi être intéressé par :",
    ],
)
def test_recommended_reading_lines(line):
    assert cleaning.is_see_also_line(line)
