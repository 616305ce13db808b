"""An inventory of bilateral agreements on the recruitment of health workers, one block per
agreement, as a civil-society organisation compiles it for its country's report on the WHO Global
Code of Practice."""

from .countries import country_rows

EN, FR = "English (en)", "Français (fr)"

# One spreadsheet row per line, as an editor reads the sheet.
# fmt: off
SURVEY = [
    ("type", "name", f"label::{EN}", f"label::{FR}", f"hint::{EN}", f"hint::{FR}", "required", "relevant", "choice_filter", "appearance", "constraint", "tags"),
    ("begin group", "reporter", "Who reports", "Qui répond", "", "", "", "", "", "", "", ""),
    ("text", "organisation", "Organisation", "Organisation", "", "", "yes", "", "", "", "", ""),
    ("select_one country", "reporting_country", "Country you report on", "Pays sur lequel vous répondez", "", "", "yes", "", "", "", "", "art-7"),
    ("date", "report_date", "Date of this inventory", "Date de cet inventaire", "", "", "", "", "", "", ". >= date('2010-05-21') and . <= date('2030-12-31')", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
    ("begin group", "inventory", "Agreements", "Accords", "Government-to-government agreements, memoranda of understanding, and arrangements between institutions", "Accords entre gouvernements, protocoles d'entente et arrangements entre institutions", "", "", "", "", "", ""),
    ("select_one yes_no_dk", "has_agreements", "Has the country signed agreements on the recruitment of health workers?", "Le pays a-t-il signé des accords sur le recrutement de personnels de santé ?", "", "", "yes", "", "", "", "", "art-5"),
    ("begin repeat", "agreement", "Agreement", "Accord", "One block per agreement", "Un bloc par accord", "", "${has_agreements} = 'yes'", "", "", "", "art-5"),
    ("select_one who_region", "partner_region", "WHO region of the partner country", "Région OMS du pays partenaire", "", "", "yes", "", "", "", "", ""),
    ("select_one partner_country", "partner_country", "Partner country", "Pays partenaire", "", "", "yes", "", "region = ${partner_region}", "", "", ""),
    ("select_one agreement_type or_other", "agreement_type", "Kind of agreement", "Type d'accord", "", "", "yes", "", "", "", "", ""),
    ("integer", "year_signed", "Year signed", "Année de signature", "", "", "", "", "", "", ". >= 1990 and . <= 2030", ""),
    ("select_multiple occupation", "occupations", "Occupations covered", "Professions concernées", "Select all that apply", "Cochez tout ce qui s'applique", "yes", "", "", "", "", ""),
    ("select_one yes_no_dk", "references_code", "Does it refer to the WHO Code?", "Fait-il référence au Code de l'OMS ?", "", "", "yes", "", "", "", "", "art-5"),
    ("select_multiple code_principle", "principles", "Which of the Code's principles does it take up?", "Quels principes du Code reprend-il ?", "", "", "", "${references_code} = 'yes'", "", "", "", "art-5"),
    ("file", "agreement_text", "Text of the agreement", "Texte de l'accord", "PDF or Word, if it is public", "PDF ou Word, s'il est public", "", "", "", "", "", ""),
    ("end repeat", "", "", "", "", "", "", "", "", "", "", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
    ("begin group", "context", "Recruitment in practice", "Le recrutement en pratique", "", "", "", "", "", "", "", ""),
    ("select_multiple country", "recruiting_countries", "Which countries actively recruit health workers from the country?", "Quels pays recrutent activement des personnels de santé dans le pays ?", "", "", "", "", "", "", "", "art-3"),
    ("select_one yes_no_dk", "monitored", "Are these agreements monitored?", "Ces accords font-ils l'objet d'un suivi ?", "", "", "", "${has_agreements} = 'yes'", "", "", "", "art-9"),
    ("text", "remarks", "Remarks", "Remarques", "", "", "", "", "", "multiline", "", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
]

CHOICES = [
    ("list_name", "name", f"label::{EN}", f"label::{FR}", "region"),
    ("who_region", "afr", "Africa", "Afrique", ""),
    ("who_region", "amr", "Americas", "Amériques", ""),
    ("who_region", "emr", "Eastern Mediterranean", "Méditerranée orientale", ""),
    ("who_region", "eur", "Europe", "Europe", ""),
    ("who_region", "sear", "South-East Asia", "Asie du Sud-Est", ""),
    ("who_region", "wpr", "Western Pacific", "Pacifique occidental", ""),
    ("partner_country", "GH", "Ghana", "Ghana", "afr"),
    ("partner_country", "KE", "Kenya", "Kenya", "afr"),
    ("partner_country", "SN", "Senegal", "Sénégal", "afr"),
    ("partner_country", "ZA", "South Africa", "Afrique du Sud", "afr"),
    ("partner_country", "CA", "Canada", "Canada", "amr"),
    ("partner_country", "US", "United States of America", "États-Unis d'Amérique", "amr"),
    ("partner_country", "EG", "Egypt", "Égypte", "emr"),
    ("partner_country", "PK", "Pakistan", "Pakistan", "emr"),
    ("partner_country", "DE", "Germany", "Allemagne", "eur"),
    ("partner_country", "GB", "United Kingdom", "Royaume-Uni", "eur"),
    ("partner_country", "IN", "India", "Inde", "sear"),
    ("partner_country", "ID", "Indonesia", "Indonésie", "sear"),
    ("partner_country", "JP", "Japan", "Japon", "wpr"),
    ("partner_country", "PH", "Philippines", "Philippines", "wpr"),
    ("agreement_type", "g2g", "Government-to-government agreement", "Accord entre gouvernements", ""),
    ("agreement_type", "mou", "Memorandum of understanding", "Protocole d'entente", ""),
    ("agreement_type", "institutional", "Agreement between institutions", "Accord entre institutions", ""),
    ("agreement_type", "twinning", "Twinning of hospitals or schools", "Jumelage d'hôpitaux ou d'écoles", ""),
    ("occupation", "doctors", "Medical doctors", "Médecins", ""),
    ("occupation", "nurses", "Nurses", "Infirmiers·ères", ""),
    ("occupation", "midwives", "Midwives", "Sages-femmes", ""),
    ("occupation", "carers", "Care workers", "Aides-soignant·e·s", ""),
    ("occupation", "other_health", "Other health occupations", "Autres professions de santé", ""),
    ("code_principle", "mutuality", "Mutuality of benefits", "Avantages mutuels", ""),
    ("code_principle", "ethical", "Ethical recruitment", "Recrutement éthique", ""),
    ("code_principle", "equal_treatment", "Equal treatment of migrant health workers", "Égalité de traitement des personnels migrants", ""),
    ("code_principle", "circular", "Circular migration", "Migration circulaire", ""),
    ("code_principle", "training", "Training and technology transfer", "Formation et transfert de technologie", ""),
    ("yes_no_dk", "yes", "Yes", "Oui", ""),
    ("yes_no_dk", "no", "No", "Non", ""),
    ("yes_no_dk", "dont_know", "Don't know", "Ne sait pas", ""),
    *country_rows(extra_columns=1),
]

SETTINGS = [
    ("form_title", "form_id", "default_language", "version"),
    ("Inventory of bilateral recruitment agreements", "bilateral_agreements", EN, "1"),
]
# fmt: on
