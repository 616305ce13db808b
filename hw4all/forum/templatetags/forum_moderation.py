"""Placeholder: replaced by the moderation part of the forum."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def report_link(context, target) -> str:
    """A "Report" link for a comment, proposal or thread, for signed-in people who may see it."""
    return ""


@register.simple_tag(takes_context=True)
def moderation_controls(context, target) -> str:
    """Hide / restore (and lock / unlock for a thread) buttons for the space's moderators."""
    return ""
