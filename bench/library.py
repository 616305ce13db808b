"""Library search benchmark (issue 4). Builds a fresh site in a temporary folder with production
settings (embedded SQLite), adds N generated resources (default 100,000: titles, summaries and a
page of text each, in English, French, Spanish, Portuguese or Romanian, from word lists about the
health workforce; deterministic seed; bulk inserts) and indexes them, then with the page cache
off (PAGE_CACHE_SECONDS=0) measures:

1. the latency of faceted searches at the HTTP layer, one client, over a varied list of
   searches (browsing without a query, common and rare words, phrases, combined facets);
2. the throughput at 16 connections with 2 granian workers (wrk cycling through the same list);
3. the size of the search tables and of the database;
4. the time to read and index a generated 100-page PDF (file_process, end to end).

Writes bench/results/library.json.

Usage: python bench/library.py [--resources N] [--quick] [--duration SECONDS]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from common import (
    RESULTS,
    ROOT,
    Target,
    cpu_shares,
    cpu_times,
    demo_site_create,
    django_setup,
    django_step,
    figure,
    free_port,
    latency_detail,
    numeral,
    production_env,
    server_command,
    timing_summary,
    wait_until_up,
)

LUA_URLS = ROOT / "bench" / "wrk_urls.lua"
WORKERS = 2
SEED = 20150521

# Issue 4, "Performance" (with 100,000 resources; the index size is to be reported).
TARGETS = {
    "search_p95": Target(4, at_most=50, unit="ms"),
    "searches_per_second": Target(4, at_least=200, unit="req/s"),
    "pdf_seconds": Target(4, under=5, unit="s"),
}


def headline(report: dict) -> list[dict]:
    first, again = report["one_client"], report["one_client_second_pass"]
    loaded, api = report["throughput"], report["throughput_api"]
    resources = report["generated"].get("resources")
    sizes = report["sizes"]
    return [
        figure(
            f"faceted search p95, one client, first pass ({resources:,} resources)"
            if isinstance(resources, int)
            else "faceted search p95, one client, first pass",
            first["p95_ms"],
            "ms",
            target=TARGETS["search_p95"],
            detail=f"p50 {first['p50_ms']}, p99 {first['p99_ms']} ms; {first['failures']} failed",
            ok=not first["failures"],
        ),
        figure("the same searches again, p95", again["p95_ms"], "ms"),
        figure(
            f"search page, {report['connections']} connections",
            loaded["requests_per_second"],
            "req/s",
            target=TARGETS["searches_per_second"],
            detail=latency_detail(loaded) + (f", {loaded['errors']} errors" if loaded["errors"] else ""),
            ok=not loaded["errors"],
        ),
        figure(
            f"the same searches through the API, {report['connections']} connections",
            api["requests_per_second"],
            "req/s",
            detail=latency_detail(api),
        ),
        figure(
            "search tables on disk",
            sizes["search_tables_mb"],
            "MB",
            detail=f"database {numeral(sizes['database_mb'])} MB",
        ),
        figure(
            "a 100-page PDF read and indexed",
            report["pdf_100_pages"]["seconds"],
            "s",
            target=TARGETS["pdf_seconds"],
        ),
    ]


# Word lists: each language's words about the health workforce, most frequent first (the
# generator draws them with Zipf-like weights, so some words are in most resources and others
# in few), and templates of titles.
WORDS_TEXT = {
    "en": (
        "health workers workforce migration recruitment international retention nurses doctors "
        "midwives countries policy code practice global ethical training education rural areas "
        "shortage labour market employment salaries working conditions public sector investment "
        "financing governance planning data evidence survey analysis national strategy community "
        "primary care coverage universal brain drain diaspora return circular mobility bilateral "
        "agreements destination source safeguard list vulnerable systems capacity incentives career "
        "development gender equality women leadership decent work unions professional associations "
        "regulation licensing accreditation curriculum scholarship attrition absenteeism productivity "
        "distribution urban inequity remote allowances housing transport supervision mentoring covid "
        "pandemic emergency preparedness resilience accountability monitoring reporting "
        "implementation stakeholders civil society advocacy coalition partnership dialogue"
    ),
    "fr": (
        "santé personnels travailleurs migration recrutement international fidélisation infirmières "
        "médecins sages-femmes pays politique code pratiques mondial éthique formation éducation "
        "zones rurales pénurie marché travail emploi salaires conditions secteur public "
        "investissement financement gouvernance planification données enquête analyse stratégie "
        "nationale soins primaires couverture universelle fuite cerveaux diaspora retour mobilité "
        "accords bilatéraux destination origine liste sauvegarde systèmes capacités incitations "
        "carrière genre égalité femmes leadership travail décent syndicats associations "
        "professionnelles réglementation agrément programme bourses départs absentéisme productivité "
        "répartition inégalités primes logement supervision pandémie urgence préparation résilience "
        "redevabilité suivi rapports mise œuvre parties prenantes société civile plaidoyer coalition "
        "partenariat dialogue"
    ),
    "es": (
        "salud trabajadores personal migración contratación internacional retención enfermeras "
        "médicos parteras países política código prácticas mundial ética formación educación zonas "
        "rurales escasez mercado laboral empleo salarios condiciones sector público inversión "
        "financiación gobernanza planificación datos encuesta análisis estrategia nacional atención "
        "primaria cobertura universal fuga cerebros diáspora retorno movilidad acuerdos bilaterales "
        "destino origen lista salvaguardia sistemas capacidades incentivos carrera género igualdad "
        "mujeres liderazgo trabajo decente sindicatos asociaciones profesionales regulación "
        "acreditación becas abandono ausentismo productividad distribución inequidad vivienda "
        "supervisión pandemia emergencia preparación resiliencia rendición cuentas seguimiento "
        "informes aplicación sociedad civil incidencia coalición alianza diálogo"
    ),
    "pt": (
        "saúde trabalhadores profissionais migração recrutamento internacional retenção enfermeiros "
        "médicos parteiras países política código práticas mundial ética formação educação zonas "
        "rurais escassez mercado trabalho emprego salários condições setor público investimento "
        "financiamento governação planeamento dados inquérito análise estratégia nacional cuidados "
        "primários cobertura universal fuga cérebros diáspora regresso mobilidade acordos bilaterais "
        "destino origem lista salvaguarda sistemas capacidades incentivos carreira género igualdade "
        "mulheres liderança trabalho digno sindicatos associações profissionais regulação acreditação "
        "bolsas abandono absentismo produtividade distribuição desigualdade habitação supervisão "
        "pandemia emergência preparação resiliência prestação contas monitorização relatórios "
        "implementação sociedade civil advocacia coligação parceria diálogo"
    ),
    "ro": (
        "sănătate lucrători personal migrație recrutare internațională retenție asistente medici "
        "moașe țări politică cod practici global etică formare educație zone rurale deficit piața "
        "muncii angajare salarii condiții sector public investiții finanțare guvernanță planificare "
        "date sondaj analiză strategie națională asistență primară acoperire universală exodul "
        "creierelor diaspora întoarcere mobilitate acorduri bilaterale destinație origine listă "
        "salvgardare sisteme capacitate stimulente carieră gen egalitate femei conducere muncă "
        "decentă sindicate asociații profesionale reglementare acreditare burse plecări absenteism "
        "productivitate distribuție inechitate locuințe supervizare pandemie urgență pregătire "
        "reziliență responsabilitate monitorizare raportare implementare societate civilă advocacy "
        "coaliție parteneriat dialog"
    ),
}
WORDS = {language: text.split() for language, text in WORDS_TEXT.items()}
FILLER_TEXT = {
    "en": ("the of and in to for a on with by from is are as this that"),
    "fr": ("le la les des de du et en pour dans sur par une un est sont au aux"),
    "es": ("el la los las de del y en para por con una un es son al"),
    "pt": ("o a os as de do da dos das e em para por com uma um é são ao"),
    "ro": ("și în de la pentru cu din pe a al ale o un este sunt"),
}
FILLER = {language: text.split() for language, text in FILLER_TEXT.items()}
TITLES = {
    "en": ["{a} and {b} of {c} in {country}", "{a} {b}: a {c} review", "Towards {a} {b} for {c}"],
    "fr": ["{a} et {b} des {c} au {country}", "{a} {b} : une revue des {c}", "Vers {a} {b} pour les {c}"],
    "es": ["{a} y {b} de {c} en {country}", "{a} {b}: revisión de {c}", "Hacia {a} {b} para {c}"],
    "pt": ["{a} e {b} de {c} em {country}", "{a} {b}: revisão de {c}", "Rumo a {a} {b} para {c}"],
    "ro": ["{a} și {b} ale {c} în {country}", "{a} {b}: o analiză a {c}", "Către {a} {b} pentru {c}"],
}
PLACES = [
    "Kenya",
    "Uganda",
    "Zimbabwe",
    "Romania",
    "Poland",
    "Belgium",
    "Netherlands",
    "Germany",
    "Italy",
    "Spain",
    "Portugal",
    "Philippines",
    "India",
    "Ghana",
    "Malawi",
    "Mozambique",
    "Brazil",
    "Peru",
]  # noqa: E501
COUNTRY_CODES = [
    "KE",
    "UG",
    "ZW",
    "RO",
    "PL",
    "BE",
    "NL",
    "DE",
    "IT",
    "ES",
    "PT",
    "PH",
    "IN",
    "GH",
    "MW",
    "MZ",
    "BR",
    "PE",
]  # noqa: E501
REGIONS = ["global", "AFR", "AMR", "SEAR", "EUR", "EMR", "WPR", "EU"]
KINDS = [
    "report",
    "policy-brief",
    "toolkit",
    "case-study",
    "who-reference",
    "statement",
    "presentation",
    "dataset",
]
LANGUAGES = ["en", "fr", "es", "pt", "ro"]
LANGUAGE_WEIGHTS = [5, 2, 2, 1, 1]
PAGE_CHARS = 3000
# Words that only a few resources hold: a rare search.
RARE = [
    "Kampala",
    "Ouagadougou",
    "Chisinau",
    "Lilongwe",
    "Iasi",
    "Cluj",
    "Maputo",
    "Manila",
    "Kerala",
    "Cusco",
]


def _weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) ** 0.9 for rank in range(count)]


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.random = random.Random(seed)
        self.weights = {language: _weights(len(words)) for language, words in WORDS.items()}

    def words(self, language: str, count: int) -> list[str]:
        return self.random.choices(WORDS[language], weights=self.weights[language], k=count)

    def sentence(self, language: str) -> str:
        words = self.words(language, self.random.randint(6, 14))
        filler = FILLER[language]
        for position in range(1, len(words), 3):
            words.insert(position, self.random.choice(filler))
        if self.random.random() < 0.02:
            words.insert(len(words) // 2, self.random.choice(RARE))
        return " ".join(words).capitalize() + "."

    def text(self, language: str, chars: int) -> str:
        sentences: list[str] = []
        length = 0
        while length < chars:
            sentence = self.sentence(language)
            sentences.append(sentence)
            length += len(sentence) + 1
        return " ".join(sentences)

    def title(self, language: str) -> str:
        a, b, c = self.words(language, 3)
        template = self.random.choice(TITLES[language])
        return template.format(a=a.capitalize(), b=b, c=c, country=self.random.choice(PLACES))


# Steps that run inside Django, in a subprocess with the benchmark's settings.


def step_generate(count: str) -> None:
    """Bulk-insert the generated resources, their files, authors and topics, then index them."""
    django_setup()
    from django.db import connection, transaction

    from hw4all.library.models import Resource, ResourceAuthor, ResourceFile, Topic
    from hw4all.library.search import index_rebuild

    total = int(count)
    generator = Generator()
    topics = list(Topic.objects.values_list("pk", flat=True))
    through = Resource.topics.through
    started = time.monotonic()
    batch = 2000
    with transaction.atomic():
        for start in range(0, total, batch):
            resources, files, authors, links = [], [], [], []
            numbers = range(start, min(start + batch, total))
            for number in numbers:
                language = generator.random.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
                title = generator.title(language)
                resources.append(
                    Resource(
                        title=title,
                        slug=f"resource-{number}",
                        kind=generator.random.choice(KINDS),
                        summary=generator.text(language, 300),
                        publisher="Health Workers for All",
                        year=generator.random.randint(1995, 2025),
                        month=generator.random.randint(1, 12),
                        countries=generator.random.sample(COUNTRY_CODES, generator.random.randint(0, 3)),
                        regions=generator.random.sample(REGIONS, generator.random.randint(0, 2)),
                        status="published",
                    )
                )
            created = Resource.objects.bulk_create(resources)
            for resource in created:
                language = generator.random.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
                text = generator.text(language, PAGE_CHARS)
                files.append(
                    ResourceFile(
                        resource=resource,
                        language=language,
                        file=f"library/bench/{resource.pk}.pdf",
                        size=len(text) * 20,
                        format="pdf",
                        pages=1,
                        text=text,
                        extraction="done",
                        sort_order=0,
                    )
                )
                family, given = generator.random.choice(PLACES), generator.random.choice(WORDS["en"])
                authors.append(
                    ResourceAuthor(resource=resource, name=f"{family}, {given.capitalize()}", sort_order=0)
                )
                for topic in generator.random.sample(topics, generator.random.randint(1, 3)):
                    links.append(through(resource_id=resource.pk, topic_id=topic))
            ResourceFile.objects.bulk_create(files)
            ResourceAuthor.objects.bulk_create(authors)
            through.objects.bulk_create(links)
    generated = time.monotonic() - started
    started = time.monotonic()
    indexed = index_rebuild()
    index_seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    print(
        json.dumps(
            {"resources": indexed, "generate_s": round(generated, 1), "index_s": round(index_seconds, 1)}
        )
    )


def step_sizes() -> None:
    """The database's size and the search tables' share of it (SQLite's dbstat)."""
    django_setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'library_search%' AND name != 'library_search_state'"
        )
        search_bytes = cursor.fetchone()[0] or 0
        cursor.execute(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'library_%' GROUP BY name ORDER BY 2 DESC"
        )
        tables = dict(cursor.fetchall())
    print(
        json.dumps(
            {
                "database_mb": round(pages * page_size / 2**20, 1),
                "search_tables_mb": round(search_bytes / 2**20, 1),
                "tables_mb": {name: round(size / 2**20, 1) for name, size in tables.items()},
            }
        )
    )


def step_cache_clear() -> None:
    """A kept site starts each run with an empty shared cache, so that the first pass meets
    every search for the first time (the workers share broad words' matches through it)."""
    django_setup()
    from django.core.cache import cache

    cache.clear()
    print(json.dumps({"cache": "cleared"}))


def step_pdf(pages: str) -> None:
    """A 100-page PDF in English read and indexed end to end (file_process)."""
    django_setup()
    from django.core.files.base import ContentFile
    from fpdf import FPDF

    from hw4all.library.models import Resource, ResourceFile
    from hw4all.library.tasks import file_process

    generator = Generator(seed=7)
    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for _page in range(int(pages)):
        pdf.add_page()
        pdf.multi_cell(0, 5, generator.text("en", PAGE_CHARS))
    data = bytes(pdf.output())
    resource = Resource.objects.create(
        title="A long report on health workforce retention", status="published"
    )
    file = ResourceFile.objects.create(
        resource=resource, language="en", file=ContentFile(data, name="long-report.pdf"), sort_order=0
    )
    started = time.monotonic()
    file_process.call(file_id=file.pk)
    seconds = time.monotonic() - started
    file.refresh_from_db()
    print(
        json.dumps(
            {
                "pages": file.pages,
                "pdf_bytes": len(data),
                "text_chars": len(file.text),
                "seconds": round(seconds, 2),
                "extraction": file.extraction,
            }
        )
    )


# The runner.


def search_urls(count: int) -> list[str]:
    """A varied list of searches, as a visitor's browser asks for them."""
    rng = random.Random(SEED)
    common = ["health", "workers", "recruitment", "migration", "santé", "salud", "formation", "nurses"]
    middling = [
        "retention",
        "bilateral agreements",
        "salarios",
        "fidélisation",
        "lucrători",
        "cuidados primários",
    ]
    rare = [word.lower() for word in RARE] + ["scholarship attrition", "absentéisme", "diaspora return"]
    phrases = ['"brain drain"', '"working conditions"', '"société civile"']
    facets = [
        {},
        {"kind": "report"},
        {"language": "fr"},
        {"country": "KE"},
        {"region": "AFR"},
        {"topic": "migration"},
        {"year": "2015"},
        {"kind": "policy-brief", "language": "en"},
        {"country": ["RO", "PL"], "topic": "recruitment"},
        {"language": "es", "year": "2020", "region": "AMR"},
    ]
    urls = []
    for number in range(count):
        choice = number % 10
        if choice < 2:
            query = ""
        elif choice < 5:
            query = rng.choice(common)
        elif choice < 7:
            query = rng.choice(middling)
        elif choice < 9:
            query = rng.choice(rare)
        else:
            query = rng.choice(phrases)
        params: dict = {"q": query} if query else {}
        params.update(rng.choice(facets))
        if rng.random() < 0.15:
            params["page"] = rng.randint(2, 5)
        if query and rng.random() < 0.2:
            params["sort"] = "date"
        urls.append("/en/library/?" + urlencode(params, doseq=True))
    return urls


def latencies(base: str, urls: list[str]) -> dict:
    timings = []
    failures = 0
    for url in urls:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + url, timeout=30) as response:
                response.read()
        except OSError:
            failures += 1
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "requests": len(urls),
        "failures": failures,
        **timing_summary(timings),
    }


def slowest(base: str, urls: list[str], repeat: int = 3) -> list[dict]:
    """Each distinct search timed a few times: which kinds of search cost the most."""
    timed = []
    for url in sorted(set(urls)):
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            with urllib.request.urlopen(base + url, timeout=30) as response:
                response.read()
            best = min(best, (time.perf_counter() - started) * 1000)
        timed.append({"url": url, "best_ms": round(best, 1)})
    return sorted(timed, key=lambda item: -item["best_ms"])[:10]


def throughput(base: str, urls_file: Path, duration: int, connections: int) -> dict:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-H", "Accept-Encoding: gzip", "-s", str(LUA_URLS), base, "--", str(urls_file),
    ]  # fmt: skip
    before = cpu_times()
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["requests_per_second"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["errors"] = sum(result[key] for key in result if key.startswith("errors_"))
    result["cpu"] = cpu_shares(before, cpu_times())
    return result


def main() -> None:
    steps = {"generate": step_generate, "sizes": step_sizes, "cache_clear": step_cache_clear, "pdf": step_pdf}
    if len(sys.argv) > 1 and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 resources, short runs: for trying")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "20")))
    parser.add_argument("--searches", type=int, default=500, help="searches timed with one client")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument(
        "--keep", metavar="FOLDER", help="build the site in FOLDER and keep it (reused if there)"
    )
    args = parser.parse_args()
    if args.quick:
        args.resources, args.duration, args.searches = 2000, 5, 100
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="hw4all-bench-library-") as temporary:
        var_dir = args.keep or temporary
        port = free_port()
        env = production_env(dict(os.environ), var_dir=var_dir, port=port, PAGE_CACHE_SECONDS="0")
        if not (Path(var_dir) / "db.sqlite3").exists():
            Path(var_dir).mkdir(parents=True, exist_ok=True)
            demo_site_create(env)
            generated = django_step(__file__, env, "generate", str(args.resources))
            print(f"Generated {generated}", flush=True)
        else:
            generated = {"resources": "reused"}
        sizes = django_step(__file__, env, "sizes")
        print(f"Sizes {sizes}", flush=True)
        django_step(__file__, env, "cache_clear")

        base = f"http://127.0.0.1:{port}"
        urls = search_urls(args.searches)
        urls_file = Path(var_dir) / "urls.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        # The same searches through the API: the engine's cost without the page around it.
        api_urls_file = Path(var_dir) / "api-urls.txt"
        api_urls_file.write_text(
            "\n".join(url.replace("/en/library/", "/api/v1/library/resources") for url in urls) + "\n"
        )
        server = subprocess.Popen(
            server_command(port, workers=WORKERS, threads=args.threads), env=env, cwd=ROOT
        )
        try:
            wait_until_up(base + "/en/library/", server)
            # Every worker loads its facet bitmaps on its first search.
            for url in urls[:20]:
                urllib.request.urlopen(base + url, timeout=60).read()
            one_client = latencies(base, urls)
            print(f"One client: {one_client}", flush=True)
            # The same list again: every search has now been seen by both workers, whose
            # caches of recent matches answer it (see docs/decisions/0006-library-search.md).
            one_client_again = latencies(base, urls)
            print(f"One client, second pass: {one_client_again}", flush=True)
            costly = slowest(base, urls)
            loaded = throughput(base, urls_file, args.duration, args.connections)
            print(f"{args.connections} connections: {loaded}", flush=True)
            loaded_api = throughput(base, api_urls_file, args.duration, args.connections)
            print(f"{args.connections} connections, API: {loaded_api}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
        pdf = django_step(__file__, env, "pdf", "100")
        print(f"100-page PDF: {pdf}", flush=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "library search",
        "server": f"granian, {WORKERS} workers ({args.threads} threads each), DEBUG off, SQLite, page cache off",
        "cpus": os.cpu_count(),
        "generated": generated,
        "sizes": sizes,
        "one_client": one_client,
        "one_client_second_pass": one_client_again,
        "slowest_searches": costly,
        "connections": args.connections,
        "throughput": loaded,
        "throughput_api": loaded_api,
        "pdf_100_pages": pdf,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    name = "library-quick.json" if args.quick else "library.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    print(f"Written to {RESULTS / name}")


if __name__ == "__main__":
    main()
