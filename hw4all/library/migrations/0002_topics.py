"""The topics vocabulary the library starts with; the Secretariat edits it in the admin."""

from django.db import migrations

TOPICS = [
    ("recruitment", "Recruitment", {"fr": "Recrutement", "es": "Contratación", "pt": "Recrutamento"}),
    ("retention", "Retention", {"fr": "Fidélisation", "es": "Retención", "pt": "Retenção"}),
    ("migration", "Migration", {"fr": "Migration", "es": "Migración", "pt": "Migração"}),
    ("education", "Education and training", {"fr": "Éducation et formation", "es": "Educación y formación", "pt": "Educação e formação"}),
    ("financing", "Financing", {"fr": "Financement", "es": "Financiación", "pt": "Financiamento"}),
    ("gender", "Gender", {"fr": "Genre", "es": "Género", "pt": "Género"}),
    ("code-implementation", "Code implementation", {"fr": "Mise en œuvre du Code", "es": "Aplicación del Código", "pt": "Implementação do Código"}),
    ("covid-19", "COVID-19", {"fr": "COVID-19", "es": "COVID-19", "pt": "COVID-19"}),
    ("working-conditions", "Working conditions", {"fr": "Conditions de travail", "es": "Condiciones de trabajo", "pt": "Condições de trabalho"}),
    ("data-and-research", "Data and research", {"fr": "Données et recherche", "es": "Datos e investigación", "pt": "Dados e investigação"}),
]


def topics_create(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    TopicName = apps.get_model("library", "TopicName")
    for order, (slug, name, names) in enumerate(TOPICS):
        topic, created = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
        if created:
            TopicName.objects.bulk_create(
                TopicName(topic=topic, language=language, name=translated) for language, translated in names.items()
            )


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(topics_create, migrations.RunPython.noop)]
