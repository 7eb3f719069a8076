"""Fixture versions of Socialstyrelsen's and SKR's sites, in their structure, in Swedish.

Every text here is written for the tests (none is copied from the sites); the
structure is the sites': Socialstyrelsen's press listing and its RssFeed, news under
/aktuellt/, publication pages /publikationer/<slug>-<artikelnummer>/ with the main PDF
as `a.publication-wrapper__main-doc` under /contentassets/, the date as
`<span class="date">Publicerad: ...</span>` and the tables as
`<artikelnummer>-tabeller.xlsx`, a publication list embedding its items as JSON, a
statistics topic page; SKR's news archive, an article and Socialtjänstbloggen. The
site adapters are the shipped ones with their hosts moved to 127.0.0.1 (and
"localhost" as Socialstyrelsen's mirror host).
"""

from __future__ import annotations

import io
import json
from dataclasses import replace

from ifo_watch.collect import Site, default_sites
from localsite import LocalSite

NUMBER = "2024-3-8920"
PUBLICATION = f"/publikationer/statistik-om-socialtjanstinsatser-till-barn-och-unga-2023-{NUMBER}/"
PDF = f"/contentassets/9f3c2a/{NUMBER}.pdf"
XLSX = f"/contentassets/9f3c2a/{NUMBER}-tabeller.xlsx"
FEED = "/om-socialstyrelsen/pressrum/press/RssFeed/"
LISTING = "/om-socialstyrelsen/pressrum/press/"
NEWS = "/aktuellt/fler-barn-och-unga-placerades-2023/"
NEWS_MIRRORED = "/aktuellt/ekonomiskt-bistand-minskar/"
OFF_TOPIC = "/aktuellt/ny-vagledning-om-tandimplantat/"
STATISTICS = "/statistik-och-data/statistik/alla-statistikamnen/barn-och-ungdom/"
PUBLICATIONS = "/publikationer/"

SKR_NEWS_LIST = "/skr/tjanster/pressrum/nyheter.html"
SKR_NEWS = "/skr/tjanster/pressrum/nyheter/nyhetsarkiv/fler-socialsekreterare-stannar.4521.html"
SKR_OTHER = "/skr/tjanster/pressrum/nyheter/nyhetsarkiv/nya-cykelvagar.4522.html"
SKR_ARTICLE = "/skr/tjanster/pressrum/nyheter/nyhetsarkiv/hemlosheten-bland-barnfamiljer.4530.html"
SKR_BLOG = "/skr/tjanster/bloggarfranskr/socialtjanstbloggen.html"
SKR_POST = (
    "/skr/tjanster/bloggarfranskr/socialtjanstbloggen/artiklar/"
    "orosanmalningar-kraver-samverkan.7788.html"
)

ROBOTS = "User-agent: *\nDisallow: /intern/\n"


def local_sites() -> tuple[Site, ...]:
    """Return the shipped adapters with their hosts on 127.0.0.1 (the fixture servers)."""
    moved = []
    for site in default_sites():
        mirrors = ("localhost",) if site.name == "socialstyrelsen" else ()
        moved.append(replace(site, hosts=("127.0.0.1",), mirrors=mirrors))
    return tuple(moved)


def _page(title: str, body: str, *, extra_head: str = "") -> str:
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{title}</title>{extra_head}</head>
<body>
<header class="site-header"><a href="/">Startsida</a>
<nav aria-label="Huvudmeny"><ul><li><a href="/statistik-och-data/">Statistik och data</a></li>
<li><a href="/kunskapsstod/">Kunskapsstöd och regler</a></li></ul></nav></header>
<div class="cookie-consent">Vi använder kakor. <button>Godkänn</button></div>
<main id="main-content">
{body}
</main>
<footer class="site-footer"><p>Telefon 075-000 00 00</p></footer>
</body></html>
"""


def socialstyrelsen(site: LocalSite) -> None:
    """Fill a site with Socialstyrelsen-like pages (the base URL must be set)."""
    site.put("/robots.txt", ROBOTS, "text/plain; charset=utf-8")
    site.put(
        FEED,
        f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Pressmeddelanden och nyheter</title><link>{{BASE}}{LISTING}</link>
<description>Socialstyrelsens nyheter</description>
<item><title>Fler barn och unga placerades under 2023</title>
<link>{{BASE}}{NEWS}</link><pubDate>Thu, 28 Mar 2024 08:00:00 GMT</pubDate>
<description>Ny statistik om socialtjänstens insatser till barn och unga.</description></item>
<item><title>Ekonomiskt bistånd minskar för tredje året</title>
<link>http://localhost:{_port(site)}{NEWS_MIRRORED}</link>
<pubDate>Tue, 19 Mar 2024 08:00:00 GMT</pubDate>
<description>Färre hushåll fick ekonomiskt bistånd.</description></item>
<item><title>Ny vägledning om tandimplantat</title>
<link>{{BASE}}{OFF_TOPIC}</link><pubDate>Mon, 18 Mar 2024 08:00:00 GMT</pubDate>
<description>Tandvården får nytt stöd.</description></item>
</channel></rss>
""",
        "application/rss+xml; charset=utf-8",
    )
    site.put(
        LISTING,
        _page(
            "Pressmeddelanden och nyheter",
            f"""<h1>Pressmeddelanden och nyheter</h1>
<a href="{FEED}?url={{BASE}}{LISTING}">RSS</a>
<ul class="news-list">
<li><h2><a href="{NEWS}">Fler barn och unga placerades under 2023</a></h2><p>Nyhet</p>
<p>Ny statistik om socialtjänstens insatser till barn och unga.</p></li>
<li><h2><a href="{NEWS_MIRRORED}">Ekonomiskt bistånd minskar för tredje året</a></h2>
<p>Nyhet</p></li>
</ul>""",
        ),
    )
    site.put(
        NEWS,
        _page(
            "Fler barn och unga placerades under 2023",
            f"""<article><h1>Fler barn och unga placerades under 2023</h1>
<p class="meta">Publicerad 2024-03-28</p>
<p>Under 2023 fick 27 400 barn och unga vård utanför det egna hemmet enligt
socialtjänstlagen eller LVU någon gång under året.</p>
<p>Familjehem var den vanligaste placeringsformen. Läs mer i rapporten
<a href="{PUBLICATION}">Statistik om socialtjänstinsatser till barn och unga 2023</a>.</p>
</article>""",
        ),
    )
    site.put(
        NEWS_MIRRORED,
        _page(
            "Ekonomiskt bistånd minskar för tredje året",
            """<article><h1>Ekonomiskt bistånd minskar för tredje året</h1>
<p class="meta">Publicerad 2024-03-19</p>
<p>Under 2023 fick 171 000 hushåll ekonomiskt bistånd någon gång under året.</p>
</article>""",
        ),
    )
    site.put(
        OFF_TOPIC,
        _page("Ny vägledning om tandimplantat", "<h1>Tandimplantat</h1><p>Om tandvård.</p>"),
    )
    site.put(
        PUBLICATION,
        _page(
            "Statistik om socialtjänstinsatser till barn och unga 2023",
            f"""<div class="publication-wrapper">
<h1>Statistik om socialtjänstinsatser till barn och unga 2023</h1>
<span class="date">Publicerad: 2024-03-28</span>
<p>Artikelnummer: {NUMBER}</p>
<p>Statistiken visar att 27 400 barn och unga fick heldygnsinsatser under 2023.</p>
<a class="publication-wrapper__main-doc" href="{PDF}">Ladda ner (pdf)</a>
<ul class="publication-wrapper__attachments">
<li><a href="{XLSX}">Tabeller (xlsx)</a></li></ul>
</div>""",
        ),
    )
    site.put(PDF, report_pdf(), "application/pdf")
    site.put(
        XLSX,
        report_xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    site.put(
        STATISTICS,
        _page(
            "Statistik om socialtjänstinsatser till barn och unga",
            f"""<h1>Statistik om socialtjänstinsatser till barn och unga</h1>
<p>Här finns statistik om insatser till barn och unga inom individ- och familjeomsorgen.</p>
<h2>Korta fakta</h2>
<ul><li>Under 2023 fick 27 400 barn och unga heldygnsinsatser.</li>
<li>Sex av tio placerade barn bodde i familjehem.</li></ul>
<p>Källa: Statistik om socialtjänstinsatser till barn och unga 2023</p>
<div class="teaser"><a href="{PUBLICATION}">
<h3>Statistik om socialtjänstinsatser till barn och unga 2023</h3>
<p>Artikelnummer: {NUMBER}|Publicerad: 2024-03-28</p></a></div>""",
        ),
    )
    items = [
        {
            "name": "Statistik om socialtjänstinsatser till barn och unga 2023",
            "url": PUBLICATION,
            "articleNumber": NUMBER,
            "publishOnWebFrom": "2024-03-28T08:00:00",
            "subjectsId": [154],
        },
        {
            "name": "Väntetider i cancervården 2023",
            "url": "/publikationer/vantetider-i-cancervarden-2024-2-9001/",
            "articleNumber": "2024-2-9001",
            "publishOnWebFrom": "2024-02-20T08:00:00",
            "subjectsId": [312],
        },
    ]
    site.put(
        PUBLICATIONS,
        _page(
            "Publikationer",
            "<h1>Publikationer</h1><div id='publication-list'></div>"
            "<script>SOS.Components.PublicationCategoryList("
            + json.dumps({"items": items}, ensure_ascii=False)
            + ");</script>",
        ),
    )


def skr(site: LocalSite) -> None:
    """Fill a site with SKR-like pages (SiteVision structure)."""
    site.put("/robots.txt", ROBOTS, "text/plain; charset=utf-8")
    site.put(
        SKR_NEWS_LIST,
        _page(
            "Nyheter",
            f"""<h1>Nyheter</h1>
<ul class="sv-news-list">
<li class="sv-news-item">
<h2><a href="{SKR_NEWS}">Fler socialsekreterare stannar kvar i yrket</a></h2>
<p>2024-02-01</p></li>
<li class="sv-news-item"><h2><a href="{SKR_OTHER}">Nya cykelvägar i fler kommuner</a></h2>
<p>2024-01-30</p></li>
</ul>""",
            extra_head=(
                '<link rel="alternate" type="application/rss+xml"'
                ' href="{BASE}/skr/tjanster/rss.rss.html">'
            ),
        ),
    )
    site.put(
        SKR_NEWS,
        _page(
            "Fler socialsekreterare stannar kvar i yrket",
            """<div class="sv-layout"><h1>Fler socialsekreterare stannar kvar i yrket</h1>
<p class="sv-font-liten">Publicerad 1 februari 2024</p>
<p>Personalomsättningen bland socialsekreterare inom barn och unga sjönk till
18 procent under 2023, enligt SKR:s enkät till kommunerna.</p></div>""",
        ),
    )
    site.put(SKR_OTHER, _page("Cykelvägar", "<h1>Nya cykelvägar</h1><p>Om cykling.</p>"))
    site.put(
        SKR_ARTICLE,
        _page(
            "Hemlösheten bland barnfamiljer",
            """<div class="sv-layout"><h1>Hemlösheten bland barnfamiljer</h1>
<p>Publicerad: 12 mars 2024</p>
<p>I 120 kommuner bodde barnfamiljer i akuta boenden under 2023.</p></div>""",
        ),
    )
    site.put(
        SKR_BLOG,
        _page(
            "Socialtjänstbloggen",
            f"""<h1>Socialtjänstbloggen</h1>
<ol class="sv-blog-list"><li><p>Publicerad: 21 september 2017</p>
<h2><a href="{SKR_POST}">Orosanmälningar kräver samverkan</a></h2>
<p>Om hur socialtjänsten tar emot anmälningar.</p></li></ol>""",
        ),
    )
    site.put(
        SKR_POST,
        _page(
            "Orosanmälningar kräver samverkan",
            """<div class="sv-layout"><h1>Orosanmälningar kräver samverkan</h1>
<p>Publicerad: 21 september 2017</p>
<p>Socialtjänsten tog under 2016 emot 290 000 orosanmälningar om barn.</p></div>""",
        ),
    )


def sources_toml(sos: LocalSite, skr_site: LocalSite) -> str:
    """Return a sources file with one source of every kind over the two fixture sites."""
    sos_base = sos.base.rstrip("/")
    skr_base = skr_site.base.rstrip("/")
    return f"""
[[sources]]
name = "sos-press"
publisher = "Socialstyrelsen"
url = "{sos_base}{FEED}?url={sos_base}{LISTING}"
kind = "feed"
site = "socialstyrelsen"
fallback = "{sos_base}{LISTING}"
include = ["barn", "placer", "bistånd"]

[[sources]]
name = "sos-statistik"
publisher = "Socialstyrelsen"
url = "{sos_base}{STATISTICS}"
kind = "page"
site = "socialstyrelsen"

[[sources]]
name = "sos-publikationer"
publisher = "Socialstyrelsen"
url = "{sos_base}{PUBLICATIONS}"
kind = "listing"
site = "socialstyrelsen"
subjects = [158, 154, 166, 161, 170]

[[sources]]
name = "skr-nyheter"
publisher = "SKR"
url = "{skr_base}{SKR_NEWS_LIST}"
kind = "listing"
site = "skr"
link_selector = "ul.sv-news-list li.sv-news-item h2 a"
include = ["socialsekreterare", "barn"]

[[sources]]
name = "skr-artikel"
publisher = "SKR"
url = "{skr_base}{SKR_ARTICLE}"
site = "skr"

[[sources]]
name = "skr-bloggen"
publisher = "SKR"
url = "{skr_base}{SKR_BLOG}"
kind = "listing"
site = "skr"
include = ["orosanmäl"]
"""


def _port(site: LocalSite) -> int:
    return int(site.base.rstrip("/").rsplit(":", 1)[1])


def report_pdf() -> bytes:
    """Return a two-page report in Socialstyrelsen's manner (fpdf2, Latin-1 core fonts)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title("Statistik om socialtjänstinsatser till barn och unga 2023")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 9, "Statistik om socialtjänstinsatser till barn och unga 2023")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    for text in (
        "Under 2023 fick 27 400 barn och unga heldygnsinsatser enligt socialtjänstlagen "
        "eller LVU någon gång under året.",
        "Av dem som var placerade bodde 62 procent i familjehem.",
        "Antalet barn och unga som omedelbart omhändertogs enligt LVU var 2 650 under 2023.",
    ):
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)
    return bytes(pdf.output())


def report_xlsx() -> bytes:
    """Return the report's tables: a contents sheet and one table per sheet."""
    from openpyxl import Workbook

    book = Workbook()
    contents = book.active
    contents.title = "Innehåll"
    contents.append(["Innehållsförteckning"])
    contents.append(["Tabell 1. Barn och unga med heldygnsinsatser efter län, 2023"])
    sheet = book.create_sheet("Tabell 1")
    sheet.append(["Tabell 1. Barn och unga med heldygnsinsatser efter län, 2023"])
    sheet.append(["Antal"])
    sheet.append([])
    sheet.append(["Län", "Flickor", "Pojkar", "Totalt"])
    sheet.append(["Stockholms län", 2410, 2893, 5303])
    sheet.append(["Jämtlands län", 301, 344, 645])
    sheet.append(["Riket", 12512, 14888, 27400])
    sheet.append([])
    sheet.append(["Källa: Registret över insatser till barn och unga, Socialstyrelsen"])
    shares = book.create_sheet("Tabell 2")
    shares.append(["Tabell 2. Placerade barn i familjehem, andel, 2023"])
    shares.append(["Procent"])
    shares.append(["Län", "Andel i familjehem"])
    shares.merge_cells("B3:B3")
    shares.append(["Stockholms län", 58.4])
    shares.append(["Riket", 62.1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
