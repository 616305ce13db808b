"""Placeholder: replaced by the follow button of the notifications part of the forum."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_button(context, target) -> str:
    """A follow / unfollow button for a space, proposal or thread (a POST form; htmx in place)."""
    return ""
