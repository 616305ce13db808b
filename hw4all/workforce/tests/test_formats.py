"""The parsers read each publisher's format and turn every bad line into a message that names
it, without ever raising."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hw4all.workforce import formats
from hw4all.workforce.formats import (
    CountryRecord,
    FlowRecord,
    LineError,
    ListRecord,
    ObservationRecord,
    parse,
)
from hw4all.workforce.models import SourceFormat
from hw4all.workforce.tests.shipped import shipped_dataset

GHO_FULL = (
    "IndicatorCode,Indicator,ValueType,ParentLocationCode,ParentLocation,Location type,"
    "SpatialDimValueCode,Location,Period type,Period,IsLatestYear,FactValueNumeric,DateModified\n"
    'HWF_0001,"Medical doctors (per 10,000)",numeric,AFR,Africa,Country,KEN,Kenya,Year,2018,true,'
    "1.57,2022-01-24T08:00:00.000Z\n"
    'HWF_0001,"Medical doctors (per 10,000)",numeric,,,Region,AFR,Africa,Year,2018,true,2.9,2022-01-24\n'
)

WB_BULK = (
    '\ufeff"Data Source","World Development Indicators",\n'
    "\n"
    '"Last Updated Date","2025-01-28",\n'
    "\n"
    '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020","2021",\n'
    '"Kenya","KEN","Population, total","SP.POP.TOTL","51985780","53005614","",\n'
    '"World","WLD","Population, total","SP.POP.TOTL","7700000000","7800000000","",\n'
    '"Kosovo","XKX","Population, total","SP.POP.TOTL","1788878","1790133","",\n'
)


def test_the_tidy_gho_file_gives_density_with_region_and_date():
    text = (
        "iso3,country,who_region,year,indicator_code,indicator,value,is_latest_year,date_modified\n"
        'KEN,Kenya,AFR,2018,HWF_0001,"Medical doctors (per 10,000)",1.57,true,2022-01-24\n'
    )
    result = parse(text.encode(), SourceFormat.WHO_GHO)
    assert result.errors == []
    assert result.records == [
        ObservationRecord(2, "KEN", "HWF_0001", 2018, 1.57, "Kenya", "AFR", datetime.date(2022, 1, 24))
    ]
    assert result.indicator_names == {"HWF_0001": "Medical doctors (per 10,000)"}


def test_the_gho_full_export_is_read_and_its_regions_skipped():
    result = parse(GHO_FULL.encode(), SourceFormat.WHO_GHO)
    assert result.errors == []
    assert [(r.iso3, r.value, r.who_region, r.file_date) for r in result.observations] == [
        ("KEN", 1.57, "AFR", datetime.date(2022, 1, 24))
    ]
    assert result.skipped == 1


def test_the_world_bank_bulk_file_skips_aggregates_and_refuses_unknown_codes():
    result = parse(WB_BULK.encode(), SourceFormat.WORLD_BANK)
    assert [(r.iso3, r.year, r.value) for r in result.observations] == [
        ("KEN", 2019, 51985780.0),
        ("KEN", 2020, 53005614.0),
    ]
    assert result.file_date == datetime.date(2025, 1, 28)
    assert result.skipped == 1
    assert result.errors == [LineError(8, "Unknown country code “XKX”.")]


def test_the_world_bank_long_file_needs_the_callers_indicator():
    text = "Country Name,Country Code,Year,Value\nKenya,KEN,2020,53005614\n"
    assert parse(text.encode(), SourceFormat.WORLD_BANK).errors[0].message.startswith("Give the indicator")
    result = parse(text.encode(), SourceFormat.WORLD_BANK, indicator="SP.POP.TOTL")
    assert result.observations[0].indicator == "SP.POP.TOTL"


def test_oecd_stocks_of_doctors_and_nurses_others_skipped():
    text = (
        "\ufeffCOU,Country,VAR,Variable,CO2,Country of origin,YEA,Year,Value,Flag Codes,Flags\n"
        "GBR,United Kingdom,FTDS,Foreign-trained doctors - Stock,KEN,Kenya,2018,2018,1200,,\n"
        "GBR,United Kingdom,FTNS,Foreign-trained nurses - Stock,KEN,Kenya,2018,2018,3000,,\n"
        "GBR,United Kingdom,FTDF,Foreign-trained doctors - Inflow,KEN,Kenya,2018,2018,50,,\n"
    )
    result = parse(text.encode(), SourceFormat.OECD)
    assert result.records == [
        FlowRecord(2, "GBR", "KEN", "doctors", 2018, 1200),
        FlowRecord(3, "GBR", "KEN", "nurses", 2018, 3000),
    ]
    assert result.skipped == 1


def test_long_files_plain_single_series_and_owid():
    plain = parse(b"iso3,indicator,year,value\nKEN,HWF_0001,2018,1.57\n", SourceFormat.LONG)
    assert plain.records == [ObservationRecord(2, "KEN", "HWF_0001", 2018, 1.57)]
    single = parse(
        b"iso3,country,year,uhc_sci\nKEN,Kenya,2021,56\nWLD,World,2021,68\n",
        SourceFormat.LONG,
        indicator="SH.UHC.SRVS.CV.XD",
        value_column="uhc_sci",
    )
    assert [(r.iso3, r.indicator, r.value) for r in single.observations] == [
        ("KEN", "SH.UHC.SRVS.CV.XD", 56.0)
    ]
    assert single.skipped == 1
    owid = parse(
        b"Entity,Code,Year,UHC Service Coverage Index (SDG 3.8.1)\nKenya,KEN,2021,53.1\n"
        b"Africa (WHO),,2021,44\nWorld,OWID_WRL,2021,68\n",
        SourceFormat.LONG,
        indicator="UHC_INDEX_REPORTED",
    )
    assert [(r.iso3, r.value) for r in owid.observations] == [("KEN", 53.1)]
    assert owid.skipped == 2


def test_the_safeguard_list():
    result = parse(b"iso3,country,list_year\nKEN,Kenya,2023\nNPL,Nepal,2023\n", SourceFormat.SAFEGUARD_LIST)
    assert result.records == [ListRecord(2, "KEN", "Kenya", 2023), ListRecord(3, "NPL", "Nepal", 2023)]


def test_world_bank_countries_income_groups_by_code_or_name():
    text = b"iso3,name,region,income_group\nKEN,Kenya,Sub-Saharan Africa,Lower middle income\nNPL,Nepal,South Asia,LMC\nWLD,World,Aggregates,\n"
    result = parse(text, SourceFormat.WORLD_BANK_COUNTRIES)
    assert [(r.iso3, r.income_group) for r in result.records if isinstance(r, CountryRecord)] == [
        ("KEN", "LMC"),
        ("NPL", "LMC"),
    ]
    assert result.skipped == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("XKX,HWF_0001,2018,1.5", "Unknown country code “XKX”."),
        ("KEN,HWF_0001,2018,many", "“many” is not a number."),
        ("KEN,HWF_0001,2018,-3", "The value -3 is negative."),
        ("KEN,HWF_0001,20x8,1.5", "“20x8” is not a year."),
        ("KEN,HWF_0001,2018,", "The value is empty."),
    ],
)
def test_a_bad_line_is_named_and_the_good_ones_kept(row, message):
    text = f"iso3,indicator,year,value\nNPL,HWF_0001,2018,0.9\n{row}\n"
    result = parse(text.encode(), SourceFormat.LONG)
    assert result.errors == [LineError(3, message)]
    assert [r.iso3 for r in result.observations] == ["NPL"]


def test_a_duplicate_key_with_another_value_names_both_lines_a_repeat_is_skipped():
    text = b"iso3,indicator,year,value\nKEN,HWF_0001,2018,1.5\nKEN,HWF_0001,2018,1.5\nKEN,HWF_0001,2018,1.7\n"
    result = parse(text, SourceFormat.LONG)
    assert len(result.observations) == 1
    assert result.skipped == 1
    assert len(result.errors) == 1
    assert result.errors[0].line == 4
    assert "repeats line 2" in result.errors[0].message


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"", "The file is empty."),
        (b"iso3,indicator,value\nKEN,HWF_0001,1\n", "The file has no “year” column."),
        (b"PK\x03\x04\x14\x00\x06\x00", "The file is not CSV text"),
        (b"iso3,indicator,year,value\nC\xf4te,HWF_0001,2018,1\n", "The file is not UTF-8 text (line 2)"),
    ],
)
def test_a_bad_file_gets_one_clear_message(data, start):
    result = parse(data, SourceFormat.LONG)
    assert result.records == []
    assert len(result.errors) == 1
    assert result.errors[0].message.startswith(start)


def test_an_oversized_file_is_refused():
    result = parse(
        b"iso3,indicator,year,value\n" + b"KEN,HWF_0001,2018,1\n" * 100, SourceFormat.LONG, max_bytes=1000
    )
    assert result.records == []
    assert "larger than" in result.errors[0].message


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), format=st.sampled_from(SourceFormat.values))
def test_no_content_makes_a_parser_raise(data, format):
    result = parse(data, format, indicator="X")
    assert all(isinstance(error, LineError) for error in result.errors)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('KENWLD,0123456789.-"\n x')), max_size=300))
def test_no_csv_text_makes_a_parser_raise(text):
    for format in SourceFormat.values:
        parse(
            ("iso3,indicator,year,value,COU,CO2,VAR,YEA,list_year,name,income_group\n" + text).encode(),
            format,
        )


def test_the_shipped_files_parse_with_only_the_known_unknown_codes():
    from hw4all.workforce.loader import DATA_FILES, data_folder

    for data_file in DATA_FILES:
        path = data_folder() / data_file.file_name
        if not path.exists():
            continue
        result = formats.parse(
            path, data_file.format, indicator=data_file.indicator, value_column=data_file.value_column
        )
        # The World Bank's population has Kosovo (XKX) and the Channel Islands (CHI): no ISO code.
        assert {error.message for error in result.errors} <= {
            "Unknown country code “XKX”.",
            "Unknown country code “CHI”.",
        }, data_file.file_name
        assert result.records


def test_the_shipped_data_set_holds_every_file():
    data = shipped_dataset()
    kenya = data.latest("KEN", "HWF_0001", 2020)
    assert kenya is not None and (kenya.year, kenya.value) == (2018, 1.57)
    assert data.countries["KEN"].who_region == "AFR"
    population = data.latest("KEN", "SP.POP.TOTL", 2020)
    assert population is not None and population.value > 50_000_000
    assert data.at("KEN", "SH.UHC.SRVS.CV.XD", 2021) is not None
    assert data.at("KEN", "UHC_INDEX_REPORTED", 2021) is not None
    assert len(data.safeguard_lists[2023]) == 55
    assert "KEN" not in data.safeguard_lists[2023]
    assert len(data.flows) == 1576
    assert len(data.member_states()) == 197
    assert "WLD" not in data.countries
