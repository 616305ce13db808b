"""Builds the demo site through the apps' own services, from the facts in content.py."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hw4all.campaigns import services as campaigns
from hw4all.campaigns.models import CampaignPage
from hw4all.coalition import services as coalition
from hw4all.coalition.models import ApiScope, ApiToken, CoalitionRole, Organisation, Person, ProjectRole
from hw4all.coalition.queries import organisation_of
from hw4all.codereports.models import Report
from hw4all.events import services as events
from hw4all.events.models import EventIndexPage
from hw4all.forum.models import Space
from hw4all.forum.services import discussions as forum_discussions
from hw4all.forum.services import polls as forum_polls
from hw4all.forum.services import proposals as forum_proposals
from hw4all.forum.services import spaces as forum_spaces
from hw4all.library import records as library_records
from hw4all.library import services as library
from hw4all.library.models import Resource, ResourceFile
from hw4all.news import services as news
from hw4all.news.models import ArticlePage, NewsIndexPage
from hw4all.pages import services as pages
from hw4all.practices import services as practices
from hw4all.practices.models import CaseStudy, CriteriaSet, CriterionGroup
from hw4all.users.models import User
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE
from hw4all.users.services import user_create
from hw4all.workforce.models import Observation

from . import codereports as codereports_content
from . import content
from . import forum as forum_content
from . import library as library_content
from . import practices as practices_content
from .images import placeholder_image_create
from .workforce import workforce_demo_load

DEMO_PASSWORD = "hw4all-demo-admin"  # noqa: S105 - printed by `make run` for the demo site only
DEMO_USERS = [
    ("admin@hw4all.example", "Demo", "Administrator", (), True, True),
    ("secretariat@hw4all.example", "Demo", "Editor", (SECRETARIAT,), True, False),
    ("member@hw4all.example", "Demo", "Member", (MEMBER,), False, False),
    ("reviewer@hw4all.example", "Demo", "Reviewer", (REVIEWER,), False, False),
    ("steering@hw4all.example", "Demo", "Steering", (STEERING_COMMITTEE,), True, False),
]


def demo_is_loaded() -> bool:
    return ArticlePage.objects.exists()


@transaction.atomic
def demo_load() -> None:
    """Load everything or nothing: a failure half-way leaves the database as it was."""
    for email, first, last, roles, is_staff, is_superuser in DEMO_USERS:
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                roles=roles,
                is_staff=is_staff,
                is_superuser=is_superuser,
            )

    home = pages.home_page_ensure(
        title="Health Workers for All", intro=content.HOME_INTRO, body=content.HOME_BODY
    )
    news_index = news.news_index_ensure(home=home, title="News and statements")
    events_index = events.events_index_ensure(home=home, title="Events")
    pages.standard_page_create(parent=home, show_in_menus=True, **content.ABOUT_PAGE)

    organisations = _organisations()
    _project(organisations)
    _api_token()
    people = _people(organisations)
    _articles(news_index, people)
    _events(events_index, organisations)
    _campaigns(home)
    _library()
    _practices()
    _case_studies()
    _forum()
    codereports_content.codereports_demo_load(password=DEMO_PASSWORD)
    workforce_demo_load()
    pages.locales_ensure()


@transaction.atomic
def demo_complete() -> list[str]:
    """Add to a demo loaded by an earlier version of the platform the parts it did not have then;
    returns their names."""
    added = []
    if not ApiToken.objects.exists():
        _api_token()
        added.append("API token")
    if not Resource.objects.exists():
        _library()
        added.append("library")
    if not CriteriaSet.objects.exists():
        _practices()
        added.append("eligibility criteria")
    if not CaseStudy.objects.exists():
        _case_studies()
        added.append("case studies")
    if not Space.objects.exists():
        _forum()
        added.append("forum")
    if not Report.objects.exists():
        codereports_content.codereports_demo_load(password=DEMO_PASSWORD)
        added.append("Code reporting")
    if not Observation.objects.exists() and workforce_demo_load():
        added.append("workforce data")
    return added


def _organisation(name: str, acronym: str, country: str, kind: str, **extra) -> Organisation:
    return coalition.organisation_get_or_create(
        name=name, acronym=acronym, country=country, type=kind, **extra
    )


def _organisations() -> dict[str, Organisation]:
    found = {}
    for name, acronym, country, kind, _role in content.PROJECT_PARTNERS:
        logo = placeholder_image_create(title=f"{name} logo (placeholder)", label=acronym or name.split()[0])
        found[name] = _organisation(name, acronym, country, kind, is_member=True, logo=logo)
    for name, acronym, country, kind in content.SIDE_EVENT_CO_PROMOTERS:
        found.setdefault(name, _organisation(name, acronym, country, kind))
    name, acronym, country, kind = content.FUNDER
    found[name] = _organisation(name, acronym, country, kind)
    return found


def _api_token() -> None:
    """The project coordinator's token for the API's writes. Its secret is not kept anywhere, so
    the demo prints nothing: the Secretariat issues a new one in the admin to try the API."""
    coalition.api_token_issue(
        organisation=Organisation.objects.get(name=content.PROJECT_PARTNERS[0][0]),
        name="Website (demo)",
        scopes=[ApiScope.SIGNATURES, ApiScope.LIBRARY],
        by=User.objects.get(email="secretariat@hw4all.example"),
    )


def _project(organisations: dict[str, Organisation]) -> None:
    project = coalition.project_create(funder=organisations[content.FUNDER[0]], **content.PROJECT)
    for name, _acronym, country, _kind, role in content.PROJECT_PARTNERS:
        coalition.project_participation_add(
            project=project,
            organisation=organisations[name],
            country=country,
            role=ProjectRole.COORDINATOR if role == "coordinator" else ProjectRole.PARTNER,
        )


def _people(organisations: dict[str, Organisation]) -> dict[str, Person]:
    member = content.STEERING_COMMITTEE_MEMBER
    huric = _organisation(*member["organisation"], is_member=True)
    people = {
        member["name"]: coalition.person_create(
            name=member["name"],
            organisation=huric,
            job_title=member["job_title"],
            coalition_role=CoalitionRole.STEERING_COMMITTEE,
            bio=member["bio"],
            photo=placeholder_image_create(
                title=f"{member['name']} (placeholder portrait)", label="DB", size=(240, 240)
            ),
        )
    }
    for name in content.BLOG_AUTHORS:
        people[name] = coalition.person_create(name=name)
    return people


def _articles(index: NewsIndexPage, people: dict[str, Person]) -> None:
    for title, kind, date, author, summary, tags, countries in content.ARTICLES:
        news.article_create(
            index=index,
            title=title,
            kind=kind,
            date=date,
            summary=summary,
            author=people.get(author) if author else None,
            tags=tags,
            countries=countries,
        )


def _events(index: EventIndexPage, organisations: dict[str, Organisation]) -> None:
    mmi = organisations["Medicus Mundi International Network"]
    co_promoters = [
        organisations[name] for name, *_ in content.SIDE_EVENT_CO_PROMOTERS if name in organisations
    ]
    for facts, organisers, promoters in (
        (content.SIDE_EVENT, [mmi], co_promoters),
        (content.LAUNCH_EVENT, [organisations["Wemos"]], []),
    ):
        events.event_create(
            index=index,
            title=facts["title"],
            slug=facts["slug"],
            start=facts["start"],
            end=facts["end"],
            time_zone=facts["time_zone"],
            venue=facts["venue"],
            address=facts["address"],
            summary=facts["summary"],
            body=[("paragraph", f"<p>{paragraph}</p>") for paragraph in facts["body"]],
            programme=facts["programme"],
            organisers=organisers,
            co_promoters=promoters,
        )


def _campaigns(home) -> None:
    index = campaigns.campaigns_index_ensure(home=home, title="Campaigns")
    facts = content.DECLARATION
    if CampaignPage.objects.filter(slug=facts["slug"]).exists():
        return
    campaigns.campaign_create(
        index=index,
        title=facts["title"],
        slug=facts["slug"],
        kind="declaration",
        summary=facts["summary"],
        body=[("quote", facts["statement"])],
        opens_at=facts["opens_at"],
        allow_individuals=True,
    )


def _library() -> None:
    """The library's resources, through the same service as an import; their files are read and
    the resources indexed by the task worker once the load commits."""
    found: dict[str, Resource] = {}
    for facts in library_content.RESOURCES:
        year, month, day = facts["date"] or (None, None, None)
        record = library_records.ResourceRecord(
            title=facts["title"],
            kind=facts["kind"],
            summary=facts["summary"],
            authors=[library_records.Author(literal=name) for name in facts["authors"]],
            publisher=facts["publisher"],
            year=year,
            month=month,
            day=day,
            countries=facts["countries"],
            topics=facts["topics"],
        )
        resource, created = library.resource_from_record(record)
        resource.regions = facts["regions"]
        resource.save(update_fields=["regions"])
        if created:
            for language, name, label, data in facts["files"]:
                ResourceFile.objects.create(
                    resource=resource, language=language, label=label, file=ContentFile(data, name=name)
                )
        found[facts["key"]] = resource
    for key, other in library_content.RELATED:
        found[key].related.add(found[other])
        found[key].save()
    for resource in found.values():
        library.resource_changed(resource)


def _practices() -> None:
    """One eligibility criteria set, version 1 published."""
    if CriteriaSet.objects.filter(name=practices_content.NAME).exists():
        return
    criteria_set = practices.criteria_set_create(
        name=practices_content.NAME, description=practices_content.DESCRIPTION
    )
    version = practices.criteria_version_create(criteria_set=criteria_set)
    for group, title, guidance in practices_content.CRITERIA:
        practices.criterion_add(
            version=version,
            group=group,
            title=title,
            guidance=guidance,
            scale_max=practices_content.SCALE_MAX,
            weight=1,
        )
    practices.criteria_version_publish(version=version)


def _demo_account(
    email: str, organisation_name: str, *, first_name: str = "", last_name: str = "", role: str = ""
):
    """The demo account `email` (created with `role` if missing), speaking for a partner."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name, roles=(role,)
        )
    if not Person.objects.filter(user=user).exists():
        coalition.person_create(
            name=user.get_full_name() or email,
            organisation=Organisation.objects.get(name=organisation_name),
            user=user,
        )
    return user


def _partner_accounts() -> None:
    """The demo accounts that speak for a partner organisation."""
    for email, first, last, organisation, role in practices_content.EXTRA_USERS:
        _demo_account(email, organisation, first_name=first, last_name=last, role=role)
    for email, organisation in practices_content.USER_ORGANISATIONS.items():
        _demo_account(email, organisation)


def _case_studies() -> None:
    """The case studies of practices.py, each taken through the workflow as far as its `state`."""
    _partner_accounts()
    secretary = User.objects.get(email="secretariat@hw4all.example")
    version = practices.criteria_version_default()
    if version is None:
        raise RuntimeError("The demo's eligibility criteria must be published before its case studies.")
    criteria = {
        group: [c for c in version.criteria.all() if c.group == group] for group in CriterionGroup.values
    }
    for facts in practices_content.CASES:
        fields = {key: value for key, value in facts.items() if key not in ("author", "state", "reviews")}
        author = User.objects.get(email=facts["author"])
        case = practices.case_create(user=author, **fields)
        if facts["state"] == "draft":
            continue
        practices.case_submit(case=case, user=author)
        if facts["state"] == "published":
            practices.case_publish(case=case, by=secretary)
            continue
        if facts["state"] == "submitted":
            continue
        practices.case_screen_accept(case=case, by=secretary)
        reviewers = [
            User.objects.get(email=email) for email in ("reviewer@hw4all.example", "reviewer2@hw4all.example")
        ]
        assignments = practices.reviewers_assign(case=case, by=secretary, reviewers=reviewers)
        for assignment in assignments:
            answers = facts["reviews"].get(assignment.reviewer.email)
            if answers is None:
                continue
            given = {}
            for group, values in zip(CriterionGroup.values, answers, strict=True):
                for criterion, value in zip(criteria[group], values, strict=True):
                    given[criterion.pk] = (value, "")
            practices.review_save(
                assignment=assignment, user=assignment.reviewer, answers=given, no_conflict=True, submit=True
            )
        if facts["state"] == "validated":
            practices.case_decide(case=case, by=secretary, decision=practices.Decision.VALIDATED)


def _forum() -> None:
    """The spaces of forum.py with their members, proposals taken as far as their `state`,
    discussions and a poll, all through the forum's services."""
    for email, first, last, organisation, role in practices_content.EXTRA_USERS:
        _demo_account(email, organisation, first_name=first, last_name=last, role=role)
    for email, organisation in practices_content.USER_ORGANISATIONS.items():
        _demo_account(email, organisation)
    users = {user.email: user for user in User.objects.filter(email__endswith="@hw4all.example")}
    secretary = users["secretariat@hw4all.example"]
    steering = users["steering@hw4all.example"]
    spaces = {}
    for facts in forum_content.SPACES:
        space = forum_spaces.space_create(by=secretary, **facts)
        spaces[space.slug] = space
        moderator, *others = forum_content.MEMBERS[space.slug]
        forum_spaces.moderator_appoint(space=space, user=users[moderator], by=secretary)
        for email in others:
            if space.is_open:
                forum_spaces.space_join(space=space, user=users[email])
            else:
                forum_spaces.member_invite(space=space, invitee=users[email], by=users[moderator])
                forum_spaces.invitation_accept(space=space, user=users[email])

    for facts in forum_content.PROPOSALS:
        facts = dict(facts)
        space, author, state = spaces[facts.pop("space")], users[facts.pop("author")], facts.pop("state")
        reasons = facts.pop("reasons", "")
        facts["resources"] = [
            resource.pk for resource in Resource.objects.filter(title__in=facts.pop("resources", []))
        ]
        facts["case_studies"] = [
            case.pk for case in CaseStudy.objects.published().filter(title__in=facts.pop("case_studies", []))
        ]
        proposal = forum_proposals.proposal_create(space=space, user=author, fields=facts)
        if state == "draft":
            continue
        proposal = forum_proposals.proposal_open(proposal=proposal, user=author)
        for email in forum_content.MEMBERS[space.slug]:
            if users[email] != author and forum_proposals.may_support(users[email], proposal):
                forum_proposals.proposal_support(proposal=proposal, user=users[email])
                if organisation_of(users[email]) is not None:
                    forum_proposals.proposal_support(
                        proposal=proposal, user=users[email], on_behalf_of_organisation=True
                    )
        if state == "open":
            continue
        proposal = forum_proposals.proposal_consider(proposal=proposal, user=steering)
        if state == "adopted":
            forum_proposals.proposal_decide(
                proposal=proposal, user=steering, status="adopted", reasons=reasons
            )

    for slug, title, comments in forum_content.THREADS:
        (first_author, first_body, _reply_to), *replies = comments
        thread = forum_discussions.thread_create(
            space=spaces[slug], author=users[first_author], title=title, body=first_body
        )
        posted = list(thread.comments.all())
        for email, body, reply_to in replies:
            parent = posted[reply_to] if reply_to is not None else None
            posted.append(
                forum_discussions.comment_create(author=users[email], body=body, thread=thread, parent=parent)
            )

    poll = dict(forum_content.POLL)
    space = spaces[poll.pop("space")]
    forum_polls.poll_create(
        space=space,
        by=users[forum_content.MEMBERS[space.slug][0]],
        closes_at=timezone.now() + datetime.timedelta(days=30),
        **poll,
    )
