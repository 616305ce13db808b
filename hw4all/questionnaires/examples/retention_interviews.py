"""The record of a semi-structured interview on keeping health workers in post, kept by the
interviewer during or right after the conversation."""

EN, FR = "English (en)", "Français (fr)"

# One spreadsheet row per line, as an editor reads the sheet.
# fmt: off
SURVEY = [
    ("type", "name", f"label::{EN}", f"label::{FR}", f"hint::{EN}", f"hint::{FR}", "required", "relevant", "appearance", "constraint", f"unit::{EN}", f"unit::{FR}"),
    ("begin group", "interview", "The interview", "L'entretien", "", "", "", "", "", "", "", ""),
    ("select_one interviewer", "interviewer", "Interviewer", "Enquêteur·rice", "", "", "yes", "", "", "", "", ""),
    ("date", "interview_date", "Date", "Date", "", "", "yes", "", "", ". >= date('2013-01-01') and . <= date('2016-12-31')", "", ""),
    ("text", "place", "Place", "Lieu", "Town and kind of place, never a name", "Ville et type de lieu, jamais un nom", "", "", "", "", "", ""),
    ("decimal", "duration", "Length of the interview", "Durée de l'entretien", "", "", "", "", "", ". >= 5 and . <= 240", "minutes", "minutes"),
    ("note", "consent_note", "Read the information sheet aloud and ask for consent before you start.", "Lisez la notice d'information à voix haute et demandez le consentement avant de commencer.", "", "", "", "", "", "", "", ""),
    ("select_one yes_no_dk", "consent", "Did the person consent to the interview?", "La personne a-t-elle consenti à l'entretien ?", "", "", "yes", "", "", "", "", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
    ("begin group", "profile", "The person interviewed", "La personne interrogée", "", "", "", "${consent} = 'yes'", "", "", "", ""),
    ("select_one role", "role", "Role", "Fonction", "", "", "yes", "", "", "", "", ""),
    ("decimal", "years_in_post", "Years in the present post", "Années dans le poste actuel", "", "", "", "", "", ". >= 0 and . <= 50", "years", "ans"),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
    ("begin group", "measures", "Retention measures in place", "Mesures de fidélisation en place", "Ask about each measure in the person's workplace", "Demandez pour chaque mesure sur le lieu de travail de la personne", "", "${consent} = 'yes'", "", "", "", ""),
    ("select_one yes_no_dk", "rural_allowance", "An allowance for rural or remote posts", "Une prime pour les postes ruraux ou isolés", "", "", "yes", "", "", "", "", ""),
    ("select_one yes_no_dk", "housing", "Housing provided or paid", "Un logement fourni ou payé", "", "", "yes", "", "", "", "", ""),
    ("select_one yes_no_dk", "career_path", "A clear career path", "Un parcours de carrière clair", "", "", "yes", "", "", "", "", ""),
    ("select_one yes_no_dk", "cpd", "Paid continuing education", "Une formation continue rémunérée", "", "", "yes", "", "", "", "", ""),
    ("select_one yes_no_dk", "bonding", "A bonding scheme after training", "Un engagement de service après la formation", "", "", "yes", "", "", "", "", ""),
    ("text", "measures_notes", "What the person said about these measures", "Ce que la personne a dit de ces mesures", "Close to their words", "Au plus près de ses mots", "", "", "multiline", "", "", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
    ("begin group", "leaving", "Colleagues who left", "Collègues parti·e·s", "", "", "", "${consent} = 'yes'", "", "", "", ""),
    ("integer", "colleagues_left", "Colleagues who left for another country in the last two years", "Collègues parti·e·s à l'étranger ces deux dernières années", "", "", "", "", "", ". >= 0 and . <= 500", "people", "personnes"),
    ("text", "why_left", "Why did they leave?", "Pourquoi sont-ils partis ?", "", "", "", "${colleagues_left} > 0", "multiline", "", "", ""),
    ("text", "recommendations", "What would keep health workers in post?", "Qu'est-ce qui retiendrait les personnels de santé ?", "", "", "", "", "multiline", "", "", ""),
    ("note", "thanks", "Thank the person and give them the contact of the research team.", "Remerciez la personne et donnez-lui le contact de l'équipe de recherche.", "", "", "", "", "", "", "", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
]

CHOICES = [
    ("list_name", "name", f"label::{EN}", f"label::{FR}"),
    ("interviewer", "int_01", "Interviewer 1", "Enquêteur·rice 1"),
    ("interviewer", "int_02", "Interviewer 2", "Enquêteur·rice 2"),
    ("interviewer", "int_03", "Interviewer 3", "Enquêteur·rice 3"),
    ("role", "nurse", "Nurse", "Infirmier·ère"),
    ("role", "doctor", "Medical doctor", "Médecin"),
    ("role", "midwife", "Midwife", "Sage-femme"),
    ("role", "manager", "Facility manager", "Responsable d'établissement"),
    ("role", "policy", "Ministry or district official", "Responsable au ministère ou au district"),
    ("role", "union", "Union or professional association", "Syndicat ou ordre professionnel"),
    ("yes_no_dk", "yes", "Yes", "Oui"),
    ("yes_no_dk", "no", "No", "Non"),
    ("yes_no_dk", "dont_know", "Don't know", "Ne sait pas"),
]

SETTINGS = [
    ("form_title", "form_id", "default_language", "version"),
    ("Retention interviews", "retention_interviews", EN, "2015-2"),
]
# fmt: on
