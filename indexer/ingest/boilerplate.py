"""Lines that belong to the site, not to the article: general families of boilerplate.

:mod:`indexer.ingest.cleaning` drops a line when one of these families recognises it. Each family
is the way sites in general word one kind of notice, in English and French (German and
Russian where it costs one more alternative), never one site's sentence:

* copyright notices: "© …", "Copyright …", "All rights reserved", "Tous droits réservés",
  "Reproduction interdite", "… may not be reproduced without permission", "This content is
  the property of …";
* newsletter and alert prompts: "Sign up for our newsletter", "Recevez nos alertes",
  "Want to stay informed?", "Don't miss out", "Stay up to date", "Turn on notifications";
* letters-to-the-editor and feedback prompts: "Send us your letters", "Write to us",
  "Have your say", "Écrivez-nous", "Courrier des lecteurs";
* share, follow, print and subscribe lines: a verb of sharing, following, printing or
  subscribing, an optional "on/sur/auf/в", and a social network or "this article/cet
  article/newsletter" ("Share on Twitter", "Auf Facebook teilen", "Suivez-nous sur X",
  "Поделиться"), or a row of network names;
* photo credits: "Photo: …", "Crédit photo : …", "Image: …", "(illustration)", "File photo";
* taxonomy: "Tags: …", "Catégories : …", "Filed under: …";
* paywall notices: "Subscribe to read", "Abonnez-vous pour lire la suite", "Réservé aux
  abonnés", "Cet article est réservé …", "You have 60% of this article left to read".

Every family applies to short lines only (a sentence of the article that happens to begin
with "Follow" is longer than a prompt), and anchors at the start of the line.
"""

from __future__ import annotations

import re

from .. import settings

_I = re.IGNORECASE

# --- copyright ---------------------------------------------------------------------------------

COPYRIGHT_MARK = re.compile(
    r"^[\(\[]?\s*(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}|by\b|:)|\u2117)"
    r"|\b(?:all rights reserved|tous droits réservés|alle rechte vorbehalten|все права защищены|"
    r"todos los derechos reservados|tutti i diritti riservati)\b",
    _I,
)
_REPRODUCE = r"(?:reproduc\w*|republi\w*|redistribut\w*|reprint\w*|copied|vervielfältig\w*|воспроизвед\w*|перепечат\w*)"
_PERMISSION = (
    r"(?:permission|consent|authori[sz]ation|autorisation|accord|consentement|genehmigung|"
    r"zustimmung|разрешени\w*|согласи\w*)"
)
#: Terms of use in one short line: "Reproduction interdite", "… may not be reproduced without
#: permission", "Toute reproduction sans autorisation est interdite", "This content is the
#: property of …".
COPYRIGHT_TERMS = re.compile(
    r"^(?:toute |any |no )?(?:\w+ ){0,3}" + _REPRODUCE + r"\b.{0,100}?\b(?:interdite?s?|prohibited|forbidden|"
    r"not permitted|without (?:the |our )?(?:\w+ ){0,3}"
    + _PERMISSION
    + r"|sans (?:l'|notre |son |leur )?(?:\w+ ){0,2}"
    + _PERMISSION
    + r"|ohne (?:\w+ ){0,3}"
    + _PERMISSION
    + r"|без (?:\w+ ){0,2}"
    + _PERMISSION
    + r"|запрещен\w*|verboten)"
    r"|^(?:(?:this|the|all|these|any|our) |(?:tout(?:es)? )?(?:le |les |ce |cet |cette |ces |nos ))(?:\w+ ){0,3}?"
    r"(?:article|content|contents|material|materials|text|texts|story|stories|photos?|images?|"
    r"videos?|site|website|contenus?|textes?|articles?|vidéos?) (?:\w+ ){0,4}?"
    r"(?:is|are|remains?|est|sont|reste|restent) (?:the |la |l')?(?:exclusive |sole |copyrighted |"
    r"intellectual |propriété (?:exclusive |intellectuelle )?)?(?:property|propriété|copyright)\b"
    r"|^(?:\w+ ){0,6}(?:may not|must not|cannot|shall not|can not|ne (?:peu(?:ven)?t|doi(?:ven)?t) (?:pas )?(?:être )?)"
    r"(?:be )?(?:\w+ ){0,2}?"
    + _REPRODUCE
    + r"|^no part of (?:\w+ ){1,4}?(?:may|can|shall|must) be (?:\w+ ){0,2}?"
    + _REPRODUCE,
    _I,
)

# --- newsletter and alert prompts -------------------------------------------------------------

_NEWSLETTER = (
    r"(?:newsletters?|news ?letters?|alerts?|alertes?|bulletins?|notifications?|e-?mails?|inbox|"
    r"digest|briefings?|lettres? d'information|lettres? d'info|infolettres?|courriels?|"
    r"updates|mailing list|рассылк\w*|уведомлени\w*)"
)
NEWSLETTER = re.compile(
    # "Sign up for our newsletter", "Inscrivez-vous à la lettre d'information"
    r"^(?:sign up|signup|subscribe|register|s'inscrire|inscri(?:vez|s)-vous|inscription|abonnez-vous|"
    r"je m'abonne|je m'inscris|melden sie sich|abonnieren sie|подпишитесь|подписаться)\b.{0,80}?\b"
    + _NEWSLETTER
    + r"\b"
    # "Subscribe now", "Subscribe to our daily edition", "Abonnez-vous dès maintenant"
    r"|^(?:subscribe|sign up|abonnez-vous|inscrivez-vous|abonnieren sie|подпишитесь)(?: now| today| maintenant|"
    r" dès maintenant| dès aujourd'hui| jetzt| сейчас)?(?:\s+(?:to|for|à|au|aux|pour|auf|на)\s+(?:our|my|the|a|an|"
    r"notre|nos|la|le|un|une|unseren|unsere|den|наш\w*)\b|(?: now| today| maintenant| dès maintenant| jetzt| сейчас)\b)"
    # "Get our free daily newsletter", "Recevez nos alertes"
    r"|^(?:get|receive|enter your e-?mail|recevez|recevoir|erhalten sie|получайте)\b.{0,30}?"
    r"\b(?:our|the|free|nos|notre|la|les|unseren|unsere|den|наш\w*)\b.{0,40}?\b" + _NEWSLETTER + r"\b"
    # "Want to stay informed?", "Vous souhaitez être alerté ?", "Möchten Sie informiert werden?"
    r"|^(?:do you want|would you like|want|vous (?:souhaitez|voulez)|souhaitez-vous|voulez-vous|"
    r"envie|möchten sie|wollen sie|хотите)\b.{0,60}?\b(?:informed|notified|alerted|up to date|updated|"
    r"receive|get (?:our|the latest)|informée?s?|alertée?s?|recevoir|au courant|informiert|"
    r"получать|быть в курсе)\b"
    # "Don't miss out", "Ne manquez rien", "Stay up to date", "Turn on notifications"
    r"|^(?:never|don't|do not) miss (?:out|a|an|any|another|the latest|our)\b"
    r"|^ne (?:manquez|ratez) (?:plus |rien|aucun|aucune|pas)"
    r"|^verpassen sie (?:nichts|keine)"
    r"|^stay (?:informed|up to date|up-to-date|updated|in the know|tuned)\b|^keep up to date with\b"
    r"|^restez (?:informée?s?|au courant|connectée?s?)\b"
    r"|^bleiben sie (?:informiert|auf dem laufenden)"
    r"|^будьте в курсе"
    r"|^(?:turn on|enable|activate|allow|activez|activer|autorisez) (?:the |les |our |nos )?"
    r"(?:push |browser )?(?:notifications|alerts|alertes)",
    _I,
)

# --- letters to the editor and feedback ---------------------------------------------------------

_OPINION = (
    r"(?:letters?|comments?|views|opinions?|op-eds?|tips?|news tips?|stor(?:y|ies)|photos?|"
    r"feedback|thoughts|experiences?)"
)
LETTERS = re.compile(
    r"^(?:send|submit|email|e-mail|mail) (?:us )?your " + _OPINION + r"\b"
    r"|^(?:send|submit|email|e-mail|write) us (?:a |an |your )?" + _OPINION + r"\b"
    r"|^share your (?:views|thoughts|story|stories|opinion|comments|photos|experience)\b"
    r"|^(?:write to us|write to the editor|letters? to the editor|have your say|got a (?:news )?tip|"
    r"tell us what you think|contact the (?:editor|newsroom)|"
    r"écrivez-nous|écrire à la rédaction|courrier des lecteurs|envoyez-nous (?:vos|votre)|"
    r"donnez(?:-nous)? votre avis|votre avis nous intéresse|réagissez|réagir à cet article|"
    r"leserbriefe?|schreiben sie uns|напишите нам)\b",
    _I,
)

# --- share, follow, print, subscribe -----------------------------------------------------------

_NETWORK = (
    "(?:" + "|".join(re.escape(n) for n in sorted(settings.SOCIAL_NETWORKS, key=len, reverse=True)) + r")(?![\w+])"
)
_NETWORKS = (
    _NETWORK + r"(?:\s*(?:,|/|\||&|\band\b|\bet\b|\bund\b|\bи\b|\bor\b|\bou\b|\boder\b|\bили\b)?\s*" + _NETWORK + ")*"
)
_THIS = (
    r"(?:this|the|cet|cette|ce|l'|la|le|diesen|diese|dieses|den|die|das|эт\w+)\s*(?:article|story|post|page|"
    r"video|vidéo|news|artikel|beitrag|seite|статью|статьей|новость\w*|материал\w*|видео)"
)
_ON = r"(?:on|via|to|with|by|in|sur|par|avec|auf|über|per|bei|в|во|на|через)"
SOCIAL = re.compile(
    r"^[^\w@#]{0,3}(?:"
    # "Share", "Share this article", "Share on Facebook", "Partager sur X", "Поделиться в VK"
    r"(?:share|tweet|post|pin|send|e-?mail|partager|partagez|partage|envoyer|teilen|teile|senden|"
    r"versenden|поделиться|поделитесь|отправить)(?: it| ça)?(?:\s+" + _THIS + r")?"
    r"(?:\s*" + _ON + r"\s+" + _NETWORKS + r")?"
    # "Auf Facebook teilen", "Diesen Artikel teilen", "Artikel drucken"
    r"|(?:" + _ON + r"\s+)?" + _NETWORKS + r"\s+(?:teilen|partager|share|поделиться)"
    r"|(?:(?:this|cet|l'|diesen|den|эту)\s*)?(?:article|story|page|artikel|beitrag|seite|статью)\s+"
    r"(?:teilen|drucken|versenden|merken|partager|imprimer|share|print)"
    # "Follow us on X", "Suivez Le Monde sur Instagram", "Join the conversation on Telegram"
    r"|(?:follow|like|join|find|connect with|watch|listen to|suivez|suivre|rejoignez|retrouvez|"
    r"aimez|folgen sie|folge|besuchen sie|следите за|подписывайтесь на|подпишитесь на|"
    r"присоединяйтесь к)(?:[-\s](?:us|me|nous|uns|нами|нас|@[\w.]+|(?:[\w'.-]+\s+){0,3}?[\w'.-]+))?"
    r"(?:\s*" + _ON + r"\s+" + _NETWORKS + r")"
    r"|(?:follow us|suivez-nous|folgen sie uns|folge uns|следите за нами|подписывайтесь)"
    r"(?:\s+(?:on|sur|auf|в|на))?(?:\s+" + _NETWORKS + r")?"
    r"|мы\s+(?:в|на)\s+"
    + _NETWORKS
    +
    # "Print", "Print this article", "Imprimer cet article", "Версия для печати"
    r"|(?:print|imprimer|drucken|распечатать|печать)(?:\s+"
    + _THIS
    + r")?"
    r"|(?:printer-friendly|printable|print|version imprimable|druckversion|версия для печати)(?: version)?"
    # "Subscribe", "Subscribe to our newsletter", "Abonnez-vous à notre chaîne YouTube"
    r"|(?:subscribe|abonnez-vous|s'abonner|abonnieren(?: sie)?|подпишитесь|подписаться)"
    r"(?:\s+(?:to|on|à|a|auf|на)\s+(?:our |the |my |notre |nos |la |le |ma |unseren |unsere |den |наш\w* |нас )?"
    r"(?:\w+ )?(?:newsletter|channel|chaîne|podcast|feed|flux|rss|mailing list|kanal|канал|рассылку|"
    + _NETWORKS
    + r"))?(?:\s+(?:newsletter|channel|chaîne|kanal|канал|"
    + _NETWORKS
    + r"))?"
    r"|newsletter (?:abonnieren|bestellen)"
    r")\s*[:.!»>→]*\s*$",
    _I,
)
#: A row of network names only ("Facebook Twitter LinkedIn E-mail").
NETWORK_ROW = re.compile(r"^(?:" + _NETWORK + r"[\s,|/·•]*){2,}$", _I)

# --- photo credits, taxonomy ------------------------------------------------------------------

_PICTURE = r"(?:photos?|images?|pictures?|pics?|illustrations?|infographics?|fotos?|bild|bilder|фото)"
CREDIT = re.compile(
    # "Photo: AFP", "Crédit photo : Reuters", "(Image: Jane Doe)"
    r"^[\(\[]?\s*(?:" + _PICTURE + r"|credits?|crédits?|crédits? photos?|photo credits?|image credits?|"
    r"source (?:photo|image)|bildquelle)\s*:"
    # "Photo by Jane Doe", "Photo par …", "Foto von …"
    r"|^[\(\[]?\s*(?:" + _PICTURE + r")\s+(?:by|par|von|courtesy(?: of)?|credit|credits|via|©)\b"
    # "(illustration)", "Photo d'illustration", "Illustrative image", "File photo"
    r"|^[\(\[]?\s*(?:(?:" + _PICTURE + r")(?:\s+(?:d'illustration|d'archives?|illustratives?|"
    r"of illustration|for illustration(?: purposes)?(?: only)?|only))?|(?:illustrative|illustration|file|stock|"
    r"archive|handout|representative|representational|symbol)\s+" + _PICTURE + r")\s*[\)\]]?\s*[.:]?\s*$",
    _I,
)
TAXONOMY = re.compile(
    r"^(?:categor(?:y|ies)|catégories?|tags?|mots-clés|mots clés|keywords|filed under|posted in|"
    r"schlagwörter|schlagworte|themen|теги|метки|рубрики?)\s*:",
    _I,
)

# --- paywall ---------------------------------------------------------------------------------------

PAYWALL_SHARE = re.compile(
    r"^(?:You (?:still )?have (?P<en>\d+(?:[.,]\d+)?) ?% of this article (?:left )?to read"
    r"|Il vous reste (?P<fr>\d+(?:[.,]\d+)?) ?% de cet article à lire)",
    _I,
)
_SUBSCRIBERS = r"(?:(?:our |paying |premium |digital )*(?:subscribers|members)|(?:nos |les )?abonnés|abonnenten)"
PAYWALL = re.compile(
    # "The rest of this article is for subscribers", "This story is reserved for members"
    r"^(?:the rest|the remainder|the full (?:article|story|text)|(?:this|the) (?:full )?(?:article|story|content|piece|post))"
    r"(?: of (?:this|the) (?:article|story))? is (?:only )?(?:for|reserved (?:for|to)|available (?:only )?to|"
    r"exclusive to|exclusively for|open to)(?: only)? "
    + _SUBSCRIBERS
    + r"|^(?:subscribers|members) only\b|^(?:for |exclusive to |reserved for )"
    + _SUBSCRIBERS
    + r"(?: only)?\s*\.?$"
    # "Subscribe to read", "Sign in to continue reading", "Become a member to unlock"
    r"|^(?:subscribe|sign (?:up|in)|log ?in|register|become a (?:subscriber|member)|start (?:your|a) (?:free )?"
    r"(?:trial|subscription))\b.{0,60}?\bto (?:read|continue|keep reading|unlock|access|get (?:full|unlimited) access)"
    r"|^(?:already (?:a )?(?:subscriber|member|subscribed)|(?:get|enjoy) unlimited (?:digital )?access|"
    r"unlock (?:this|the full|unlimited)|to (?:continue|keep) reading|to read (?:the|this) (?:full|rest|whole|entire))"
    # "La suite est réservée aux abonnés", "Cet article est réservé …", "Réservé aux abonnés"
    r"|^(?:la suite|le reste|l'intégralité)(?: de (?:cet|l') article)? (?:est|sont) (?:réservée?s?|accessibles?|"
    r"disponibles?|ouverte?s?) (?:à |aux |pour )(?:nos |les )?(?:abonnés|membres|inscrits)"
    r"|^(?:cet|l'|ce) ?(?:article|contenu|dossier) (?:est|vous est) (?:réservé|accessible|disponible|ouvert)"
    r"(?: \w+){0,2}? (?:à nos|aux|pour les) (?:abonnés|membres|inscrits)"
    r"|^(?:article |contenu )?réservée? (?:à nos|aux) abonnés"
    # "Abonnez-vous pour lire la suite", "Pour lire la suite, abonnez-vous", "Déjà abonné ?"
    r"|^(?:abonnez-vous|inscrivez-vous|connectez-vous|identifiez-vous|je m'abonne)\b.{0,60}?\b(?:pour|afin de) "
    r"(?:lire|continuer|accéder|débloquer|profiter|poursuivre)"
    r"|^pour (?:lire|continuer|accéder|débloquer|profiter|poursuivre)\b.{0,60}?\b(?:la suite|cet article|"
    r"l'intégralité|abonn\w*)"
    r"|^déjà abonnée?\b"
    # German
    r"|^(?:weiterlesen mit|jetzt (?:abonnieren und )?weiterlesen|(?:dieser artikel|der artikel) ist (?:nur )?"
    r"für (?:abonnenten|abonnentinnen)|bereits abonnent)",
    _I,
)


def is_copyright(p: str) -> bool:
    """A copyright mark (any short line), or terms of use (a prompt-length line)."""
    if len(p) > settings.BOILERPLATE_MAX_CHARS:
        return False
    return bool(COPYRIGHT_MARK.search(p)) or len(p) <= settings.PROMPT_MAX_CHARS and bool(COPYRIGHT_TERMS.match(p))


def is_prompt(p: str) -> bool:
    """A newsletter or alert prompt, a letters prompt, or a share/follow/print line."""
    if len(p) > settings.PROMPT_MAX_CHARS:
        return False
    return bool(NEWSLETTER.match(p) or LETTERS.match(p) or SOCIAL.match(p) or NETWORK_ROW.match(p))


def is_credit(p: str) -> bool:
    return len(p) <= settings.CREDIT_MAX_CHARS and bool(CREDIT.match(p))


def is_taxonomy(p: str) -> bool:
    return len(p) <= settings.BOILERPLATE_MAX_CHARS and bool(TAXONOMY.match(p))


def is_boilerplate(p: str) -> bool:
    """Whether ``p`` is one of the site's lines (copyright, prompt, credit, taxonomy)."""
    return is_prompt(p) or is_credit(p) or is_taxonomy(p) or is_copyright(p)


def paywall_notice(p: str) -> tuple[bool, float | None]:
    """Whether ``p`` is a paywall notice, and the share of the article left, if it says."""
    m = PAYWALL_SHARE.match(p)
    if m:
        share = (m.group("en") or m.group("fr")).replace(",", ".")
        return True, float(share)
    return len(p) <= settings.BOILERPLATE_MAX_CHARS and bool(PAYWALL.match(p)), None
