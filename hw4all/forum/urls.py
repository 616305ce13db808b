from django.urls import path

from .views import discussions, feeds, moderation, notifications, polls, proposals, spaces

app_name = "forum"

urlpatterns = [
    # Spaces and membership.
    path("forum/", spaces.index, name="index"),
    path("forum/search/", spaces.search, name="search"),
    path("forum/invitations/", spaces.invitations, name="invitations"),
    path("forum/spaces/<slug:slug>/", spaces.space, name="space"),
    path("forum/spaces/<slug:slug>/activity/", spaces.space_activity, name="space_activity"),
    path("forum/spaces/<slug:slug>/search/", spaces.space_search, name="space_search"),
    path("forum/spaces/<slug:slug>/join/", spaces.space_join, name="space_join"),
    path("forum/spaces/<slug:slug>/leave/", spaces.space_leave, name="space_leave"),
    path("forum/spaces/<slug:slug>/members/", spaces.space_members, name="space_members"),
    path(
        "forum/spaces/<slug:slug>/members/<int:user_id>/<str:action>/",
        spaces.member_action,
        name="member_action",
    ),
    # Moderation.
    path("forum/spaces/<slug:slug>/moderation/", moderation.space_moderation, name="space_moderation"),
    path("forum/report/<str:kind>/<int:pk>/", moderation.report, name="report"),
    path("forum/moderate/<str:kind>/<int:pk>/<str:action>/", moderation.moderate, name="moderate"),
    # Proposals.
    path("forum/spaces/<slug:slug>/proposals/", proposals.proposal_list, name="proposal_list"),
    path("forum/spaces/<slug:slug>/proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("forum/proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("forum/proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("forum/proposals/<int:pk>/authors/", proposals.proposal_authors, name="proposal_authors"),
    path("forum/proposals/<int:pk>/status/", proposals.proposal_status, name="proposal_status"),
    path("forum/proposals/<int:pk>/decide/", proposals.proposal_decide, name="proposal_decide"),
    path("forum/proposals/<int:pk>/versions/", proposals.proposal_versions, name="proposal_versions"),
    path("forum/proposals/<int:pk>/diff/", proposals.proposal_diff, name="proposal_diff"),
    path("forum/proposals/<int:pk>/support/", proposals.proposal_support, name="proposal_support"),
    # Discussions and comments (on threads and on proposals).
    path("forum/spaces/<slug:slug>/discussions/", discussions.thread_list, name="thread_list"),
    path("forum/spaces/<slug:slug>/discussions/new/", discussions.thread_create, name="thread_create"),
    path("forum/discussions/<int:pk>/", discussions.thread_detail, name="thread_detail"),
    path("forum/discussions/<int:pk>/comment/", discussions.thread_comment, name="thread_comment"),
    path("forum/proposals/<int:pk>/comment/", discussions.proposal_comment, name="proposal_comment"),
    path("forum/comments/<int:pk>/edit/", discussions.comment_edit, name="comment_edit"),
    path("forum/comments/<int:pk>/delete/", discussions.comment_delete, name="comment_delete"),
    path("forum/comments/<int:pk>/history/", discussions.comment_history, name="comment_history"),
    # Polls.
    path("forum/spaces/<slug:slug>/polls/", polls.poll_list, name="poll_list"),
    path("forum/spaces/<slug:slug>/polls/new/", polls.poll_create, name="poll_create"),
    path("forum/polls/<int:pk>/", polls.poll_detail, name="poll_detail"),
    path("forum/polls/<int:pk>/vote/", polls.poll_vote, name="poll_vote"),
    path("forum/polls/<int:pk>/ballots/", polls.poll_ballots, name="poll_ballots"),
    # Following and notifications.
    path("forum/follow/<str:kind>/<int:pk>/", notifications.follow, name="follow"),
    path("forum/notifications/", notifications.notification_list, name="notifications"),
    path("forum/notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("forum/notifications/settings/", notifications.notification_settings, name="notification_settings"),
    path("forum/unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("forum/spaces/<slug:slug>/feed/", feeds.space_feed, name="space_feed"),
    path("forum/spaces/<slug:slug>/feed/rss/", feeds.space_feed_rss, name="space_feed_rss"),
]
