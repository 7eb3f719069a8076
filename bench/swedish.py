"""Generate varied Swedish IFO prose and tables with figures, deterministic by seed.

Usage: .venv/bin/python bench/swedish.py [--seed 19] [--count 3] [--kb 12]

The benchmarks need many pages that read like Socialstyrelsen's and SKR's: headings,
a publication date, paragraphs whose sentences carry figures in the forms the extractor
meets ("drygt 50 000 hushåll", "43 procent", "var fjärde kommun", "ett 50-tal platser"),
places (län and kommuner), years, and now and then a table of län by year. Every text
here is generated from the word lists below; nothing is copied from the sites. The same
seed and number give the same page, so a cycle run twice sees the same bytes.
"""

from __future__ import annotations

import argparse
import html
import random
from collections.abc import Callable

LAN = (
    "Stockholms län", "Uppsala län", "Södermanlands län", "Östergötlands län",
    "Jönköpings län", "Kronobergs län", "Kalmar län", "Gotlands län", "Blekinge län",
    "Skåne län", "Hallands län", "Västra Götalands län", "Värmlands län", "Örebro län",
    "Västmanlands län", "Dalarnas län", "Gävleborgs län", "Västernorrlands län",
    "Jämtlands län", "Västerbottens län", "Norrbottens län",
)  # fmt: skip
KOMMUNER = (
    "Malmö", "Göteborg", "Uppsala", "Linköping", "Örebro", "Västerås", "Helsingborg",
    "Norrköping", "Jönköping", "Umeå", "Lund", "Borås", "Sundsvall", "Gävle", "Eskilstuna",
    "Södertälje", "Karlstad", "Växjö", "Halmstad", "Luleå", "Trollhättan", "Östersund",
    "Borlänge", "Falun", "Kalmar", "Kristianstad", "Skövde", "Karlskrona", "Uddevalla",
    "Motala", "Nyköping", "Piteå", "Kiruna", "Ystad", "Visby", "Härnösand", "Arvika",
)  # fmt: skip
# (noun, verb, the rest of the clause, topic for headings and titles)
COUNTS = (
    ("hushåll", "fick", "ekonomiskt bistånd", "Ekonomiskt bistånd"),
    ("personer", "fick", "ekonomiskt bistånd", "Ekonomiskt bistånd"),
    ("barn", "levde", "i familjer med långvarigt ekonomiskt bistånd", "Barnfattigdom"),
    ("orosanmälningar", "kom", "in till socialtjänsten", "Orosanmälningar"),
    ("barnavårdsutredningar", "inleddes", "av socialtjänsten", "Utredningar om barn"),
    ("barn och unga", "var", "placerade i familjehem", "Placerade barn"),
    ("barn och unga", "vårdades", "på HVB", "Hem för vård eller boende"),
    ("omedelbara omhändertaganden", "beslutades", "enligt LVU", "LVU"),
    ("personer", "vårdades", "enligt LVM", "Missbruk och beroende"),
    ("vuxna", "fick", "heldygnsinsatser för missbruk", "Missbruk och beroende"),
    ("personer", "befann sig", "i akut hemlöshet", "Hemlöshet"),
    ("barn", "berördes", "av vräkningar", "Hemlöshet"),
    ("kvinnor", "sökte", "skyddat boende", "Våld i nära relationer"),
    ("socialsekreterare", "arbetade", "med barn och unga", "Personal"),
    ("ärenden om vårdnad, boende och umgänge", "avslutades", "", "Familjerätt"),
)
# (the group, definite and indefinite, the verb, the rest of the clause)
SHARES = (
    ("kommunerna", "kommuner", "har", "rutiner för samverkan med elevhälsan"),
    ("socialsekreterarna", "socialsekreterare", "hade", "mindre än två års erfarenhet"),
    ("de placerade barnen", "placerade barn", "gick", "ut grundskolan med godkända betyg"),
    ("hushållen med bistånd", "hushåll med bistånd", "hade", "försörjningshinder"),
    ("kommunerna", "kommuner", "erbjuder", "öppenvård till barn som bevittnat våld"),
    ("utredningarna", "utredningar", "blev", "klara inom fyra månader"),
    ("kommunerna", "kommuner", "följer", "upp placerade barns hälsa"),
    ("biståndsmottagarna", "biståndsmottagare", "var", "unga vuxna"),
)
HEDGES = ("drygt", "knappt", "nästan", "över", "omkring", "cirka", "närmare", "runt")
FRACTIONS = ("var fjärde", "var tredje", "var femte", "två av tre", "hälften av", "var tionde")
CHANGE_VERBS = ("ökade", "minskade", "steg", "sjönk")
FILLER = (
    "Skillnaderna mellan kommunerna är fortsatt stora.",
    "Socialtjänsten har under perioden arbetat med att korta handläggningstiderna.",
    "Uppgifterna bygger på kommunernas egna redovisningar till Socialstyrelsen.",
    "Rapporten beskriver också hur samverkan mellan socialtjänst och skola fungerar.",
    "Flera kommuner lyfter svårigheter att rekrytera erfarna socialsekreterare.",
    "Statistiken omfattar insatser enligt socialtjänstlagen och LVU.",
    "Resultaten ska tolkas med försiktighet eftersom bortfallet varierar.",
    "Enligt SKR behöver kommunerna långsiktiga förutsättningar för förebyggande arbete.",
    "Barnets perspektiv ska alltid beaktas i socialtjänstens utredningar.",
    "Den som vill veta mer kan ta del av tabellbilagan till rapporten.",
    "Uppföljningen visar att arbetet med BBIC har fått större spridning.",
    "Många verksamheter uppger att de saknar tillräckliga resurser för uppföljning.",
)
TITLES = (
    "Statistik om {topic} {year}", "{topic} i kommunerna {year}", "Lägesrapport: {topic}",
    "Fler uppgifter om {topic} i {place}", "Ny rapport om {topic} {year}",
    "Öppna jämförelser {year}: {topic}",
)  # fmt: skip
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
)  # fmt: skip


def swedish_number(value: int) -> str:
    """Write an integer as Swedish text writes it: thin groups of three ('171 000')."""
    return f"{value:,}".replace(",", " ")


class Writer:
    """One page's random choices; every sentence form draws from the same generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.year = rng.randint(2016, 2023)

    def place(self) -> str:
        rng = self.rng
        return rng.choice(LAN) if rng.random() < 0.6 else rng.choice(KOMMUNER)

    def amount(self, low: int = 40, high: int = 180_000) -> str:
        rng = self.rng
        value = rng.randint(low, high)
        if value > 1000 and rng.random() < 0.5:
            value = round(value, -2 if value < 20_000 else -3)
        text = swedish_number(value)
        roll = rng.random()
        if roll < 0.3:
            return f"{rng.choice(HEDGES)} {text}"
        if roll < 0.38 and value >= 20:
            return f"ett {value // 10 * 10}-tal"
        return text

    def percent(self) -> str:
        rng = self.rng
        whole = rng.randint(2, 96)
        if rng.random() < 0.3:
            return f"{whole},{rng.randint(1, 9)} procent"
        return f"{whole} procent"

    def count_sentence(self) -> str:
        rng = self.rng
        noun, verb, rest, _ = rng.choice(COUNTS)
        rest = f" {rest}" if rest else ""
        before = self.year - rng.randint(1, 5)
        forms: list[Callable[[], str]] = [
            lambda: f"Under {self.year} {verb} {self.amount()} {noun}{rest} i {self.place()}.",
            lambda: f"I {self.place()} {verb} {self.amount()} {noun}{rest} år {self.year}.",
            lambda: f"År {self.year} {verb} {self.amount()} {noun}{rest}.",
            lambda: (
                f"Antalet {noun} {rng.choice(CHANGE_VERBS)} med {self.percent()} mellan"
                f" {before} och {self.year} i {self.place()}."
            ),
            lambda: (
                f"Totalt {verb} {self.amount()} {noun}{rest} under {self.year}, jämfört"
                f" med {self.amount()} året innan."
            ),
        ]
        return rng.choice(forms)()

    def share_sentence(self) -> str:
        rng = self.rng
        definite, indefinite, verb, rest = rng.choice(SHARES)
        forms: list[Callable[[], str]] = [
            lambda: (
                f"Enligt undersökningen {self.year} {verb} {self.percent()} av {definite} {rest}."
            ),
            lambda: (
                f"Andelen {indefinite} som {verb} {rest} var {self.percent()} i"
                f" {self.place()} under {self.year}."
            ),
            lambda: f"{self.percent().capitalize()} av {definite} {verb} {rest} år {self.year}.",
            lambda: (
                f"{rng.choice(FRACTIONS).capitalize()} kommun i {rng.choice(LAN)} uppgav"
                f" {self.year} att de saknar rutiner för uppföljning."
            ),
        ]
        return rng.choice(forms)()

    def money_sentence(self) -> str:
        rng = self.rng
        cost = swedish_number(rng.randint(20, 9000) * 100)
        return rng.choice(
            [
                f"Kostnaden för ekonomiskt bistånd var {cost} miljoner kronor år {self.year}.",
                f"I genomsnitt fick ett hushåll {swedish_number(rng.randint(6, 14) * 1000)}"
                f" kronor per månad i {self.place()} under {self.year}.",
                f"Kommunernas kostnader för placeringar uppgick {self.year} till {cost}"
                " miljoner kronor.",
            ]
        )

    def paragraph(self) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(3, 6)):
            roll = rng.random()
            if roll < 0.45:
                parts.append(self.count_sentence())
            elif roll < 0.7:
                parts.append(self.share_sentence())
            elif roll < 0.8:
                parts.append(self.money_sentence())
            else:
                parts.append(rng.choice(FILLER))
        return " ".join(parts)

    def table(self) -> str:
        rng = self.rng
        noun, _, _, _ = rng.choice(COUNTS)
        years = list(range(self.year - rng.randint(2, 4), self.year + 1))
        rows = rng.sample(LAN, rng.randint(4, 10))
        head = "".join(f"<th>{y}</th>" for y in years)
        body = "".join(
            f"<tr><th>{html.escape(lan)}</th>"
            + "".join(f"<td>{swedish_number(rng.randint(50, 25_000))}</td>" for _ in years)
            + "</tr>"
            for lan in rows
        )
        caption = f"Tabell {rng.randint(1, 12)}. Antal {noun} per län, {years[0]}–{years[-1]}"
        return (
            f"<table><caption>{html.escape(caption)}</caption>"
            f"<thead><tr><th>Län</th>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


def page(seed: int, number: int, *, min_bytes: int = 5_000, max_bytes: int = 20_000) -> bytes:
    """Return page `number` of the set `seed`: an HTML page of min_bytes to max_bytes."""
    rng = random.Random(seed * 1_000_003 + number)
    writer = Writer(rng)
    target = rng.randint(min_bytes, max_bytes)
    topic = rng.choice(COUNTS)[3]
    title = rng.choice(TITLES).format(topic=topic.lower(), year=writer.year, place=rng.choice(LAN))
    day, month = rng.randint(1, 28), rng.choice(MONTHS)
    head = (
        '<!doctype html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>"
        '<header><nav><a href="/">Startsida</a> <a href="/statistik/">Statistik</a></nav>'
        f"</header><main><article><h1>{html.escape(title)}</h1>"
        f'<p class="published">Publicerad {day} {month} {writer.year + 1}</p>'
    )
    tail = "</article></main><footer><p>Socialtjänstens kundtjänst</p></footer></body></html>"
    parts: list[str] = [head]
    size = len(head.encode()) + len(tail)
    while True:
        if rng.random() < 0.25:
            block = f"<h2>{html.escape(rng.choice(COUNTS)[3])} i {html.escape(writer.place())}</h2>"
        elif rng.random() < 0.12:
            block = writer.table()
        else:
            block = f"<p>{html.escape(writer.paragraph())}</p>\n"
        grown = size + len(block.encode())
        if grown > max_bytes or (grown > target and size >= min_bytes):
            break
        parts.append(block)
        size = grown
    while size < min_bytes:  # a page must reach its floor even when a block overshot
        block = f"<p>{html.escape(rng.choice(FILLER))}</p>\n"
        parts.append(block)
        size += len(block.encode())
    parts.append(tail)
    return "".join(parts).encode("utf-8")


def text_of(seed: int, number: int, *, min_bytes: int = 5_000, max_bytes: int = 20_000) -> str:
    """Return the page as plain paragraphs (tables dropped), for benchmarks that skip HTML."""
    import re

    markup = page(seed, number, min_bytes=min_bytes, max_bytes=max_bytes).decode("utf-8")
    markup = re.sub(r"<table>.*?</table>", "", markup)
    blocks = re.findall(r"<(h1|h2|p)[^>]*>(.*?)</\1>", markup, flags=re.S)
    return "\n\n".join(html.unescape(body) for _, body in blocks)


def report(
    seed: int, *, pages: int = 150, page_chars: int = 3_000
) -> tuple[str, list[tuple[str, list[str], list[list[str]]]]]:
    """Return a long report as PDF text reads: chapters, paragraphs, and its tables apart.

    About `pages` pages of `page_chars` characters each (a report page of running text),
    with a table of län by year every few pages as (caption, header, rows).
    """
    rng = random.Random(seed * 7_919 + pages)
    writer = Writer(rng)
    blocks: list[str] = []
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    for number in range(1, pages + 1):
        if number % 12 == 1:
            blocks.append(f"{number // 12 + 1}. {rng.choice(COUNTS)[3]} i {writer.place()}")
        size = 0
        while size < page_chars:
            block = writer.paragraph()
            blocks.append(block)
            size += len(block) + 2
        if number % 5 == 0:
            noun = rng.choice(COUNTS)[0]
            years = [str(y) for y in range(writer.year - 3, writer.year + 1)]
            rows = [
                [lan, *(swedish_number(rng.randint(50, 25_000)) for _ in years)]
                for lan in rng.sample(LAN, rng.randint(6, 21))
            ]
            tables.append(
                (f"Tabell {len(tables) + 1}. Antal {noun} per län", ["Län", *years], rows)
            )
        blocks.append(f"Sida {number} av {pages}")
    return "\n\n".join(blocks), tables


def main() -> None:
    """Print a few generated pages, to read what the benchmarks serve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--text", action="store_true", help="plain text instead of HTML")
    args = parser.parse_args()
    for number in range(args.count):
        if args.text:
            print(text_of(args.seed, number))
        else:
            print(page(args.seed, number).decode("utf-8"))


if __name__ == "__main__":
    main()
