"""HTML pages: main text without chrome, metadata, dates."""

from indexer.ingest.article import Article, Problem
from indexer.ingest.htmlpage import page_date, parse_page, parse_tree
from indexer.ingest.pipeline import Pipeline

PAGE = """<!DOCTYPE html>
<html lang="fr-FR"><head>
<title>Erevan se tourne vers l'Ouest | Le Quotidien</title>
<meta property="og:site_name" content="Le Quotidien">
<link rel="canonical" href="https://example.org/2023/11/erevan">
<meta property="article:published_time" content="2023-11-27T23:30:00+04:00">
</head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li></ul></nav>
<article>
<h1>Erevan se tourne vers l'Ouest</h1>
<p class="date">27 novembre 2023</p>
<p>L'Arménie tire les leçons de la chute du Haut-Karabakh. L'inaction des soldats de la paix russes,
déployés dans l'ancienne enclave séparatiste lorsque l'Azerbaïdjan a attaqué le 19 septembre,
a confirmé ce qu'Erevan dénonce depuis des mois : la Russie n'est plus un partenaire fiable.</p>
<p>Privé de son allié historique, le gouvernement de Nikol Pachinian cherche de nouveaux moyens
de coopérer afin d'assurer sa sécurité, notamment avec l'Union européenne et les États-Unis.</p>
<div class="share">Partager sur Facebook Partager sur Twitter</div>
</article>
<section class="comments"><h2>Commentaires</h2><p>Super article, merci beaucoup pour ce travail !</p></section>
<footer><p>© 2023 Le Quotidien. Tous droits réservés.</p><a href="/mentions">Mentions légales</a></footer>
</body></html>"""


def test_page_metadata_and_text():
    page = parse_page(PAGE)
    assert page.title == "Erevan se tourne vers l'Ouest | Le Quotidien"
    assert page.site_name == "Le Quotidien"
    assert page.url == "https://example.org/2023/11/erevan"
    assert page.lang == "fr"
    assert page.date == "2023-11-27" and page.date_source == "metadata"
    assert "L'Arménie tire les leçons" in page.text
    for chrome in ("Accueil", "Partager sur Facebook", "Super article", "Mentions légales"):
        assert chrome not in page.text


def test_local_time_beats_utc():
    # published 23:30 in Yerevan is 19:30 UTC: the same day; the reverse case shifts a day
    html = """<html><head>
    <meta property="article:published_time" content="2023-11-28T01:30:00+00:00">
    <script type="application/ld+json">{"datePublished": "2023-11-27T21:30:00-04:00"}</script>
    </head><body><h1>T</h1></body></html>"""
    assert page_date(parse_tree(html)) == ("2023-11-27", "metadata")


def test_visible_dateline_under_the_headline():
    html = """<html><body><h1>Titre</h1><div>Par Jeanne Dupont</div><div>30 septembre 2018</div>
    <p>Texte.</p></body></html>"""
    assert page_date(parse_tree(html)) == ("2018-09-30", "dateline")


def test_whole_pipeline_on_a_page():
    record = Pipeline().process(Article(id="p", path="p.html", html=PAGE))
    assert record.language == "fr"
    assert record.source == "Le Quotidien"
    assert record.date == "2023-11-27" and record.date_source == "metadata"
    names = {a.name for a in record.actors}
    assert {"Armenia", "Russia", "Azerbaijan", "Nikol Pashinyan", "European Union", "United States"} <= names
    assert "Tous droits réservés" not in record.text


def test_broken_and_empty_pages():
    record = Pipeline().process(Article(id="b", path="b.html", html="<html><body><div><p>Unclosed <b>tags"))
    assert not isinstance(record, Problem) or "no article text" in record.reason
    problem = Pipeline().process(Article(id="e", path="e.html", html="   "))
    assert isinstance(problem, Problem) and problem.reason == "empty page"
